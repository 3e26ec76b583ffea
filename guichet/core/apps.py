from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"

    def ready(self) -> None:
        from django_q.models import Schedule

        from guichet.core.scheduling import register_periodic

        register_periodic(
            name="core.clear_expired_sessions",
            func="guichet.core.tasks.clear_expired_sessions",
            schedule_type=Schedule.DAILY,
            description="Supprime chaque jour les sessions expirées.",
        )
