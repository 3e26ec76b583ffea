"""Who may reach the offer pages of the employer and training-centre spaces (checked by tests/security)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

EMPLOYERS = ("employeur", "admin")
CENTRES = ("cfa", "admin")
SAMPLES = "guichet.offers.tests.access_samples"
EMPLOYER_NOTE = "Offers of the establishments the employer acts for only (Offer.objects.editable_by)."
CENTRE_NOTE = "Offers posted by the user's training centres only (Offer.objects.editable_by)."


def register_offers_access() -> None:
    rules = {
        "employers:offer_new": AccessRule(
            Audience.ROLES, roles=EMPLOYERS, methods=("GET", "POST"), note="For the user's own establishments."
        ),
        "employers:offer_edit": AccessRule(
            Audience.ROLES,
            roles=EMPLOYERS,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.offer_of_another_employer",
            note=EMPLOYER_NOTE,
        ),
        "employers:offer_publish": AccessRule(
            Audience.ROLES, roles=EMPLOYERS, methods=("POST",), owner_only=True, note=EMPLOYER_NOTE
        ),
        "employers:offer_withdraw": AccessRule(
            Audience.ROLES, roles=EMPLOYERS, methods=("POST",), owner_only=True, note=EMPLOYER_NOTE
        ),
        "trainings:partner_offer_create": AccessRule(
            Audience.ROLES, roles=CENTRES, methods=("GET", "POST"), note="On behalf of the user's centres only."
        ),
        "trainings:offer_edit": AccessRule(
            Audience.ROLES,
            roles=CENTRES,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample=f"{SAMPLES}.offer_posted_by_another_centre",
            note=CENTRE_NOTE,
        ),
        "trainings:offer_publish": AccessRule(
            Audience.ROLES, roles=CENTRES, methods=("POST",), owner_only=True, note=CENTRE_NOTE
        ),
        "trainings:offer_withdraw": AccessRule(
            Audience.ROLES, roles=CENTRES, methods=("POST",), owner_only=True, note=CENTRE_NOTE
        ),
    }
    for key, rule in rules.items():
        register_access(key, rule)
