from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "guichet.observatory"
    label = "observatory"
