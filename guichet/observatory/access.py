"""Who may reach the observatory: analysts and administrators (aggregates only, no personal file)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

ANALYSTS = ("analyste", "admin")


def register_observatory_access() -> None:
    for name in ("dashboard", "map", "area", "needs", "glossary", "scenario", "export"):
        register_access(
            f"observatory:{name}",
            AccessRule(Audience.ROLES, roles=ANALYSTS, note="Aggregated indicators; others get the 403 page."),
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
