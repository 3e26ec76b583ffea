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
from django.utils.formats import date_format

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.aids.services import application_grant, application_submit
from guichet.aids.tests.factories import AidBudgetFactory, RegionalEmployerProgrammeFactory
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory, EnrolmentFactory
from guichet.contracts.tests.factories import ContractFactory
from guichet.employers.tests.factories import EmployerFactory, EstablishmentMembershipFactory
from guichet.jobs.models import RomeJob
from guichet.observatory.models import Indicator, Plan, Proposal, Target
from guichet.offers.tests.factories import OfferFactory
from guichet.support.enums import Situation, Topic
from guichet.support.models import KnowledgePage
from guichet.support.services import page_save, request_create
from guichet.territory.models import Basin, BasinGrid, Commune
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory, TrainingSessionFactory
from tests.performance.harness import SMALL, ListCase, Scenario, label

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
        """Per row: a group of broken contracts, and a young person enrolled without an employer (half through
        the training's jobs, half through the young person's wished jobs): one ranked search each."""
        markers = []
        for index in range(count):
            job = next(jobs)
            ContractFactory(
                training_centre=membership.centre,
                rome_job=job,
                starts_on=broken - timedelta(days=200),
                break_on=broken,
            )
            training = TrainingFactory(centre=membership.centre)
            profile = CandidateProfileFactory(user__first_name=label("Prénom"), user__last_name="Martin")
            (training.rome_jobs if index % 2 == 0 else profile.wished_jobs).add(job)
            EnrolmentFactory(candidate=profile, training=training)
            markers += [job.title, f"{profile.user.first_name} M."]
        return markers

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


def _aid_applications(membership, count: int) -> list:
    """`count` submitted aid applications of the establishment, each for its own programme and contract."""
    today = timezone.localdate()
    applications = []
    for _ in range(count):
        budget = AidBudgetFactory(year=today.year, amount=Decimal("100000"), programme__name=label("Aide"))
        contract = ContractFactory(
            establishment=membership.establishment,
            concluded_on=date(2026, 8, 20),
            starts_on=date(2026, 9, 1),
            planned_end_on=date(2028, 8, 31),
        )
        applications.append(
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
        )
    return applications


def _programme_names(membership, count: int) -> list[str]:
    return [application.programme.name for application in _aid_applications(membership, count)]


def aid_applications(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)
    return Scenario(url=reverse("aids:applications"), add_rows=lambda count: _programme_names(membership, count))


