"""Keyboard-only journeys: sign up, log in, and an advisor's login with the second factor. No mouse: focus
moves with Tab only, forward, in the order of the page; Space ticks, Enter submits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guichet.accounts.models import Role
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "une phrase de passe solide"


def tab_to(page, selector: str, *, limit: int = 40) -> int:
    """Press Tab until the focused element matches `selector`; returns the presses. Fails past `limit`
    (an element that Tab never reaches is unusable without a mouse)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            visible = page.evaluate(
                "() => { const r = document.activeElement.getBoundingClientRect();"
                " return r.width > 0 && r.height > 0; }"
            )
            assert visible, f"{selector} has the focus but cannot be seen"
            return presses
    raise AssertionError(f"Tab never reaches {selector}")


def test_a_young_person_signs_up_with_the_keyboard_only(page, unique_email):
    email = unique_email("clavier")
    page.goto("/compte/inscription/")
    tab_to(page, "#id_email")
    page.keyboard.type(email)
    for selector, text in (
        ("#id_password1", PASSWORD),
        ("#id_password2", PASSWORD),
        ("#id_first_name", "Noé"),
        ("#id_last_name", "Lefèvre"),
    ):
        assert tab_to(page, selector, limit=3) <= 3  # the next field, not somewhere else
        page.keyboard.type(text)
    tab_to(page, "#id_accept_terms", limit=4)
    page.keyboard.press("Space")
    expect(page.locator("#id_accept_terms")).to_be_checked()
    tab_to(page, "button[type=submit]", limit=3)
    page.keyboard.press("Enter")
    expect(page).to_have_url("/compte/profil/")
    expect(page.get_by_role("status")).to_contain_text("Votre compte est créé")


def test_a_sign_up_error_is_reached_and_fixed_with_the_keyboard(page, unique_email):
    page.goto("/compte/inscription/")
    tab_to(page, "#id_email")
    page.keyboard.type(unique_email("clavier"))
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    expect(page.locator("#id_password1")).to_be_focused()
    assert axe_violations(page) == []


def test_a_person_logs_in_with_the_keyboard_only(page, committed):
    from guichet.accounts.tests.factories import UserFactory

    user = committed(lambda: UserFactory(email="clavier-connexion@exemple.fr"), lambda made: made.delete())
    page.goto("/")
    tab_to(page, "a[href='/compte/connexion/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/compte/connexion/")
    tab_to(page, "#id_username")
    page.keyboard.type(user.email)
    tab_to(page, "#id_password", limit=2)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url("/compte/profil/")


def test_an_advisor_logs_in_with_the_code_of_their_application_using_the_keyboard_only(page, committed):
    from guichet.accounts.testing import totp_code, totp_device_confirmed
    from guichet.accounts.tests.factories import UserFactory

    def make():
        advisor = UserFactory(email="clavier-conseiller@exemple.fr", role=Role.ADVISOR)
        return advisor, totp_device_confirmed(advisor)

    advisor, device = committed(make, lambda made: made[0].delete())
    page.goto("/compte/connexion/")
    tab_to(page, "#id_username")
    page.keyboard.type(advisor.email)
    tab_to(page, "#id_password", limit=2)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir votre code de vérification")
    assert axe_violations(page) == []
    tab_to(page, "#id_code")
    page.keyboard.type(totp_code(device))
    page.keyboard.press("Enter")
    expect(page).to_have_url("/compte/profil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
