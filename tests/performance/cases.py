"""The list pages and list API endpoints whose SQL query count must not grow with their rows.

Each case logs in the person the page is for, and adds rows that the page or endpoint shows. Endpoints that list
nothing that grows with the data (forms, details of one object, actions) are in EXEMPT with the reason.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.aids.services import application_submit
from guichet.aids.tests.factories import AidBudgetFactory, RegionalEmployerProgrammeFactory
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.employers.tests.factories import EmployerFactory, EstablishmentMembershipFactory
from guichet.jobs.models import RomeJob
from guichet.offers.tests.factories import OfferFactory
from guichet.support.services import request_create
from guichet.territory.models import Commune
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory, TrainingSessionFactory
from tests.performance.harness import ListCase, Scenario, label

AMIENS = "80021"
BAKER = "D1102"


def _admin(client: Client):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def _none(count: int) -> list[str]:
    return []


# --- Employer space ------------------------------------------------------------------------------------------


def establishments(client: Client) -> Scenario:
    user = EmployerFactory()
    client.force_login(user)

    def add(count: int) -> list[str]:
        names = [label("Établissement") for _ in range(count)]
        for name in names:
            EstablishmentMembershipFactory(user=user, establishment__name=name)
        return names

    return Scenario(url=reverse("employers:establishments"), add_rows=add)


def employer_space(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)

    def add(count: int) -> list[str]:
        titles = [label("Offre") for _ in range(count)]
        for title in titles:
            offer = OfferFactory(establishment=membership.establishment, title=title, published=True)
            ApplicationFactory(offer=offer)
        return titles

    return Scenario(url=reverse("employers:space"), add_rows=add)


def offer_board(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)
    offer = OfferFactory(establishment=membership.establishment, published=True)

    def add(count: int) -> list[str]:
        names = [label("Nom") for _ in range(count)]
        for name in names:
            ApplicationFactory(offer=offer, candidate__user__last_name=name)
        return names

    return Scenario(url=reverse("employers:offer_board", kwargs={"pk": offer.pk}), add_rows=add)


def offer_candidates(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)
    offer = OfferFactory(establishment=membership.establishment, published=True)
    job = RomeJob.objects.get(code=BAKER)
    shown = []

    def add(count: int) -> list[str]:
        for _ in range(count):  # profiles show no name: they are numbered
            CandidateProfileFactory(visible=True).wished_jobs.add(job)
            shown.append(f"<h2>Profil {len(shown) + 1}")
        return shown[-count:]

    return Scenario(url=reverse("employers:offer_candidates", kwargs={"pk": offer.pk}), add_rows=add)


# --- Training-centre space -----------------------------------------------------------------------------------


def centre_space(client: Client) -> Scenario:
    membership = CentreMembershipFactory()
    client.force_login(membership.user)

    def add(count: int) -> list[str]:
        titles = [label("Formation") for _ in range(count)]
        for title in titles:
            training = TrainingFactory(centre=membership.centre, title=title)
            TrainingSessionFactory(training=training)
        return titles

    return Scenario(url=reverse("trainings:space"), add_rows=add)


def young_without_employer(client: Client) -> Scenario:
    membership = CentreMembershipFactory()
    client.force_login(membership.user)
    jobs = iter(RomeJob.objects.order_by("code"))
    broken = timezone.localdate() - timedelta(days=20)

    def add(count: int) -> list[str]:
        titles = []
        for _ in range(count):
            job = next(jobs)
            ContractFactory(
                training_centre=membership.centre,
                rome_job=job,
                starts_on=broken - timedelta(days=200),
                break_on=broken,
            )
            titles.append(job.title)
        return titles

    return Scenario(url=reverse("trainings:young_without_employer"), add_rows=add)


# --- Young people's space and search -------------------------------------------------------------------------


def young_space(client: Client) -> Scenario:
    profile = CandidateProfileFactory()
    client.force_login(profile.user)

    def add(count: int) -> list[str]:
        titles = [label("Offre") for _ in range(count)]
        for title in titles:
            ApplicationFactory(candidate=profile, offer__title=title)
        return titles

    return Scenario(url=reverse("candidates:space"), add_rows=add)


def _published_offers(count: int) -> list[str]:
    titles = [label("Offre") for _ in range(count)]
    for title in titles:
        OfferFactory(title=title, published=True)
    return titles


def search(client: Client) -> Scenario:
    return Scenario(
        url=f"{reverse('matching:search')}?rome={BAKER}&insee={AMIENS}&radius_km=30", add_rows=_published_offers
    )


# --- Aids ----------------------------------------------------------------------------------------------------


def programmes(client: Client) -> Scenario:
    def add(count: int) -> list[str]:
        names = [label("Aide") for _ in range(count)]
        for name in names:
            RegionalEmployerProgrammeFactory(name=name)
        return names

    return Scenario(url=reverse("aids:programmes"), add_rows=add)


def budgets(client: Client) -> Scenario:
    _admin(client)

    def add(count: int) -> list[str]:
        names = [label("Aide") for _ in range(count)]
        for name in names:
            AidBudgetFactory(programme__name=name, year=timezone.localdate().year)
        return names

    return Scenario(url=reverse("aids:budgets"), add_rows=add)


def _aid_applications(membership, count: int) -> list[str]:
    today = timezone.localdate()
    numbers = []
    for _ in range(count):
        budget = AidBudgetFactory(year=today.year, amount=Decimal("100000"), programme__name=label("Aide"))
        contract = ContractFactory(
            establishment=membership.establishment,
            concluded_on=date(2026, 8, 20),
            starts_on=date(2026, 9, 1),
            planned_end_on=date(2028, 8, 31),
        )
        application_submit(
            programme=budget.programme,
            contract=contract,
            establishment=contract.establishment,
            by=membership.user,
            birth_date=date(2007, 5, 1),
            rqth=False,
            headcount=12,
            today=today,
        )
        numbers.append(budget.programme.name)
    return numbers


def aid_applications(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)
    return Scenario(url=reverse("aids:applications"), add_rows=lambda count: _aid_applications(membership, count))


def aid_queue(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    _admin(client)
    return Scenario(url=reverse("aids:queue"), add_rows=lambda count: _aid_applications(membership, count))


# --- Support -------------------------------------------------------------------------------------------------


def _support_requests(count: int, requester=None) -> list[str]:
    references = []
    for _ in range(count):
        created = request_create(
            topic="remuneration",
            profile="parent",
            commune=Commune.objects.get(insee=AMIENS),
            name="Demandeur de test",
            email="demandeur.requetes@exemple.fr",
            message="Question pour le test du nombre de requêtes.",
            requester=requester,
        )
        references.append(created.request.reference)
    return references


def my_requests(client: Client) -> Scenario:
    user = UserFactory()
    client.force_login(user)
    return Scenario(url=reverse("support:my_requests"), add_rows=lambda count: _support_requests(count, user))


def advisor_dashboard(client: Client) -> Scenario:
    _admin(client)
    return Scenario(url=reverse("support:advisor_dashboard"), add_rows=_support_requests)


# --- API -----------------------------------------------------------------------------------------------------


def api_reference(path: str, size_parameter: str = "page_size"):
    """Reference data is already loaded: the number of rows is the page size asked for."""

    def setup(client: Client) -> Scenario:
        joiner = "&" if "?" in path else "?"
        return Scenario(url=lambda rows: f"{path}{joiner}{size_parameter}={rows}", add_rows=_none, items_key="items")

    return setup


def api_nearby(client: Client) -> Scenario:
    return Scenario(
        url=lambda rows: f"/api/v1/communes/{AMIENS}/nearby?radius_km={2 * rows}", add_rows=_none, items_key="items"
    )


def api_offers(client: Client) -> Scenario:
    return Scenario(url=f"/api/v1/offers?insee={AMIENS}&rome={BAKER}", add_rows=_published_offers, items_key="items")


def api_trainings(client: Client) -> Scenario:
    def add(count: int) -> list[str]:
        titles = [label("Formation") for _ in range(count)]
        job = RomeJob.objects.get(code=BAKER)
        for title in titles:
            training = TrainingFactory(title=title)
            training.rome_jobs.add(job)
            TrainingSessionFactory(training=training)
        return titles

    return Scenario(url=f"/api/v1/trainings?insee={AMIENS}&rome={BAKER}", add_rows=add, items_key="items")


def api_my_applications(client: Client) -> Scenario:
    scenario = young_space(client)
    return Scenario(url="/api/v1/me/applications", add_rows=scenario.add_rows, items_key="items")


def api_programmes(client: Client) -> Scenario:
    scenario = programmes(client)
    return Scenario(url="/api/v1/aids/programmes?page_size=100", add_rows=scenario.add_rows, items_key="items")


CASES: list[ListCase] = [
    ListCase("employers:establishments", establishments),
    ListCase("employers:space", employer_space),
    ListCase("employers:offer_board", offer_board),
    ListCase("employers:offer_candidates", offer_candidates),
    ListCase("trainings:space", centre_space),
    ListCase(
        "trainings:young_without_employer",
        young_without_employer,
        xfail="N+1 in guichet/matching/search.py: offer_search runs its queries again for each group of broken "
        "contracts (young_without_employer calls it once per job and commune, up to 20 groups)",
    ),
    ListCase("candidates:space", young_space),
    ListCase("matching:search", search),
    ListCase("aids:programmes", programmes),
    ListCase("aids:budgets", budgets),
    ListCase("aids:applications", aid_applications),
    ListCase("aids:queue", aid_queue),
    ListCase("support:my_requests", my_requests),
    ListCase("support:advisor_dashboard", advisor_dashboard),
    ListCase("GET /api/v1/communes", api_reference("/api/v1/communes?q=saint", "limit")),
    ListCase("GET /api/v1/communes/{insee}/nearby", api_nearby),
    ListCase("GET /api/v1/zones-emploi", api_reference("/api/v1/zones-emploi?include_communes=true")),
    ListCase("GET /api/v1/basins", api_reference("/api/v1/basins?include_communes=true")),
    ListCase("GET /api/v1/jobs", api_reference("/api/v1/jobs?q=technicien", "limit")),
    ListCase("GET /api/v1/offers", api_offers),
    ListCase("GET /api/v1/trainings", api_trainings),
    ListCase("GET /api/v1/me/applications", api_my_applications),
    ListCase("GET /api/v1/aids/programmes", api_programmes),
]
