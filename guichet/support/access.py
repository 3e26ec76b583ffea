"""Who may reach each page and API operation of the support app (checked by tests/security)."""

from __future__ import annotations

from guichet.core.access import AccessRule, Audience, register_access

STAFF = ("conseiller", "admin")
TOKEN_NOTE = "Secret link of the request (or the session that sent it); an unknown pair answers 404."


def register_support_access() -> None:
    rules = {
        "support:home": AccessRule(Audience.PUBLIC),
        "support:ask": AccessRule(Audience.PUBLIC, methods=("GET", "POST")),
        "support:sent": AccessRule(Audience.TOKEN, note=TOKEN_NOTE),
        "support:follow": AccessRule(Audience.TOKEN, note=TOKEN_NOTE),
        "support:follow_reply": AccessRule(Audience.TOKEN, methods=("POST",), note=TOKEN_NOTE),
        "support:follow_close": AccessRule(Audience.TOKEN, methods=("POST",), note=TOKEN_NOTE),
        "support:follow_reopen": AccessRule(Audience.TOKEN, methods=("POST",), note=TOKEN_NOTE),
        "support:my_requests": AccessRule(Audience.AUTHENTICATED),
        "support:attachment": AccessRule(
            Audience.TOKEN, note="The requester (secret link or session) or an advisor who sees the request."
        ),
        "support:advisor_dashboard": AccessRule(Audience.ROLES, roles=STAFF),
        "support:advisor_detail": AccessRule(
            Audience.ROLES,
            roles=STAFF,
            methods=("GET", "POST"),
            owner_only=True,
            owner_sample="guichet.support.tests.access_samples.request_of_another_zone",
            note="Advisors see the requests of their zones d'emploi only.",
        ),
        "support:knowledge": AccessRule(Audience.PUBLIC),
        "support:page": AccessRule(Audience.PUBLIC),
        "support:page_history": AccessRule(Audience.PUBLIC),
        "support:guide": AccessRule(Audience.PUBLIC),
        "support:editor_dashboard": AccessRule(Audience.ROLES, roles=STAFF),
        "support:page_edit": AccessRule(
            Audience.ROLES, roles=STAFF, methods=("GET", "POST"), note="Advisors: the pages they own only."
        ),
        "support:page_review": AccessRule(
            Audience.ROLES, roles=STAFF, methods=("POST",), note="Advisors: the pages they own only."
        ),
        "GET /api/v1/requests/form-token": AccessRule(Audience.PUBLIC),
        "POST /api/v1/requests": AccessRule(Audience.PUBLIC, methods=("POST",)),
        "GET /api/v1/requests/{reference}": AccessRule(Audience.TOKEN, note=TOKEN_NOTE),
        "GET /api/v1/guide": AccessRule(Audience.PUBLIC),
        "GET /api/v1/knowledge": AccessRule(Audience.PUBLIC),
    }
    for key, rule in rules.items():
        register_access(key, rule)
