from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "guichet.matching"
    label = "matching"

    def ready(self) -> None:
        from guichet.candidates.demo import delete_demo_enrolments, generate_demo_enrolments
        from guichet.contracts.demo.extensions import register_demo_step
        from guichet.matching.access import register_matching_access

        register_matching_access()
        # Candidates sits above contracts: its demo step (enrolments shown on the centre page) is registered here.
        register_demo_step(
            name="candidates.enrolments", order=20, generate=generate_demo_enrolments, delete=delete_demo_enrolments
        )
