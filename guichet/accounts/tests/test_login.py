import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import PASSWORD, UserFactory

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
PROFILE_URL = reverse("accounts:profile")


@pytest.mark.django_db
def test_login_by_email_ignores_its_case_and_lands_on_the_profile(client):
    user = UserFactory(email="sami.benali@exemple.fr")

    response = client.post(LOGIN_URL, {"username": "Sami.BenAli@EXEMPLE.fr", "password": PASSWORD})

    assert response.url == PROFILE_URL
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_a_wrong_password_gives_a_clear_french_error_and_no_session(client):
    UserFactory(email="sami.benali@exemple.fr")

    response = client.post(LOGIN_URL, {"username": "sami.benali@exemple.fr", "password": "pas le bon mot de passe"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors() == [
        "Adresse e-mail ou mot de passe incorrect. Vérifiez-les puis réessayez, "
        "ou choisissez «\u00a0Mot de passe oublié\u00a0»."
    ]
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_email_gets_the_same_error_as_a_wrong_password(client):
    response = client.post(LOGIN_URL, {"username": "personne@exemple.fr", "password": PASSWORD})
    assert response.context["form"].non_field_errors()[0].startswith("Adresse e-mail ou mot de passe incorrect.")


@pytest.mark.django_db
def test_login_follows_a_safe_next_url_only(client):
    UserFactory(email="a@exemple.fr")
    safe = client.post(
        f"{LOGIN_URL}?next=/compte/mot-de-passe/modifier/", {"username": "a@exemple.fr", "password": PASSWORD}
    )
    assert safe.url == "/compte/mot-de-passe/modifier/"

    client.logout()
    unsafe = client.post(
        f"{LOGIN_URL}?next=https://ailleurs.example/", {"username": "a@exemple.fr", "password": PASSWORD}
    )
    assert unsafe.url == PROFILE_URL


@pytest.mark.django_db
def test_logout_refuses_get_and_works_with_post(client):
    client.force_login(UserFactory())

    assert client.get(LOGOUT_URL).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(LOGOUT_URL, follow=True)
    assert "_auth_user_id" not in client.session
    assert response.redirect_chain == [(reverse("core:home"), 302)]
    assert "Vous êtes déconnecté." in response.content.decode()


@pytest.mark.django_db
def test_profile_requires_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={PROFILE_URL}"


@pytest.mark.django_db
def test_profile_shows_role_name_and_email(client):
    client.force_login(UserFactory(email="nora@exemple.fr", first_name="Nora", last_name="Lefebvre"))

    html = client.get(PROFILE_URL).content.decode()

    assert "<dt>Type de compte</dt><dd>Jeune</dd>" in html
    assert "<dt>Nom</dt><dd>Nora Lefebvre</dd>" in html
    assert "<dt>Adresse e-mail</dt><dd>nora@exemple.fr</dd>" in html


@pytest.mark.django_db
def test_profile_edits_first_and_last_name(client):
    user = UserFactory(first_name="Nora", last_name="Lefebvre")
    client.force_login(user)

    response = client.post(PROFILE_URL, {"first_name": " Noé ", "last_name": "Lefèvre"}, follow=True)

    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Noé", "Lefèvre")
    assert "Vos nom et prénom sont enregistrés." in response.content.decode()


@pytest.mark.django_db
def test_profile_refuses_an_empty_name_and_keeps_the_saved_one(client):
    user = UserFactory(first_name="Nora", last_name="Lefebvre")
    client.force_login(user)

    response = client.post(PROFILE_URL, {"first_name": "", "last_name": "Autre"})

    assert response.context["form"].errors == {"first_name": ["Saisissez votre prénom."]}
    assert "<dt>Nom</dt><dd>Nora Lefebvre</dd>" in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Nora", "Lefebvre")
