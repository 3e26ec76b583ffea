"""The observatory's pages: reserved to analysts, they read the summaries and link every figure to the glossary."""

from datetime import date

import pytest
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.observatory.models import KpiSeries
from guichet.observatory.services import kpis_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    user = UserFactory(role=Role.ANALYST)
    client.force_login(user)
    return user


@pytest.fixture
def register():
    for index in range(3):
        ContractFactory(starts_on=date(2025, 9, 1 + index), planned_end_on=date(2027, 8, 31))
    ContractFactory(starts_on=date(2025, 9, 10), planned_end_on=date(2027, 8, 31), break_on=date(2025, 10, 5))
    return kpis_recompute(trigger="test", as_of=date(2026, 3, 31), months=12)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("observatory:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_young_person_cannot_open_the_observatory(client):
    client.force_login(UserFactory(role=Role.YOUNG))
    response = client.get(reverse("observatory:dashboard"))
    assert response.status_code == 403
    assert "réservé aux analystes" in response.content.decode()


def test_the_recomputation_writes_the_summaries_the_dashboard_reads(client, analyst, register):
    assert register.contracts == 4
    series = KpiSeries.objects.get(indicator="apprentis_stock", level="region", area="32", dimension="total")
    assert series.start == date(2025, 4, 1)
    assert series.values[-1] == 3  # March 2026: four contracts, one broken in October
    page = client.get(reverse("observatory:dashboard")).content.decode()
    assert "Passer de 33 000 à 50 000 apprentis en 5 ans" in page
    assert "D&#x27;où vient ce chiffre" in page or "D'où vient ce chiffre" in page
    assert "<svg" in page and "<table" in page
    assert 'href="/observatoire/indicateurs/#apprentis_stock"' in page


def test_the_map_draws_every_zone_as_a_link_with_its_value(client, analyst, register):
    page = client.get(reverse("observatory:map"), {"grid": "zone"}).content.decode()
    assert page.count('href="/observatoire/zones/zone/') >= 24 * 2  # the map and its table
    assert "Légende" in page


def test_a_zone_page_drills_down_to_its_jobs(client, analyst, register):
    response = client.get(reverse("observatory:area", args=["zone", "3202"]))
    assert response.status_code == 200
    assert "Amiens" in response.content.decode()
    assert client.get(reverse("observatory:area", args=["zone", "9999"])).status_code == 404


def test_the_needs_table_filters_by_grid_and_future_jobs(client, analyst):
    page = client.get(reverse("observatory:needs"), {"grid": "basin", "avenir": "1"}).content.decode()
    assert "métier d&#x27;avenir" in page or "métier d'avenir" in page
    assert "J1501" in page  # aide-soignant: large needs, a job of the future


def test_the_glossary_defines_every_indicator_with_its_source(client, analyst):
    page = client.get(reverse("observatory:glossary")).content.decode()
    for code in ("apprentis_stock", "apprentis_stock_formation", "entrees", "taux_rupture_precoce", "part_nationale"):
        assert f'id="{code}"' in page
    assert "Couverture de la table" in page


def test_exports_carry_the_filters_in_the_file_name_and_a_metadata_header(client, analyst, register):
    response = client.get(
        reverse("observatory:export", args=["indicateurs", "csv"]),
        {"indicateur": "apprentis_stock", "niveau": "region", "code": "32"},
    )
    assert response.status_code == 200
    assert "indicateur-apprentis_stock" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "# Source" in text and "# Données fictives;non" in text
    assert "2026-03;ensemble;3.0" in text
    xlsx = client.get(reverse("observatory:export", args=["besoins", "xlsx"]), {"grid": "basin", "code": "3202"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "grid-basin" in xlsx["Content-Disposition"]


def test_an_export_of_an_undefined_indicator_is_refused_with_a_message(client, analyst):
    response = client.get(reverse("observatory:export", args=["indicateurs", "csv"]), {"indicateur": "invente"})
    assert response.status_code == 400
    assert "inconnu du glossaire" in response.content.decode()


def test_the_scenario_allocates_places_and_explains_a_bad_number(client, analyst):
    page = client.get(reverse("observatory:scenario"), {"places": "50", "minimum": "2", "avenir": "30"})
    text = page.content.decode()
    assert "50 places attribuées sur 50" in text
    bad = client.get(reverse("observatory:scenario"), {"places": "beaucoup"}).content.decode()
    assert "Indiquez un nombre entier de places" in bad
