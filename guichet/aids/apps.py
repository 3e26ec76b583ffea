from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "guichet.aids"
    label = "aids"
