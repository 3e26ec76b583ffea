from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "guichet.jobs"
    label = "jobs"
    verbose_name = "Métiers"

    def ready(self) -> None:
        from guichet.core.reference import register
        from guichet.jobs.importers import load_jobs

        register(
            "jobs",
            order=20,
            load=lambda: load_jobs(),
            description="ROME 4.0 (domaines, métiers, appellations), métiers d'avenir, niveaux de diplôme 3 à 8.",
        )
