from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "guichet.contracts"
    label = "contracts"

    def ready(self) -> None:
        from guichet.contracts.access import register_contracts_access

        register_contracts_access()
