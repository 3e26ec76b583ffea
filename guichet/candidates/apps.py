from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "guichet.candidates"
    label = "candidates"
    verbose_name = "Jeunes et candidatures"

    def ready(self) -> None:
        from django_q.models import Schedule

        import guichet.candidates.services  # noqa: F401  (registers the offer-closed hook)
        from guichet.core.scheduling import register_periodic

        register_periodic(
            name="candidates.employer_silence",
            func="guichet.candidates.tasks.process_employer_silence",
            schedule_type=Schedule.DAILY,
            description="Relancer les employeurs sans réponse, saisir un conseiller, puis clore sans réponse.",
        )
        from guichet.candidates.access import register_candidates_access

        register_candidates_access()
