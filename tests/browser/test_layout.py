import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_home_page_has_landmarks_a_working_skip_link_and_no_foreign_request(page, foreign_requests, screenshot):
    page.goto("/")

    expect(page).to_have_title("Accueil · Guichet Apprentissage · Région Hauts-de-France")
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    expect(page.get_by_role("navigation", name="Mon compte")).to_be_visible()
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("Guichet Apprentissage")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Créer mon compte")).to_be_focused()

    screenshot("home-desktop")
    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot("home-mobile")
    assert foreign_requests == []


def test_the_foreign_request_guard_catches_a_request_to_another_origin(page, foreign_requests):
    page.goto("/")
    page.evaluate("fetch('https://cdn.example.org/lib.js').catch(() => null)")
    page.wait_for_timeout(200)

    assert foreign_requests == ["https://cdn.example.org/lib.js"]
    foreign_requests.clear()  # the guard worked: let the teardown check pass
