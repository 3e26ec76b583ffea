from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "guichet.support"
    label = "support"
    verbose_name = "Accompagnement"

    def ready(self) -> None:
        from django_q.models import Schedule

        from guichet.contracts.demo.extensions import register_demo_step
        from guichet.core.reference import register
        from guichet.core.scheduling import register_periodic
        from guichet.support.access import register_support_access
        from guichet.support.demo import delete_demo_support, generate_demo_support
        from guichet.support.knowledge_loader import load_knowledge

        register(
            "knowledge",
            order=70,
            load=lambda: load_knowledge(),
            description="Pages d'information du guichet (Markdown, sources et dates de vérification).",
        )
        register_periodic(
            name="support_deadline_reminders",
            func="guichet.support.tasks.send_deadline_reminders",
            schedule_type=Schedule.HOURLY,
            description="Rappelle aux conseillers les demandes dont l'échéance approche.",
        )
        register_periodic(
            name="support_escalations",
            func="guichet.support.tasks.escalate_late_requests",
            schedule_type=Schedule.HOURLY,
            description="Signale au responsable d'équipe les demandes en retard.",
        )
        register_periodic(
            name="support_pages_review",
            func="guichet.support.tasks.flag_pages_past_review",
            schedule_type=Schedule.DAILY,
            description="Prévient les responsables des pages d'information à vérifier.",
        )
        register_demo_step(name="support", order=50, generate=generate_demo_support, delete=delete_demo_support)
        register_support_access()
