"""axe-core (vendored, tests/browser/vendor/) on every page: 0 violations of the WCAG 2.1 A and AA rules.

Pages come from the URL patterns and the access rules (guichet/core/access.py), so new pages are checked
as soon as they exist: every page without URL parameters, as an anonymous visitor when it is public,
otherwise as the first role that may see it (advisors and administrators with their second factor).
Error states of the main forms are checked too. axe runs through Playwright's evaluate (DevTools), which
the page's strict Content-Security-Policy does not block, so the CSP stays on while testing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.core.access import Audience, access_rules
from tests.browser.conftest import MOBILE
from tests.security.test_access_matrix import view_endpoints

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENDOR = Path(__file__).parent / "vendor"
AXE_SOURCE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
AXE_LOCALE = json.loads((VENDOR / "axe-fr.json").read_text(encoding="utf-8"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLE_ORDER = [Role.YOUNG, Role.EMPLOYER, Role.TRAINING_CENTRE, Role.ADVISOR, Role.ANALYST, Role.ADMIN]
# Not HTML pages: JSON, fragments for htmx, or the third-party Swagger UI (checked apart below).
NOT_PAGES = {
    "healthz",
    "api-v1:openapi-json",
    "api-v1:openapi-view",
    "api-v1:api-root",
    "territory:commune_suggestions",
    "jobs:job_suggestions",
    "aids:payment_export",  # a CSV download
}
# Pages that only make sense right after an action (they redirect otherwise) or are not GET pages.
TRANSIENT = {"accounts:two_factor_codes", "accounts:account_deleted", "accounts:my_data_export"}


def axe_violations(page) -> list[dict[str, object]]:
    """Run axe on the loaded page; returns the violations (rule id, impact, help, the first targets)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
        page.evaluate("locale => axe.configure({locale})", AXE_LOCALE)
    return page.evaluate(
        """async tags => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            // page.evaluate has no timeout of its own: a stuck axe run fails the test instead of the suite.
            const timeout = new Promise((_, reject) =>
                setTimeout(() => reject(new Error("axe.run a dépassé 60 s")), 60000));
            const results = await Promise.race([axe.run(document, options), timeout]);
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )


def _pages() -> list[tuple[str, str, str | None]]:
    """(key, path, role or None for anonymous) for every page without URL parameters."""
    rules = access_rules()
    pages = []
    for endpoint in view_endpoints():
        if endpoint.kwargs or endpoint.key in NOT_PAGES | TRANSIENT:
            continue
        rule = rules.get(endpoint.key)
        if rule is not None and "GET" not in rule.methods:
            continue
        if rule is None:
            role = "?"  # pending: the first role that gets the page
        elif rule.is_public:
            role = None
        elif rule.audience == Audience.ROLES:
            role = next(role for role in ROLE_ORDER if role in rule.roles)
        else:
            role = Role.YOUNG
        pages.append((endpoint.key, endpoint.url(), role))
    return pages


PAGES = _pages()


def _open_as(browser, live_url: str, login_as, role: str | None, path: str):
    context = browser.new_context(base_url=live_url, locale="fr-FR")
    context.set_default_timeout(10_000)
    if role is not None and role != "?":
        login_as(context, role)
    page = context.new_page()
    response = page.goto(path)
    if role == "?":
        for candidate in [None, *ROLE_ORDER]:
            if candidate is not None:
                context.clear_cookies()
                login_as(context, candidate)
                response = page.goto(path)
            if response.ok and page.url.endswith(path) and not page.url.endswith(reverse("accounts:login")):
                break
    return context, page, response


@pytest.mark.parametrize(("key", "path", "role"), PAGES, ids=[key for key, _, _ in PAGES])
def test_the_page_has_no_wcag_a_or_aa_violation(browser, live_url, login_as, key, path, role):
    context, page, response = _open_as(browser, live_url, login_as, role, path)
    try:
        assert response.status < 500, f"{path}: {response.status}"
        if not response.ok:
            pytest.skip(f"{key}: no role gets this page without data ({response.status})")
        violations = axe_violations(page)
        assert violations == [], f"{key} ({path}) as {role or 'anonyme'}: {json.dumps(violations, indent=1)}"
        page.set_viewport_size(MOBILE)
        assert axe_violations(page) == []
    finally:
        context.close()


FORMS_WITH_ERRORS = {
    "accounts:login": "Se connecter",
    "accounts:signup": "Créer mon compte",
    "accounts:password_reset": None,
    "employers:signup": None,
}


@pytest.mark.parametrize("key", FORMS_WITH_ERRORS, ids=list(FORMS_WITH_ERRORS))
def test_a_form_showing_its_errors_has_no_violation(page, key):
    page.goto(reverse(key))
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary, .errorlist").count() > 0, f"{key}: no error shown for an empty form"
    assert axe_violations(page) == []


def test_the_two_factor_pages_have_no_violation(browser, live_url, login_as, committed):
    context = browser.new_context(base_url=live_url, locale="fr-FR")
    try:
        young = login_as(context, Role.YOUNG)
        page = context.new_page()
        page.goto(reverse("accounts:two_factor_setup"))
        assert page.locator("svg[role=img]").count() == 1
        assert axe_violations(page) == []
        page.goto(reverse("accounts:my_data"))
        assert axe_violations(page) == []
        assert young.pk
    finally:
        context.close()


def test_the_api_docs_work_under_the_strict_policy(page):
    """Swagger UI is django-ninja's, not ours: here it must load and run with the strict CSP (the guard
    fails the test on any violation); its own accessibility is not claimed (docs/accessibility.md)."""
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.locator("input[placeholder=q]").fill("amiens")
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector(".responses-table .response-col_status")


def test_the_axe_check_does_catch_a_violation(page):
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert "label" in [violation["id"] for violation in axe_violations(page)]


def test_the_guard_reports_an_inline_script_blocked_by_the_policy(page, csp_violations):
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None  # the strict policy refused to run it
    assert any("script-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # the guard worked: let the teardown check pass


def test_the_guard_reports_a_stylesheet_from_another_origin(page, foreign_requests):
    page.goto("/")
    page.evaluate(
        "() => { const l = document.createElement('link'); l.rel = 'stylesheet';"
        " l.href = 'https://fonts.example.net/font.css'; document.head.appendChild(l); }"
    )
    page.wait_for_timeout(300)
    assert foreign_requests == ["https://fonts.example.net/font.css"]
    foreign_requests.clear()
