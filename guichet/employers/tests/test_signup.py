"""Employer sign-up: account, company (SIREN), establishment (SIRET) and membership, all or nothing.

Needs the territory reference data (REFERENCE_DATASETS=territory or more).
"""

import html

import pytest
from django.db.models import Count
from django.urls import reverse

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.employers.enums import HeadcountBand, NafLevel
from guichet.employers.models import Company, Establishment, EstablishmentMembership, NafActivity
from guichet.employers.signup import EmployerSignupError, employer_signup, naf_normalize, siret_normalize
from guichet.employers.validators import luhn_check_digit
from guichet.territory.models import Commune

SIGNUP_URL = reverse("employers:signup")


def valid_siret(first_13: str) -> str:
    return first_13 + luhn_check_digit(first_13)


SIRET = valid_siret("4423152800001")


@pytest.fixture
def naf(db):
    activity, _ = NafActivity.objects.get_or_create(
        code="56.10A", defaults={"label": "Restauration traditionnelle", "level": NafLevel.SUBCLASS}
    )
    return activity


def form_data(**overrides):
    data = {
        "email": "gerante@boulangerie.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Aïcha",
        "last_name": "Durand",
        "siret": " ".join([SIRET[:3], SIRET[3:6], SIRET[6:9], SIRET[9:]]),
        "company_name": "Boulangerie du Beffroi",
        "naf": "5610a",
        "headcount_band": HeadcountBand.FROM_1_TO_5,
        "commune": "80021",
        "commune_label": "Amiens (80000)",
        "accept_terms": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_siret_and_naf_are_normalised():
    assert siret_normalize("442 315 280\u00a000012") == "44231528000012"
    assert naf_normalize(" 56 10 a") == "56.10A"
    assert naf_normalize("56.10A") == "56.10A"


@pytest.mark.django_db
def test_signup_creates_the_employer_company_establishment_and_membership(client, naf):
    response = client.post(SIGNUP_URL, form_data(), follow=True)

    user = User.objects.get(email="gerante@boulangerie.example")
    assert user.role == Role.EMPLOYER
    establishment = Establishment.objects.get(siret=SIRET)
    assert establishment.company.siren == SIRET[:9]
    assert establishment.company.name == "Boulangerie du Beffroi"
    assert (establishment.naf, establishment.headcount_band, establishment.commune.insee) == (
        naf,
        HeadcountBand.FROM_1_TO_5,
        "80021",
    )
    assert EstablishmentMembership.objects.filter(user=user, establishment=establishment).exists()
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "l'établissement Boulangerie du Beffroi est inscrit" in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_a_second_establishment_joins_the_existing_company(naf):
    amiens = Commune.objects.get(insee="80021")
    company = Company.objects.create(siren=SIRET[:9], name="Boulangeries du Nord")
    other_siret = valid_siret(SIRET[:9] + "0002")

    membership = employer_signup(
        email="second@exemple.fr",
        password=PASSWORD,
        first_name="Jo",
        last_name="Petit",
        siret=other_siret,
        company_name="Boulangerie de la Gare",
        naf=naf,
        headcount_band=HeadcountBand.FROM_6_TO_9,
        commune=amiens,
    )

    assert membership.establishment.company == company
    assert Company.objects.filter(siren=SIRET[:9]).count() == 1
    assert company.establishments.get().name == "Boulangerie de la Gare"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("", "Saisissez le numéro SIRET de l'établissement (14 chiffres)."),
        ("4423152800001", "Le numéro SIRET doit comporter 14 chiffres ; vous en avez saisi 13."),
        ("44231528000O12", "Le numéro SIRET ne contient que des chiffres : retirez les lettres et les autres signes."),
        (
            SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10),
            "Ce numéro SIRET n'est pas valide : vérifiez les chiffres saisis (clé de contrôle incorrecte).",
        ),
    ],
)
def test_siret_errors_say_what_to_fix(client, naf, siret, message):
    response = client.post(SIGNUP_URL, form_data(siret=siret))

    assert response.context["form"].errors == {"siret": [message]}
    assert not User.objects.filter(email="gerante@boulangerie.example").exists()


