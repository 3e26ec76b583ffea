"""Who may reach the young person's space and the applications side of the employer space (tests/security)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

YOUNG = ("jeune", "admin")
EMPLOYERS = ("employeur", "admin")
CENTRES = ("cfa", "admin")
SAMPLES = "guichet.candidates.tests.access_samples"


def register_candidates_access() -> None:
    rules = {
        "candidates:space": AccessRule(
            Audience.ROLES, roles=YOUNG, note="The young person's own profile and applications."
        ),
        "candidates:profile": AccessRule(Audience.ROLES, roles=YOUNG, methods=("GET", "POST")),
        "candidates:apply": AccessRule(
            Audience.ROLES, roles=YOUNG, methods=("GET", "POST"), note="Offers the young person may see only."
        ),
        "candidates:application": AccessRule(
            Audience.ROLES,
            roles=YOUNG,
            owner_only=True,
            owner_sample=f"{SAMPLES}.application_of_another_young_person",
            note="The young person's own applications only.",
        ),
        "candidates:application_withdraw": AccessRule(
            Audience.ROLES,
            roles=YOUNG,
            methods=("POST",),
            owner_only=True,
            note="The young person's own applications only.",
        ),
        "candidates:enrolment_create": AccessRule(
            Audience.ROLES, roles=YOUNG, methods=("GET", "POST"), note="Declares the young person's own enrolment."
        ),
        "candidates:enrolment": AccessRule(
            Audience.ROLES,
            roles=YOUNG,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.enrolment_of_another_young_person",
            note="The young person's own enrolments only (Enrolment.visible_to).",
        ),
        "trainings:enrolment_invite": AccessRule(
            Audience.ROLES,
            roles=CENTRES,
            methods=("GET", "POST"),
            note="Trainings of the user's centres only; the same answer whether the e-mail has an account or not.",
        ),
        "trainings:enrolment": AccessRule(
            Audience.ROLES,
            roles=CENTRES,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.enrolment_in_another_centre",
            note="Confirmed enrolments in the trainings of the user's centres only; first name and initial.",
        ),
        "employers:space": AccessRule(
            Audience.ROLES, roles=EMPLOYERS, note="Offers and figures of the establishments the employer acts for."
        ),
        "employers:offer_board": AccessRule(
            Audience.ROLES,
            roles=EMPLOYERS,
            owner_only=True,
            owner_sample=f"{SAMPLES}.offer_of_another_employer",
            note="Offers of the establishments the employer acts for only.",
        ),
        "employers:application": AccessRule(
            Audience.ROLES,
            roles=EMPLOYERS,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.application_to_another_employer",
            note="Applications to the offers of the establishments the employer acts for only.",
        ),
        "POST /api/v1/applications": AccessRule(
            Audience.ROLES, roles=("jeune",), methods=("POST",), note="A young person with a profile; others 403."
        ),
        "GET /api/v1/me/applications": AccessRule(
            Audience.ROLES, roles=("jeune",), note="The young person's own applications; others 403."
        ),
    }
    for key, rule in rules.items():
        register_access(key, rule)
