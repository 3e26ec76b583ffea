"""The shared layout (templates/base.html, guichet/core/templatetags/ui.py) seen through the account pages."""

import pytest
from django.test import override_settings
from django.urls import reverse

from guichet.accounts.tests.factories import UserFactory

PUBLIC_PAGES = [
    "core:home",
    "core:accessibility",
    "core:personal_data",
    "core:terms",
    "core:contact",
    "accounts:signup",
    "accounts:login",
    "accounts:password_reset",
    "employers:signup",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_has_the_landmarks_and_only_local_assets(client, name):
    html = client.get(reverse(name)).content.decode()

    assert '<html lang="fr">' in html
    assert html.index('class="skip-link" href="#contenu"') < html.index("<header")
    for landmark in ('<header class="site-header">', '<main id="contenu"', '<footer class="site-footer">'):
        assert landmark in html
    assert 'aria-label="Menu principal"' in html
    assert "<script>" not in html and " on" + "click=" not in html
    assert "http://" not in html.split("</head>")[0] and "https://" not in html.split("</head>")[0]


@pytest.mark.django_db
@override_settings(DEMO_BANNER=True)
def test_the_demo_banner_shows_when_the_demo_population_is_loaded(client):
    assert "Données de démonstration fictives." in client.get("/").content.decode()


@pytest.mark.django_db
@override_settings(DEMO_BANNER=False)
def test_no_demo_banner_without_the_demo_population(client):
    assert "Données de démonstration fictives" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_header_offers_login_and_signup_then_profile_and_a_logout_form(client):
    anonymous = client.get("/").content.decode()
    assert "Se connecter" in anonymous and "Créer un compte" in anonymous and "Se déconnecter" not in anonymous

    client.force_login(UserFactory())
    logged_in = client.get("/").content.decode()
    assert "Mon profil" in logged_in and "Se connecter" not in logged_in
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in logged_in


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_navigation(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert '<a href="/accessibilite/" aria-current="page">Accessibilité&nbsp;: non conforme</a>' in html
    assert '<a href="/" aria-current="page">' not in html


@pytest.mark.django_db
@override_settings(CONTACT_EMAIL="guichet@exemple.fr")
def test_the_contact_page_shows_the_configured_address(client):
    assert 'href="mailto:guichet@exemple.fr"' in client.get(reverse("core:contact")).content.decode()


@pytest.mark.django_db
def test_the_home_page_links_each_audience_to_a_page_that_exists(client):
    html = client.get("/").content.decode()
    for anchor in ('id="jeunes"', 'id="familles"', 'id="entreprises"', 'id="centres-de-formation"'):
        assert anchor in html
    for name in ("accounts:signup", "employers:signup", "accounts:login", "api-v1:openapi-view"):
        url = reverse(name)
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
