"""Who may reach the contract drafts: the two sides of the application (young person, employer or the centre
that posted the offer) and administrators; anyone else gets 404 (contracts.services.draft_sides_for)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

SIDES = ("jeune", "employeur", "cfa", "admin")
SAMPLES = "guichet.contracts.tests.access_samples"
NOTE = "The sides of the application only (draft_sides_for); anyone else gets 404."


def register_contracts_access() -> None:
    rules = {
        "contracts:for_application": AccessRule(
            Audience.ROLES,
            roles=SIDES,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.application_of_another_young_person",
            note=NOTE,
        ),
        "contracts:draft": AccessRule(
            Audience.ROLES,
            roles=SIDES,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.draft_of_another_young_person",
            note=NOTE,
        ),
        "contracts:draft_pdf": AccessRule(
            Audience.ROLES,
            roles=SIDES,
            owner_only=True,
            owner_sample=f"{SAMPLES}.draft_of_another_young_person",
            note=NOTE,
        ),
    }
    for key, rule in rules.items():
        register_access(key, rule)
