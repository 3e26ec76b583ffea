"""Who may reach the aid pages: simulators and programmes are public; employers apply for and follow the aids
of their establishments; advisors instruct those of their zones d'emploi (checked by tests/security)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

FOLLOWERS = ("employeur", "conseiller", "admin")
ADVISORS = ("conseiller", "admin")
SAMPLES = "guichet.aids.tests.access_samples"
VISIBLE = "AidApplication.objects.visible_to: employers their establishments', advisors their zones'; else 404."


def register_aids_access() -> None:
    advisor_action = AccessRule(
        Audience.ROLES, roles=ADVISORS, methods=("POST",), owner_only=True, note="Applications of the advisor's zones."
    )
    rules = {
        "aids:index": AccessRule(Audience.PUBLIC),
        "aids:salary": AccessRule(Audience.PUBLIC, note="Simulator; no personal data kept."),
        "aids:employer": AccessRule(Audience.PUBLIC, note="Simulator; pre-filled only from offers the user may see."),
        "aids:programmes": AccessRule(Audience.PUBLIC),
        "aids:applications": AccessRule(Audience.ROLES, roles=FOLLOWERS, note=VISIBLE),
        "aids:application_create": AccessRule(
            Audience.ROLES, roles=("employeur",), methods=("GET", "POST"), note="For the employer's own contracts."
        ),
        "aids:application": AccessRule(
            Audience.ROLES,
            roles=FOLLOWERS,
            owner_only=True,
            owner_sample=f"{SAMPLES}.application_of_another_employer",
            note=VISIBLE,
        ),
        "aids:application_letter": AccessRule(
            Audience.ROLES,
            roles=FOLLOWERS,
            owner_only=True,
            owner_sample=f"{SAMPLES}.decided_application_of_another_employer",
            note=VISIBLE,
        ),
        "aids:application_document": advisor_action,
        "aids:document_received": advisor_action,
        "aids:application_note": advisor_action,
        "aids:application_grant": advisor_action,
        "aids:application_refuse": advisor_action,
        "aids:payment_pay": advisor_action,
        "aids:queue": AccessRule(Audience.ROLES, roles=ADVISORS, note="Applications of the advisor's zones."),
        "aids:budgets": AccessRule(Audience.ROLES, roles=ADVISORS, note="Budget totals, no personal data."),
        "aids:payment_export": AccessRule(Audience.ROLES, roles=ADVISORS, note="Payments of the advisor's zones."),
        "POST /api/v1/simulations/salary": AccessRule(Audience.PUBLIC, methods=("POST",), note="Nothing stored."),
        "POST /api/v1/simulations/aids": AccessRule(Audience.PUBLIC, methods=("POST",), note="Nothing stored."),
        "GET /api/v1/aids/programmes": AccessRule(Audience.PUBLIC),
    }
    for key, rule in rules.items():
        register_access(key, rule)
