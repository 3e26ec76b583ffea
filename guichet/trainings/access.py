"""Who may reach the training-centre space (checked by tests/security)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

CENTRES = ("cfa", "admin")


def register_trainings_access() -> None:
    register_access("trainings:space", AccessRule(Audience.ROLES, roles=CENTRES, note="The user's centres only."))
    register_access(
        "trainings:places",
        AccessRule(
            Audience.ROLES,
            roles=CENTRES,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample="guichet.trainings.tests.access_samples.training_of_another_centre",
            note="Trainings of the user's centres only.",
        ),
    )
