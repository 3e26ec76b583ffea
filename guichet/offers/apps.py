from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "guichet.offers"
    label = "offers"
