from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django_q.models import Schedule

        from guichet.core.middleware import session_mark_login
        from guichet.core.personal_data import register_retention
        from guichet.core.refcache import connect_reference_signals
        from guichet.core.scheduling import register_periodic

        register_periodic(
            name="core.clear_expired_sessions",
            func="guichet.core.tasks.clear_expired_sessions",
            schedule_type=Schedule.DAILY,
            description="Supprime chaque jour les sessions expirées.",
        )
        register_periodic(
            name="core.apply_retention_rules",
            func="guichet.core.personal_data.apply_retention_task",
            schedule_type=Schedule.DAILY,
            description="Applique chaque jour les durées de conservation des données personnelles.",
        )
        register_retention(
            name="core.audit_events",
            description="Journal des actions sensibles (connexions, changements de rôle, décisions)",
            duration="1 an (10 ans pour les décisions d'aide et les paiements)",
            apply="guichet.core.audit.audit_purge_expired",
        )
        user_logged_in.connect(session_mark_login, dispatch_uid="core.session_mark_login")
        connect_reference_signals()
