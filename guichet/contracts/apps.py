from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "guichet.contracts"
    label = "contracts"
