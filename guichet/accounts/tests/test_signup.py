import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.services import AccountError, user_create_young
from guichet.accounts.tests.factories import PASSWORD, UserFactory

SIGNUP_URL = reverse("accounts:signup")


def signup_data(**overrides):
    data = {
        "email": "lea.dupont@exemple.fr",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Léa",
        "last_name": "Dupont",
        "accept_terms": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.mark.django_db
def test_signup_creates_a_young_person_logs_them_in_and_shows_the_profile(client):
    before = timezone.now()
    response = client.post(SIGNUP_URL, signup_data(email="Lea.Dupont@Exemple.FR"), follow=True)

    user = User.objects.get(email__iexact="lea.dupont@exemple.fr")
    assert (user.email, user.first_name, user.last_name, user.role) == (
        "lea.dupont@exemple.fr",
        "Léa",
        "Dupont",
        Role.YOUNG,
    )
    assert user.check_password(PASSWORD)
    assert user.terms_accepted_at >= before
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert response.context["user"] == user
    assert "Votre compte est créé" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("email", {"email": ""}, "Saisissez votre adresse e-mail."),
        ("email", {"email": "lea.dupont"}, "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."),
        ("first_name", {"first_name": ""}, "Saisissez votre prénom."),
        ("last_name", {"last_name": None}, "Saisissez votre nom."),
        ("password1", {"password1": ""}, "Choisissez un mot de passe."),
        ("password2", {"password2": "une autre phrase de passe"}, "Les deux mots de passe sont différents."),
        ("accept_terms", {"accept_terms": None}, "Cochez la case pour accepter les conditions d'utilisation."),
    ],
)
def test_signup_errors_are_in_french_on_the_field_at_fault(client, field, overrides, message):
    users_before = User.objects.count()
    response = client.post(SIGNUP_URL, signup_data(**overrides))

    assert response.status_code == 200
    assert User.objects.count() == users_before
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


@pytest.mark.django_db
def test_signup_error_is_tied_to_its_field_and_listed_in_the_summary(client):
    response = client.post(SIGNUP_URL, signup_data(first_name=""))
    html = response.content.decode()

    assert "<title>Erreur&nbsp;: Créer votre compte" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_first_name_error"' in html
    assert '<ul class="errorlist" id="id_first_name_error"><li>Saisissez votre prénom.</li></ul>' in html
    assert '<a href="#id_first_name">Prénom&nbsp;: Saisissez votre prénom.</a>' in html


@pytest.mark.django_db
def test_signup_refuses_an_email_already_used_whatever_its_case(client):
    UserFactory(email="lea.dupont@exemple.fr")

    response = client.post(SIGNUP_URL, signup_data(email="LEA.Dupont@exemple.fr"))

    assert field_errors(response, "email") == [
        "Un compte existe déjà avec cette adresse e-mail. "
        "Connectez-vous, ou choisissez «\u00a0Mot de passe oublié\u00a0»."
    ]
    assert User.objects.filter(email__iexact="lea.dupont@exemple.fr").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court1Aa!", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
        ("telechargement", "Ce mot de passe est trop courant."),
        ("482917365019", "Ce mot de passe est entièrement numérique."),
        ("lea.dupont@exemple", "Le mot de passe est trop semblable au champ «\u00a0adresse e-mail\u00a0»."),
    ],
)
def test_signup_applies_the_password_rules_in_french(client, password, message):
    response = client.post(SIGNUP_URL, signup_data(password1=password, password2=password))

    assert message in field_errors(response, "password1")
    assert not User.objects.filter(email__iexact="lea.dupont@exemple.fr").exists()


@pytest.mark.django_db
def test_a_logged_in_person_is_sent_from_signup_to_their_profile(client):
    client.force_login(UserFactory())
    assert client.get(SIGNUP_URL).url == reverse("accounts:profile")


@pytest.mark.django_db
def test_user_create_young_refuses_a_duplicate_email_and_a_weak_password():
    user_create_young(email="a@exemple.fr", password=PASSWORD, first_name="A", last_name="B")

    with pytest.raises(AccountError):
        user_create_young(email=" A@EXEMPLE.fr ", password=PASSWORD, first_name="A", last_name="B")
    with pytest.raises(ValidationError):
        user_create_young(email="b@exemple.fr", password="court", first_name="A", last_name="B")
    created = User.objects.filter(email__in=["a@exemple.fr", "b@exemple.fr"])
    assert list(created.values_list("email", "role")) == [("a@exemple.fr", Role.YOUNG)]
