"""The single point of contact's and the regional aids' figures on the observatory: region and per area, each with
its glossary entry, on the dashboard, the map, the exports and the KPI API."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.aids.models import AidApplication, AidPayment, ApplicationStatus
from guichet.aids.tests.factories import AidBudgetFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.observatory.models import Indicator
from guichet.observatory.operations import (
    AIDS_COMMITTED,
    OPERATION_INDICATORS,
    UNLOCATED,
    aid_figures,
    support_figures,
)
from guichet.observatory.selectors import ObservatoryError
from guichet.observatory.views import MAP_INDICATORS
from guichet.support.models import SupportRequest
from guichet.territory.models import BasinGrid, BasinMembership, Commune

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "observatory"


@pytest.fixture
def analyst(client):
    user = UserFactory(role=Role.ANALYST)
    client.force_login(user)
    return user


def zone_of(insee: str) -> str:
    return BasinMembership.objects.get(grid=BasinGrid.ZONE_EMPLOI, commune__insee=insee).basin.code


def support_request(insee: str, *, hours: float | None, answered: date | None, deadline: date, status="answered"):
    created = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    return SupportRequest.objects.create(
        reference=f"T-{SupportRequest.objects.count() + 1:05d}",
        topic="contrat",
        profile="jeune",
        commune=Commune.objects.get(insee=insee),
        name="Demandeur d'essai",
        email="essai@example.org",
        token_hash="x" * 64,
        created_at=created,
        received_on=created.date(),
        deadline=deadline,
        first_response_at=created + timedelta(hours=hours) if hours is not None else None,
        answered_on=answered,
        status=status,
    )


@pytest.fixture
def requests_in_two_zones():
    # Amiens (Somme): two answered, one on time (4 h) and one late (30 h); Lille: one still pending past deadline.
    support_request("80021", hours=4, answered=date(2026, 11, 2), deadline=date(2026, 11, 6))
    support_request("80021", hours=30, answered=date(2026, 11, 10), deadline=date(2026, 11, 6))
    support_request("59350", hours=None, answered=None, deadline=date(2026, 11, 6), status="assigned")
    # A commune outside the region: counted for the region, "non localisé" per area.
    support_request("75056", hours=10, answered=date(2026, 11, 3), deadline=date(2026, 11, 6))


def test_support_figures_are_the_support_apps_per_area_and_add_up_to_the_region(requests_in_two_zones):
    figures = support_figures(today=TODAY, level="zone")
    assert figures.region.received == 4
    by_area = {row.area: row for row in figures.areas}
    amiens = by_area[zone_of("80021")]
    assert (amiens.received, amiens.answered, amiens.answered_in_time) == (2, 2, 1)
    assert amiens.share_in_time == 50.0
    assert amiens.median_hours == 17.0  # median of 4 h and 30 h
    lille = by_area[zone_of("59350")]
    assert (lille.received, lille.answered, lille.late_pending) == (1, 0, 1)
    assert lille.share_in_time is None  # nothing answered: no value, never a provisional zero
    assert by_area[UNLOCATED].received == 1
    assert sum(row.received for row in figures.areas) == figures.region.received
    departments = {row.area: row.received for row in support_figures(today=TODAY, level="department").areas}
    assert departments["80"] == 2 and departments["59"] == 1


@pytest.fixture
def aids_2026():
    budget = AidBudgetFactory(year=2026, amount=Decimal("10000"), committed_amount=Decimal("3000"),
                              paid_amount=Decimal("500"))  # fmt: skip
    located = ContractFactory()
    granted = []
    for contract, amount in ((located, "2000"), (None, "1000")):
        application = AidApplication.objects.create(
            programme=budget.programme, contract=contract, apprentice_birth_date=date(2007, 5, 1), headcount=8,
            status=ApplicationStatus.GRANTED, requested_amount=Decimal(amount), granted_amount=Decimal(amount),
            rules_version="essai", instruction_deadline=date(2026, 12, 1), budget=budget,
        )  # fmt: skip
        granted.append(application)
    AidPayment.objects.create(application=granted[0], due_on=date(2026, 10, 1), amount=Decimal("500"),
                              paid_on=date(2026, 10, 2))  # fmt: skip
    AidPayment.objects.create(application=granted[0], due_on=date(2027, 10, 1), amount=Decimal("1500"))
    return budget, located


def test_aid_figures_give_the_budget_region_wide_and_commitments_per_workplace_zone(aids_2026):
    _, contract = aids_2026
    figures = aid_figures(year=2026, level="zone")
    assert figures.total("aides_enveloppe") == Decimal("10000")
    assert figures.total(AIDS_COMMITTED) == Decimal("3000")
    assert figures.total("aides_payees") == Decimal("500")
    assert figures.total("aides_accordees") == 2
    zone = BasinMembership.objects.get(grid=BasinGrid.ZONE_EMPLOI, commune=contract.workplace_commune).basin.code
    by_area = {row.area: row for row in figures.areas}
    assert (by_area[zone].committed, by_area[zone].paid, by_area[zone].granted) == (Decimal("2000"), Decimal("500"), 1)
    assert by_area[UNLOCATED].committed == Decimal("1000")  # no contract in the register: not located
    assert sum(row.committed for row in figures.areas) == figures.total(AIDS_COMMITTED)
    with pytest.raises(ObservatoryError) as error:
        aid_figures(year=2019)
    assert "Aucun budget d'aide pour 2019" in error.value.message


def test_every_figure_shown_by_the_observatory_is_defined_in_the_glossary():
    """Charts, maps, tables and exports may only use defined figures: every code a template links to, every map
    indicator and every single-point-of-contact or aids figure must have its glossary entry."""
    known = set(Indicator.objects.values_list("code", flat=True))
    linked = set()
    for template in TEMPLATES.rglob("*.html"):
        linked |= set(re.findall(r'source_link "([a-z0-9_]+)"', template.read_text(encoding="utf-8")))
    assert linked, "no source link found: the test reads the wrong folder"
    wanted = linked | set(MAP_INDICATORS) | set(OPERATION_INDICATORS)
    assert wanted - known == set()
    for indicator in Indicator.objects.filter(code__in=OPERATION_INDICATORS):
        assert indicator.definition and indicator.source and indicator.refreshed and indicator.caveats


def test_the_dashboard_shows_both_services_per_zone_with_sources(client, analyst, requests_in_two_zones, aids_2026):
    page = client.get(reverse("observatory:dashboard"), {"services": "zone", "annee": "2026"}).content.decode()
    assert "Guichet unique et aides régionales" in page
    for code in OPERATION_INDICATORS:
        assert f'href="/observatoire/indicateurs/#{code}"' in page
    assert "50,0&nbsp;%" in page  # Amiens' zone: one of two answers on time
    assert "10\u202f000,00&nbsp;€" in page or "10\u202f000,00\u00a0€" in page
    assert "Non localisé" in page
    assert f'href="/observatoire/zones/zone/{zone_of("80021")}/"' in page


def test_a_bad_budget_year_on_the_dashboard_says_what_to_type(client, analyst, aids_2026):
    page = client.get(reverse("observatory:dashboard"), {"annee": "26"}).content.decode()
    assert "L&#x27;année doit s&#x27;écrire sur 4 chiffres" in page or "L'année doit s'écrire sur 4 chiffres" in page
    page = client.get(reverse("observatory:dashboard"), {"annee": "2019"}).content.decode()
    assert "Aucun budget d" in page


def test_the_map_colours_zones_by_the_share_answered_on_time(client, analyst, requests_in_two_zones):
    page = client.get(reverse("observatory:map"), {"grid": "zone", "indicateur": "guichet_part_dans_les_delais"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Part des réponses du guichet unique dans les délais" in text
    assert ": 50,0\u00a0%" in text


def test_exports_of_both_services_carry_their_filters_and_metadata(client, analyst, requests_in_two_zones, aids_2026):
    response = client.get(reverse("observatory:export", args=["guichet", "csv"]), {"niveau": "department"})
    assert response.status_code == 200
    assert "guichet_niveau-department" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "# Source;Demandes du guichet unique" in text
    assert "32;Hauts-de-France;4;3;2;10.0;66.7;1" in text
    assert "80;Somme;2;2;1;17.0;50.0;0" in text
    xlsx = client.get(reverse("observatory:export", args=["aides", "xlsx"]), {"niveau": "zone", "annee": "2026"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "annee-2026" in xlsx["Content-Disposition"]
    csv = client.get(reverse("observatory:export", args=["aides", "csv"]), {"niveau": "zone"})
    csv = csv.content.decode("utf-8-sig")
    assert "32;Hauts-de-France;10000.0;3000.0;500.0;2" in csv
    assert f"{UNLOCATED};Non localisé (commune hors région ou inconnue);;1000.0;0.0;1" in csv
    bad = client.get(reverse("observatory:export", args=["aides", "csv"]), {"niveau": "commune"})
    assert bad.status_code == 400
    assert "Le niveau doit valoir department, zone ou basin." in bad.content.decode()


def test_the_kpi_api_adds_both_services_for_an_area(client, analyst, requests_in_two_zones, aids_2026):
    response = client.get("/api/v1/observatory/kpis", {"level": "department", "code": "80"})
    assert response.status_code == 200
    items = {item["indicator"]: item for item in response.json()["items"]}
    assert items["guichet_demandes_recues"]["value"] == 2
    assert items["guichet_part_dans_les_delais"]["value"] == 50.0
    assert items["guichet_part_dans_les_delais"]["unit"] == "pourcentage"
    assert items["aides_engagees"]["unit"] == "euros"
    codes = {reason["code"] for reason in response.json()["reasons"]}
    assert "services_live" in codes


def test_a_zone_page_shows_its_own_single_point_of_contact_and_aids_figures(
    client, analyst, requests_in_two_zones, aids_2026
):
    _, contract = aids_2026
    zone = BasinMembership.objects.get(grid=BasinGrid.ZONE_EMPLOI, commune=contract.workplace_commune).basin.code
    page = client.get(reverse("observatory:area", args=["zone", zone_of("80021")])).content.decode()
    assert "Guichet unique et aides régionales dans la zone" in page
    assert "<td>17,0</td>" in page  # Amiens' zone: median of 4 h and 30 h
    assert 'href="/observatoire/indicateurs/#guichet_part_dans_les_delais"' in page
    page = client.get(reverse("observatory:area", args=["zone", zone])).content.decode()
    assert "2\u202f000,00&nbsp;€" in page