@pytest.mark.django_db
def test_an_establishment_already_registered_is_refused(client, naf):
    client.post(SIGNUP_URL, form_data())
    client.logout()

    response = client.post(SIGNUP_URL, form_data(email="autre@exemple.fr"))

    assert response.context["form"].errors["siret"][0].startswith("Cet établissement est déjà inscrit sur le guichet.")
    assert not User.objects.filter(email="autre@exemple.fr").exists()


@pytest.mark.django_db
def test_an_unknown_naf_code_is_refused(client, naf):
    response = client.post(SIGNUP_URL, form_data(naf="99.99Z"))

    assert response.context["form"].errors == {
        "naf": [
            "Le code «\u00a099.99Z\u00a0» n'est pas un code d'activité NAF : "
            "vérifiez-le sur l'avis de situation Insee (4 chiffres et une lettre, par exemple 56.10A)."
        ]
    }


@pytest.mark.django_db
def test_a_duplicate_email_leaves_no_company_behind(naf):
    UserFactory(email="deja@exemple.fr")

    with pytest.raises(EmployerSignupError) as error:
        employer_signup(
            email="Deja@exemple.fr",
            password=PASSWORD,
            first_name="A",
            last_name="B",
            siret=SIRET,
            company_name="X",
            naf=naf,
            headcount_band=HeadcountBand.NONE,
            commune=Commune.objects.get(insee="80021"),
        )

    assert error.value.field == "email"
    assert not Company.objects.filter(siren=SIRET[:9]).exists()
    assert not Establishment.objects.filter(siret=SIRET).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "insee"),
    [
        ("Amiens", "80021"),
        ("amiens", "80021"),
        ("80000", "80021"),
        ("Amiens (80000)", "80021"),
        ("Abbeville 80100", "80001"),
    ],
)
def test_without_javascript_the_commune_is_resolved_from_a_name_or_postcode(client, naf, typed, insee):
    client.post(SIGNUP_URL, form_data(commune="", commune_label=typed))

    assert Establishment.objects.get(siret=SIRET).commune.insee == insee


@pytest.mark.django_db
def test_an_ambiguous_commune_name_asks_for_the_postcode(client, naf):
    shared = Commune.objects.values("search_name").annotate(count=Count("id")).filter(count__gt=1).order_by("-count")
    typed = Commune.objects.filter(search_name=shared[0]["search_name"]).first().name

    response = client.post(SIGNUP_URL, form_data(commune="", commune_label=typed))

    error = response.context["form"].errors["commune"][0]
    assert error.startswith(f"Plusieurs communes correspondent à «\u00a0{typed}\u00a0» (")
    assert "précisez le code postal" in error
    assert not Establishment.objects.filter(siret=SIRET).exists()


@pytest.mark.django_db
def test_an_unknown_commune_is_refused_and_what_was_typed_is_kept(client, naf):
    response = client.post(SIGNUP_URL, form_data(commune="", commune_label="Atlantide"))

    assert response.context["form"].errors["commune"] == [
        "Aucune commune ne correspond à «\u00a0Atlantide\u00a0». Vérifiez l'orthographe ou saisissez le code postal."
    ]
    assert 'name="commune_label" value="Atlantide"' in response.content.decode()


@pytest.mark.django_db
def test_a_chosen_commune_code_wins_over_an_ambiguous_label(client, naf):
    client.post(SIGNUP_URL, form_data(commune="80021", commune_label="Amiens (80000)"))
    assert Establishment.objects.get(siret=SIRET).commune.insee == "80021"


@pytest.mark.django_db
def test_a_code_left_behind_after_retyping_the_commune_is_ignored(client, naf):
    client.post(SIGNUP_URL, form_data(commune="80021", commune_label="Abbeville"))
    assert Establishment.objects.get(siret=SIRET).commune.insee == "80001"


@pytest.mark.django_db
def test_missing_commune_asks_for_it(client, naf):
    response = client.post(SIGNUP_URL, form_data(commune="", commune_label=""))
    assert response.context["form"].errors["commune"] == [
        "Saisissez le nom ou le code postal de la commune, puis choisissez-la dans la liste."
    ]
