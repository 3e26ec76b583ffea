from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "guichet.aids"
    label = "aids"
    verbose_name = "Aides et rémunération"

    def ready(self) -> None:
        from guichet.aids import signals  # noqa: F401
        from guichet.aids.demo import delete_demo_aids, generate_demo_aids
        from guichet.aids.importers import load_aids
        from guichet.contracts.demo.extensions import register_demo_step
        from guichet.core.reference import register

        register(
            "aids",
            order=60,
            load=lambda: load_aids(),
            description=(
                "SMIC, grille de rémunération des apprentis (D6222-26), exonérations, aides de l'État et de la "
                "Région Hauts-de-France (DOMAIN.md, sources citées ligne par ligne)."
            ),
        )
        register_demo_step(name="aids", order=60, generate=generate_demo_aids, delete=delete_demo_aids)
        from guichet.aids.access import register_aids_access

        register_aids_access()
