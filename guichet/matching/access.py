"""Who may reach the matching pages: the public search and offer page, the employer's and centre's lists."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access


def register_matching_access() -> None:
    rules = {
        "matching:search": AccessRule(Audience.PUBLIC, note="Published offers; a young person's profile fills it in."),
        "offers:detail": AccessRule(Audience.PUBLIC, note="Published offers only (offers.selectors.offer_get)."),
        "employers:offer_candidates": AccessRule(
            Audience.ROLES,
            roles=("employeur", "admin"),
            owner_only=True,
            owner_sample="guichet.matching.tests.access_samples.offer_of_another_employer",
            note="Offers of the establishments the employer acts for; profiles visible to employers only.",
        ),
        "trainings:young_without_employer": AccessRule(
            Audience.ROLES, roles=("cfa", "admin"), note="Counts for the user's centres, no names."
        ),
        "GET /api/v1/offers": AccessRule(Audience.PUBLIC, note="Published offers only."),
        "GET /api/v1/offers/{offer_id}": AccessRule(Audience.PUBLIC, note="Offers the caller may see (offer_get)."),
        "GET /api/v1/trainings": AccessRule(Audience.PUBLIC, note="Training catalogue (open data)."),
        "GET /api/v1/companies/likely-to-recruit": AccessRule(
            Audience.PUBLIC, note="Establishments from the public register and published offers."
        ),
    }
    for key, rule in rules.items():
        register_access(key, rule)
