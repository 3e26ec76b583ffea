from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "guichet.employers"
    label = "employers"
    verbose_name = "Employeurs"

    def ready(self) -> None:
        from guichet.core.reference import register
        from guichet.employers.importers import load_employers_reference

        register(
            "employers",
            order=30,
            load=load_employers_reference,
            description="Codes NAF rév. 2 et nombre d'établissements par commune et tranche d'effectif (Insee 2014).",
        )
