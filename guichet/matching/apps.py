from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "guichet.matching"
    label = "matching"

    def ready(self) -> None:
        from guichet.matching.access import register_matching_access

        register_matching_access()
