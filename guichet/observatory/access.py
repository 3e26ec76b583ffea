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
