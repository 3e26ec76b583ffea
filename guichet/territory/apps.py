from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "guichet.territory"
    label = "territory"
    verbose_name = "Territoire"

    def ready(self) -> None:
        from guichet.core.reference import register
        from guichet.territory.importers import import_territory

        register(
            "territory",
            order=10,
            load=import_territory,
            description="Régions, départements, communes (COG 2026), zones d'emploi 2020 et bassins BMO.",
        )
