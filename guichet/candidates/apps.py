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
        from guichet.candidates.personal_data import candidate_erase, candidate_export
        from guichet.core.personal_data import register_personal_data, register_retention

        register_candidates_access()
        register_personal_data(app="profil_et_candidatures", export=candidate_export, erase=candidate_erase, order=50)
        register_retention(
            name="candidates.enrolments",
            description="Inscriptions en formation partagées avec un centre de formation",
            duration="1 an après leur retrait ou la fin de la session (3 ans sans session connue)",
            apply="guichet.candidates.personal_data.enrolments_retention_apply",
        )
        register_retention(
            name="candidates.closed_applications",
            description="Candidatures refusées ou retirées, avec leurs étapes et leurs messages",
            duration="2 ans après leur clôture",
            apply="guichet.candidates.personal_data.closed_applications_retention_apply",
        )
