from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "guichet.observatory"
    label = "observatory"
    verbose_name = "Observatoire"

    def ready(self) -> None:
        from django_q.models import Schedule

        from guichet.contracts.demo.extensions import register_demo_step
        from guichet.contracts.importers import contracts_imported
        from guichet.core.reference import register
        from guichet.core.scheduling import register_periodic
        from guichet.observatory.demo import delete_demo_rows, generate_demo_rows
        from guichet.observatory.importers import load_observatory_reference

        register(
            "observatory",
            order=80,
            load=load_observatory_reference,
            description=(
                "Glossaire des indicateurs, besoins en main-d'œuvre 2025 (France Travail), table FAP 2021 - ROME "
                "(Dares), chiffres publiés sur les apprentis et objectifs des plans régionaux."
            ),
        )
        register_periodic(
            name="observatory-recompute-kpis",
            func="guichet.observatory.tasks.recompute_kpis_task",
            schedule_type=Schedule.DAILY,
            description="Recalcule chaque nuit les indicateurs de l'observatoire à partir du registre des contrats.",
        )
        register_demo_step(name="observatory", order=90, generate=generate_demo_rows, delete=delete_demo_rows)
        contracts_imported.connect(_recompute_after_import, dispatch_uid="observatory-recompute-after-import")
        from guichet.observatory.access import register_observatory_access

        register_observatory_access()


def _recompute_after_import(sender, report, **kwargs) -> None:
    """A contracts file was imported: recompute the summaries in the task worker (synchronously in tests)."""
    from django_q.tasks import async_task

    async_task("guichet.observatory.tasks.recompute_kpis_task", "après un import de contrats")
