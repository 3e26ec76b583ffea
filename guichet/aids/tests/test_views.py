"""Simulator pages through HTTP: blank form, results in French format, errors naming the field, prefill."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from guichet.aids.models import Simulation
from guichet.employers.tests.factories import CompanyFactory, EstablishmentFactory
from guichet.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_earlier_simulations():
    """Browser journeys on a reused database may have committed simulations: start each test from none."""
    Simulation.objects.all().delete()


WORKED = {
    "birth_date": "2007-03-15",
    "contract_start": "2024-09-01",
    "contract_end": "2027-08-31",
    "weekly_hours": "35",
}


def test_blank_salary_simulator_shows_the_form_and_its_sources(client):
    response = client.get("/aides/salaire/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Date de naissance de l&#x27;apprenti" in html and "D6222-26" in html
    assert not Simulation.objects.exists()


def test_salary_simulator_shows_the_worked_example_in_french_format(client):
    html = client.get("/aides/salaire/", WORKED).content.decode()
    assert "477,07\xa0€" in html and "774,78\xa0€" in html and "1\u202f250,91\xa0€" in html
    assert "nouvelle tranche « 18 à 20 ans » à partir du 1er avril 2025" in html
    assert Simulation.objects.get().kind == "salary"


def test_salary_simulator_compares_another_start_and_another_age(client):
    html = client.get(
        "/aides/salaire/", WORKED | {"compare_start": "2025-09-01", "compare_age": "21"}
    ).content.decode()
    assert "Si le contrat commence le 01/09/2025" in html
    assert "Si l&#x27;apprenti a 21 ans au début du contrat" in html
    assert Simulation.objects.count() == 1  # comparisons are not recorded


def test_salary_simulator_refuses_a_14_year_old_with_the_field_named_and_records_nothing(client):
    response = client.get("/aides/salaire/", WORKED | {"birth_date": "2010-10-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and "il faut avoir au moins 16 ans" in html
    assert 'href="#id_birth_date"' in html
    assert not Simulation.objects.exists()


def test_salary_simulator_refuses_negative_hours(client):
    html = client.get("/aides/salaire/", WORKED | {"weekly_hours": "-3"}).content.decode()
    assert "La durée hebdomadaire doit être un nombre d&#x27;heures positif." in html
    assert not Simulation.objects.exists()


def test_employer_simulator_shows_aids_with_reasons_and_the_net_cost(client):
    params = WORKED | {
        "contract_start": "2026-09-01",
        "contract_end": "2028-08-31",
        "concluded_on": "2026-04-01",
        "headcount": "12",
        "diploma_level": "4",
        "birth_date": "2008-05-02",
    }
    html = client.get("/aides/employeur/", params).content.decode()
    assert "Aide à l&#x27;embauche d&#x27;apprentis 2026" in html
    assert "5\u202f000,00\xa0€" in html
    assert "Coût net sur le contrat" in html
    assert Simulation.objects.get().kind == "employer"


def test_employer_simulator_is_prefilled_from_a_published_offer(client):
    offer = OfferFactory(
        published=True, establishment=EstablishmentFactory(company=CompanyFactory(headcount_band="10-19"))
    )
    html = client.get("/aides/employeur/", {"offre": offer.pk}).content.decode()
    assert "Formulaire prérempli avec l&#x27;offre" in html
    assert 'value="2027-09-01"' in html and 'value="2029-08-31"' in html


def test_a_draft_offer_of_someone_else_does_not_prefill(client):
    offer = OfferFactory()
    html = client.get("/aides/employeur/", {"offre": offer.pk}).content.decode()
    assert "prérempli" not in html


def test_programmes_page_lists_aids_in_force_at_a_date(client):
    html = client.get("/aides/en-vigueur/", {"date": "2026-03-07"}).content.decode()
    assert "Aide unique (1er janvier - 7 mars 2026)" in html
    assert "Aide à l&#x27;embauche d&#x27;apprentis 2026" not in html


def test_offer_pay_summary_tag_renders_the_pay_range_and_net_cost():
    offer = OfferFactory(
        published=True, establishment=EstablishmentFactory(company=CompanyFactory(headcount_band="1-5"))
    )
    html = Template("{% load aids_tags %}{% offer_pay_summary offer %}").render(Context({"offer": offer}))
    assert "16 ans (moins de 18 ans)" in html and "26 ans (26 ans et plus)" in html
    assert "Coût net employeur" in html
    assert f"?offre={offer.pk}" in html


def test_euros_filter_formats_in_french():
    assert (
        Template("{% load aids_tags %}{{ v|euros }}").render(Context({"v": Decimal("1801.8")})) == "1\u202f801,80\xa0€"
    )