def aid_queue(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    _admin(client)
    return Scenario(url=reverse("aids:queue"), add_rows=lambda count: _programme_names(membership, count))


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


def training_places(client: Client) -> Scenario:
    membership = CentreMembershipFactory()
    client.force_login(membership.user)
    training = TrainingFactory(centre=membership.centre)
    starts = iter(date(2027, 9, 6) + timedelta(weeks=week) for week in range(100))

    def add(count: int) -> list[str]:
        shown = []
        for _ in range(count):
            session = TrainingSessionFactory(training=training, starts_on=next(starts))
            shown.append(f"Du {date_format(session.starts_on, 'j F Y')}")
        return shown

    return Scenario(url=reverse("trainings:places", kwargs={"pk": training.pk}), add_rows=add)


def payment_export(client: Client) -> Scenario:
    membership = EstablishmentMembershipFactory()
    admin = _admin(client)

    def add(count: int) -> list[str]:
        numbers = []
        for application in _aid_applications(membership, count):
            application_grant(application=application, amount=Decimal("1000"), by=admin, today=timezone.localdate())
            numbers.append(application.contract.contract_number)
        return numbers

    return Scenario(url=reverse("aids:payment_export"), add_rows=add)


def my_data_export(client: Client) -> Scenario:
    """The export grows with what the apps hold on the person: here an advisor's zones d'emploi."""
    advisor = UserFactory(role=Role.ADVISOR)
    client.force_login(advisor)
    zones = iter(Basin.objects.filter(grid=BasinGrid.ZONE_EMPLOI).order_by("code"))

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            basin = next(zones)
            AdvisorAssignment.objects.create(advisor=advisor, basin=basin)
            names.append(basin.name)
        return names

    return Scenario(url=reverse("accounts:my_data_export"), add_rows=add)


# --- Knowledge base ------------------------------------------------------------------------------------------


def _pages(count: int, *, prefix: str = "Aaa", past_review: bool = False) -> list[str]:
    """Knowledge pages whose titles sort first (pages lists are sorted by title)."""
    today = timezone.localdate()
    titles = []
    for _ in range(count):
        title = label(prefix)
        page = KnowledgePage(
            slug=title.lower().replace(" ", "-"),
            title=title,
            summary="Page du test du nombre de requêtes.",
            body="Contenu de la page.",
            sources="Code du travail",
            audiences=["jeunes"],
            topics=list(Topic.values),
            last_reviewed_on=today - timedelta(days=400),
            next_review_on=today - timedelta(days=10) if past_review else today + timedelta(days=10),
        )
        page_save(page=page, changed_by=None, note="Création")
        titles.append(title)
    return titles


def knowledge(client: Client) -> Scenario:
    return Scenario(url=reverse("support:knowledge"), add_rows=_pages)


def support_home(client: Client) -> Scenario:
    return Scenario(url=reverse("support:home"), add_rows=_pages)


def guide(client: Client) -> Scenario:
    """The personalised guide lists the knowledge pages for the person's profile and topics."""
    url = f"{reverse('support:guide')}?situation={Situation.LOOKING_EMPLOYER}&age=17"
    return Scenario(url=url, add_rows=_pages)


def editor_dashboard(client: Client) -> Scenario:
    _admin(client)
    return Scenario(url=reverse("support:editor_dashboard"), add_rows=lambda count: _pages(count, past_review=True))


def page_history(client: Client) -> Scenario:
    slug = _pages(1)[0].lower().replace(" ", "-")
    page = KnowledgePage.objects.get(slug=slug)

    def add(count: int) -> list[str]:
        notes = [label("Version") for _ in range(count)]
        for note in notes:
            page.body += f"\n\n{note}"
            page_save(page=page, changed_by=None, note=note)
        return notes

    return Scenario(url=reverse("support:page_history", kwargs={"slug": slug}), add_rows=add)


# --- Observatory ---------------------------------------------------------------------------------------------


def _analyst(client: Client) -> None:
    client.force_login(UserFactory(role=Role.ANALYST))


def _indicators(count: int) -> list[Indicator]:
    indicators = []
    for _ in range(count):
        name = label("Indicateur")
        indicators.append(
            Indicator.objects.create(
                code=name.lower().replace(" ", "-"),
                label=name,
                definition="Indicateur du test du nombre de requêtes.",
                unit="nombre",
                measure="stock",
                source="Test",
                refreshed="Chaque mois",
            )
        )
    return indicators


def glossary(client: Client) -> Scenario:
    _analyst(client)
    return Scenario(url=reverse("observatory:glossary"), add_rows=lambda count: [i.label for i in _indicators(count)])


def _targets(count: int) -> list[str]:
    plan = Plan.objects.filter(is_current=True).first() or Plan.objects.create(
        code="plan-essai", name="Plan d'essai", adopted_year=2024, source="Test", is_current=True
    )
    labels = []
    for indicator in _indicators(count):
        target = Target.objects.create(
            plan=plan,
            indicator=indicator,
            label=label("Objectif"),
            baseline_year=2024,
            baseline_value=Decimal("100"),
            target_year=2028,
            target_value=Decimal("200"),
        )
        labels.append(target.label)
    return labels


def dashboard(client: Client) -> Scenario:
    _analyst(client)
    jobs = iter(RomeJob.objects.order_by("code"))

    def add(count: int) -> list[str]:
        shown = _targets(count)
        for _ in range(count):
            job = next(jobs)
            Proposal.objects.create(
                centre=TrainingFactory().centre, grid="zone", area="3202", rome_job=job, action="open", places=5
            )
            shown.append(job.title)
        return shown

    return Scenario(url=reverse("observatory:dashboard"), add_rows=add)


def observatory_export(client: Client) -> Scenario:
    _analyst(client)
    return Scenario(
        url=reverse("observatory:export", kwargs={"table": "objectifs", "extension": "csv"}), add_rows=_targets
    )


def needs(client: Client) -> Scenario:
    _analyst(client)
    return Scenario(
        # One job (J1501, aide-soignant) in one zone d'emploi, then in every zone of the region.
        url=lambda rows: (
            reverse("observatory:needs") + "?grid=zone&rome=J1501" + ("&code=3202" if rows == SMALL else "")
        ),
        add_rows=_none,
        count_rows=lambda text: text.count("<tr"),
    )


def _proposals(centre, count: int) -> list[str]:
    jobs = RomeJob.objects.exclude(proposals__centre=centre).order_by("code")[:count]
    for job in jobs:
        Proposal.objects.create(centre=centre, grid="zone", area="3202", rome_job=job, action="open", places=5)
    return [job.title for job in jobs]


def proposals(client: Client) -> Scenario:
    _analyst(client)
    centre = TrainingFactory().centre
    return Scenario(url=reverse("observatory:proposals"), add_rows=lambda count: _proposals(centre, count))


def centre_proposals(client: Client) -> Scenario:
    membership = CentreMembershipFactory()
    client.force_login(membership.user)
    return Scenario(
        url=reverse("observatory:centre_proposals"), add_rows=lambda count: _proposals(membership.centre, count)
    )


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


def _compatible_trainings(count: int) -> list[str]:
    """Trainings for the baker's job near Amiens, with places and a session: compatible with a baker offer."""
    titles = [label("Formation") for _ in range(count)]
    job = RomeJob.objects.get(code=BAKER)
    for title in titles:
        training = TrainingFactory(title=title)
        training.rome_jobs.add(job)
        TrainingSessionFactory(training=training)
    return titles


def offer_detail(client: Client) -> Scenario:
    offer = OfferFactory(published=True)
    return Scenario(url=reverse("offers:detail", kwargs={"pk": offer.pk}), add_rows=_compatible_trainings)


def api_offer_detail(client: Client) -> Scenario:
    offer = OfferFactory(published=True)
    return Scenario(url=f"/api/v1/offers/{offer.pk}", add_rows=_compatible_trainings)


def api_my_applications(client: Client) -> Scenario:
    scenario = young_space(client)
    return Scenario(url="/api/v1/me/applications", add_rows=scenario.add_rows, items_key="items")


def api_programmes(client: Client) -> Scenario:
    scenario = programmes(client)
    return Scenario(url="/api/v1/aids/programmes?page_size=100", add_rows=scenario.add_rows, items_key="items")


def api_knowledge(client: Client) -> Scenario:
    return Scenario(url="/api/v1/knowledge?page_size=100", add_rows=_pages, items_key="items")


def api_companies(client: Client) -> Scenario:
    def add(count: int) -> list[str]:
        names = [label("Entreprise") for _ in range(count)]
        for name in names:  # establishments that took apprentices for the job lately
            ContractFactory(establishment__name=name, establishment__company__name=name, starts_on=date(2026, 9, 1))
        return names

    return Scenario(
        url=f"/api/v1/companies/likely-to-recruit?rome={BAKER}&insee={AMIENS}&page_size=100",
        add_rows=add,
        items_key="items",
    )


def api_targets(client: Client) -> Scenario:
    _analyst(client)
    return Scenario(url="/api/v1/observatory/targets", add_rows=_targets, items_key="items")


def api_gaps(client: Client) -> Scenario:
    _analyst(client)
    return Scenario(
        url=lambda rows: f"/api/v1/observatory/gaps?grid=zone&limit={rows}", add_rows=_none, items_key="items"
    )


def api_export(client: Client) -> Scenario:
    _analyst(client)
    return Scenario(url="/api/v1/observatory/exports/objectifs.csv", add_rows=_targets)


CASES: list[ListCase] = [
    ListCase("employers:establishments", establishments),
    ListCase("employers:space", employer_space),
    ListCase("employers:offer_board", offer_board),
    ListCase("employers:offer_candidates", offer_candidates),
    ListCase("trainings:space", centre_space),
    ListCase("trainings:young_without_employer", young_without_employer),
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
    ListCase("trainings:places", training_places),
    ListCase("aids:payment_export", payment_export),
    ListCase("accounts:my_data_export", my_data_export),
    ListCase("support:knowledge", knowledge),
    ListCase("support:home", support_home),
    ListCase("support:editor_dashboard", editor_dashboard),
    ListCase("support:guide", guide),
    ListCase("support:page_history", page_history),
    ListCase("observatory:glossary", glossary),
    ListCase("observatory:dashboard", dashboard),
    ListCase("observatory:export", observatory_export),
    ListCase("observatory:needs", needs),
    ListCase("GET /api/v1/knowledge", api_knowledge),
    ListCase("GET /api/v1/companies/likely-to-recruit", api_companies),
    ListCase("GET /api/v1/observatory/targets", api_targets),
    ListCase("GET /api/v1/observatory/gaps", api_gaps),
    ListCase("GET /api/v1/observatory/exports/{table}.csv", api_export),
    ListCase("observatory:proposals", proposals),
    ListCase("observatory:centre_proposals", centre_proposals),
    ListCase("offers:detail", offer_detail, notes="one offer with every compatible training near it"),
    ListCase("GET /api/v1/offers/{offer_id}", api_offer_detail, notes="one offer with its compatible trainings"),
]

_FORM = "a form (or the answer to posting it): no list of rows"
_ACTION = "an action (POST) that changes one object and redirects"
_STATIC = "a page of text and figures that do not depend on the number of rows"
_ONE = "one object"

# Endpoints that list nothing growing with the data, each with its reason.
EXEMPT: dict[str, str] = {
    # Accounts
    "accounts:signup": _FORM,
    "accounts:login": _FORM,
    "accounts:logout": _ACTION,
    "accounts:profile": _FORM,
    "accounts:password_reset": _FORM,
    "accounts:password_reset_done": _STATIC,
    "accounts:password_reset_confirm": _FORM,
    "accounts:password_reset_complete": _STATIC,
    "accounts:password_change": _FORM,
    "accounts:password_change_done": _STATIC,
    "accounts:two_factor": "the person's own second factor: one device",
    "accounts:two_factor_setup": _FORM,
    "accounts:two_factor_verify": _FORM,
    "accounts:two_factor_codes": "the person's backup codes: a fixed number (10)",
    "accounts:two_factor_codes_renew": _ACTION,
    "accounts:my_data": _STATIC + " (what is kept and why; the data itself is in accounts:my_data_export)",
    "accounts:account_delete": _ACTION,
    "accounts:account_deleted": _STATIC,
    "admin:*": "the Django admin site: staff tools, paginated by Django (100 rows a page), outside the product",
    # Core
    "core:home": _STATIC,
    "core:accessibility": _STATIC,
    "core:personal_data": _STATIC + " (the retention rules are declared in code)",
    "core:terms": _STATIC,
    "core:contact": _STATIC,
    "healthz": "one query to check the database",
    "territory:commune_suggestions": "at most 8 suggestions from commune_search, the selector of GET /api/v1/communes",
    "jobs:job_suggestions": "at most 8 suggestions from job_search, the selector of GET /api/v1/jobs",
    # Employers, offers, trainings
    "employers:signup": _FORM,
    "employers:application": _ONE + " (an application and its dated events)",
    "employers:offer_new": _FORM,
    "employers:offer_edit": _FORM,
    "employers:offer_publish": _ACTION,
    "employers:offer_withdraw": _ACTION,
    "trainings:partner_offer_create": _FORM,
    "trainings:offer_edit": _FORM,
    "trainings:offer_publish": _ACTION,
    "trainings:offer_withdraw": _ACTION,
    "trainings:enrolment": _ONE + " (an enrolment to confirm)",
    "trainings:enrolment_invite": _FORM,
    # Young people, contracts
    "candidates:profile": _FORM,
    "candidates:apply": _FORM,
    "candidates:application": _ONE + " (an application and its dated events)",
    "candidates:application_withdraw": _ACTION,
    "candidates:enrolment": _ONE + " (an enrolment)",
    "candidates:enrolment_create": _FORM,
    "contracts:for_application": _FORM,
    "contracts:draft": _FORM + " (one contract draft)",
    "contracts:draft_pdf": _ONE + " (the PDF of one contract draft)",
    # Aids
    "aids:index": _STATIC,
    "aids:salary": _FORM + " (the simulator; its months are computed, not rows)",
    "aids:employer": _FORM + " (the simulator; its aids come from the cached rule set)",
    "aids:application": _ONE + " (an application, its documents and events)",
    "aids:application_create": _FORM,
    "aids:application_document": _ACTION,
    "aids:document_received": _ACTION,
    "aids:application_note": _ACTION,
    "aids:application_grant": _ACTION,
    "aids:application_refuse": _ACTION,
    "aids:application_letter": _ONE + " (the decision letter of one application)",
    "aids:payment_pay": _ACTION,
    # Support
    "support:ask": _FORM,
    "support:sent": _ONE + " (the confirmation of one request)",
    "support:follow": _ONE + " (one request and its thread, messages and attachments prefetched)",
    "support:follow_reply": _ACTION,
    "support:follow_close": _ACTION,
    "support:follow_reopen": _ACTION,
    "support:attachment": _ONE + " (a file download)",
    "support:advisor_detail": _ONE + " (one request and its thread, messages and attachments prefetched)",
    "support:page": _ONE + " (a knowledge page)",
    "support:page_edit": _FORM,
    "support:page_review": _ACTION,
    # Observatory
    "observatory:map": "one value per zone of a fixed grid (5 departments, 24 zones d'emploi, BMO basins)",
    "observatory:area": _ONE + " (a zone; its job rows come from gaps(), covered by observatory:needs)",
    "observatory:scenario": _FORM + " (the result is computed by gaps() in bulk, covered by observatory:needs)",
    "observatory:proposal": _ONE + " (a proposal and its dated events)",
    "observatory:proposal_create": _FORM,
    "observatory:proposal_answer": _FORM,
    # API
    "api-v1:api-root": _STATIC,
    "api-v1:openapi-json": "the OpenAPI schema, built from code",
    "api-v1:openapi-view": _STATIC + " (Swagger UI)",
    "GET /api/v1/communes/{insee}": _ONE,
    "GET /api/v1/zones-emploi/{code}": _ONE,
    "GET /api/v1/basins/{code}": _ONE,
    "GET /api/v1/jobs/{rome}": _ONE + " (a job and its appellations)",
    "GET /api/v1/diploma-levels": "the fixed list of the 6 diploma levels (3 to 8)",
    "POST /api/v1/applications": _ACTION,
    "POST /api/v1/simulations/salary": "a computation: its months are computed, not rows",
    "POST /api/v1/simulations/aids": "a computation from the cached rule set",
    "GET /api/v1/requests/form-token": "a signed token, no query",
    "POST /api/v1/requests": _ACTION,
    "GET /api/v1/requests/{reference}": _ONE + " (one request and its thread)",
    "GET /api/v1/guide": "the guide's steps: a fixed list computed from the parameters",
    "GET /api/v1/observatory/kpis": "one value per indicator of the glossary for one month and one area (summary "
    "tables read in bulk; the glossary's size is covered by observatory:glossary)",
    "POST /api/v1/observatory/scenarios": "a computation by gaps() in bulk, covered by GET /api/v1/observatory/gaps",
}
