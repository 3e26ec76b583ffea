"""Who may reach the observatory: analysts and administrators (aggregates only, no personal file)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

ANALYSTS = ("analyste", "admin")
CENTRES = ("cfa", "admin")


def register_observatory_access() -> None:
    for name in ("dashboard", "map", "area", "needs", "glossary", "scenario", "export"):
        register_access(
            f"observatory:{name}",
            AccessRule(Audience.ROLES, roles=ANALYSTS, note="Aggregated indicators; others get the 403 page."),
        )
    register_access(
        "observatory:proposals",
        AccessRule(Audience.ROLES, roles=ANALYSTS, note="Every proposal sent to centres, for the Region's follow-up."),
    )
    register_access(
        "observatory:proposal_create",
        AccessRule(Audience.ROLES, roles=ANALYSTS, methods=("GET", "POST"), note="Analysts send proposals."),
    )
    register_access(
        "observatory:centre_proposals",
        AccessRule(Audience.ROLES, roles=CENTRES, note="Proposals sent to the user's centres only."),
    )
    register_access(
        "observatory:proposal",
        AccessRule(
            Audience.ROLES,
            roles=(*ANALYSTS, "cfa"),
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample="guichet.observatory.tests.access_samples.proposal_of_another_centre",
            note="Analysts see and follow every proposal; centre staff only those sent to their centres (404).",
        ),
    )
    register_access(
        "observatory:proposal_answer",
        AccessRule(
            Audience.ROLES,
            roles=CENTRES,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample="guichet.observatory.tests.access_samples.proposal_of_another_centre",
            note="Only the staff of the centre the proposal was sent to answer it (404 for the others).",
        ),
    )
    api_rule = AccessRule(Audience.ROLES, roles=ANALYSTS, note="Aggregated indicators; others get 403.")
    for key in (
        "GET /api/v1/observatory/kpis",
        "GET /api/v1/observatory/targets",
        "GET /api/v1/observatory/gaps",
        "GET /api/v1/observatory/exports/{table}.csv",
    ):
        register_access(key, api_rule)
    register_access(
        "POST /api/v1/observatory/scenarios",
        AccessRule(Audience.ROLES, roles=ANALYSTS, methods=("POST",), note="Aggregated indicators; others get 403."),
    )
