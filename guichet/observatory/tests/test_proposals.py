"""Proposals to training centres, through HTTP: an analyst turns a recommendation into a proposal, the centre's staff
answer it in their space, the analyst follows it; every step dated with its author and audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.core.models import AuditEvent
from guichet.jobs.models import RomeJob
from guichet.observatory.models import Proposal, ProposalEvent, ProposalEventKind, ProposalStatus
from guichet.observatory.proposals import ProposalError, proposal_answer, proposal_follow
from guichet.territory.models import BasinGrid, BasinMembership, Commune
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingCentreFactory, TrainingFactory

pytestmark = pytest.mark.django_db

AMIENS = "80021"


def zone_code(insee: str) -> str:
    return BasinMembership.objects.get(grid=BasinGrid.ZONE_EMPLOI, commune__insee=insee).basin.code


@pytest.fixture
def analyst():
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def centre_staff():
    """A centre in Amiens that already trains care assistants (J1501), with one staff member."""
    centre = TrainingCentreFactory(commune=Commune.objects.get(insee=AMIENS), name="CFA Santé d'Amiens")
    training = TrainingFactory(centre=centre)
    training.rome_jobs.add(RomeJob.objects.get(code="J1501"))
    return CentreMembershipFactory(centre=centre).user


def create_url(grid="zone", code=None, rome="J1501") -> str:
    return f"{reverse('observatory:proposal_create')}?grid={grid}&code={code or zone_code(AMIENS)}&rome={rome}"


def send(client, analyst, centre_staff, **overrides) -> Proposal:
    client.force_login(analyst)
    centre = centre_staff.centre_memberships.get().centre
    data = {"grid": "zone", "code": zone_code(AMIENS), "rome": "J1501", "centre": centre.pk, "action": "augmenter",
            "places": "12", "message": "Rentrée de septembre visée."} | overrides  # fmt: skip
    response = client.post(reverse("observatory:proposal_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Proposal.objects.get()


def test_the_needs_page_offers_to_turn_each_row_into_a_proposal(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("observatory:needs"), {"grid": "zone", "rome": "J1501"}).content.decode()
    assert f"{reverse('observatory:proposal_create')}?grid=zone&amp;code=" in page
    assert "Proposer à un centre" in page


def test_the_form_is_prefilled_from_the_recommendation(client, analyst, centre_staff):
    client.force_login(analyst)
    response = client.get(create_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "J1501" in page and "Besoins BMO répartis" in page
    centre = centre_staff.centre_memberships.get().centre
    assert f'<option value="{centre.pk}" selected>' in page
    assert "forme déjà à ce métier" in page
    assert '<option value="augmenter" selected>' in page  # the centre already trains for the job
    assert 'name="places" inputmode="numeric" value="' in page


def test_an_unknown_job_or_zone_is_refused_with_a_message(client, analyst):
    client.force_login(analyst)
    response = client.get(create_url(rome="Z9999"))
    assert response.status_code == 400
    assert "Métier ROME « Z9999 » inconnu" in response.content.decode()
    assert "Proposition impossible depuis cette adresse" in response.content.decode()
    response = client.get(create_url(code="0000"))
    assert response.status_code == 400
    assert "Zone « 0000 » inconnue" in response.content.decode()


def test_bad_places_and_a_centre_outside_the_list_are_explained_and_nothing_is_sent(client, analyst, centre_staff):
    client.force_login(analyst)
    centre = centre_staff.centre_memberships.get().centre
    data = {"grid": "zone", "code": zone_code(AMIENS), "rome": "J1501", "centre": centre.pk, "action": "augmenter"}
    page = client.post(reverse("observatory:proposal_create"), data | {"places": "douze"}).content.decode()
    assert "Indiquez un nombre entier de places, par exemple 12." in page
    page = client.post(reverse("observatory:proposal_create"), data | {"places": "0"}).content.decode()
    assert "Le nombre de places doit être compris entre 1 et 500." in page
    far = TrainingCentreFactory(commune=Commune.objects.get(insee="59350"))
    page = client.post(reverse("observatory:proposal_create"), data | {"places": "5", "centre": far.pk})
    assert "Choisissez un centre de formation dans la liste." in page.content.decode()
    assert not Proposal.objects.exists()


def test_an_analyst_sends_a_proposal_with_its_reasons_dated_and_audited(client, analyst, centre_staff):
    start = timezone.now()
    proposal = send(client, analyst, centre_staff)
    assert (proposal.status, proposal.places, proposal.action) == (ProposalStatus.SENT, 12, "augmenter")
    assert proposal.created_by == analyst
    assert {reason["code"] for reason in proposal.reasons} >= {"besoins_par_rome", "places_formation", "ecart"}
    event = proposal.events.get()
    assert (event.kind, event.actor, event.status_after) == (ProposalEventKind.CREATED, analyst, ProposalStatus.SENT)
    audit = AuditEvent.objects.get(action="observatory.proposal_created", when__gte=start)
    assert (audit.actor_id, audit.object_id) == (analyst.pk, str(proposal.pk))


def test_the_centre_sees_its_proposals_and_refusing_needs_a_reason(client, analyst, centre_staff):
    start = timezone.now()
    proposal = send(client, analyst, centre_staff)
    client.force_login(centre_staff)
    page = client.get(reverse("observatory:centre_proposals")).content.decode()
    assert f'href="{reverse("observatory:proposal", args=[proposal.pk])}"' in page
    page = client.get(reverse("observatory:proposal", args=[proposal.pk])).content.decode()
    assert "Répondre à la proposition" in page and "Rentrée de septembre visée." in page
    answer = reverse("observatory:proposal_answer", args=[proposal.pk])
    page = client.post(answer, {"decision": "refuser", "commentaire": "  "}).content.decode()
    assert "Indiquez le motif du refus : la Région le lira." in page
    page = client.post(answer, {}).content.decode()
    assert "Choisissez votre réponse : accepter, refuser ou faire une contre-proposition." in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT
    response = client.post(answer, {"decision": "refuser", "commentaire": "Pas de plateau technique disponible."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == (ProposalStatus.REFUSED, "Pas de plateau technique disponible.")
    refused = proposal.events.get(kind=ProposalEventKind.REFUSED)
    assert (refused.actor, refused.status_before) == (centre_staff, ProposalStatus.SENT)
    answered = AuditEvent.objects.filter(action="observatory.proposal_answered", when__gte=start)
    assert list(answered.values_list("actor_id", "object_id")) == [(centre_staff.pk, str(proposal.pk))]
    # A second answer is a conflict: the page says so and nothing changes.
    response = client.post(answer, {"decision": "accepter"}, follow=True)
    assert "déjà reçu une réponse" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED


def test_a_counter_proposal_is_followed_by_the_analyst_until_the_places_open(client, analyst, centre_staff):
    start = timezone.now()
    proposal = send(client, analyst, centre_staff)
    client.force_login(centre_staff)
    answer = reverse("observatory:proposal_answer", args=[proposal.pk])
    page = client.post(answer, {"decision": "contre", "commentaire": "Huit places d'abord.", "action_contre":
                                "augmenter", "places_contre": "600"}).content.decode()  # fmt: skip
    assert "Le nombre de places doit être compris entre 1 et 500." in page
    client.post(answer, {"decision": "contre", "commentaire": "Huit places d'abord.", "action_contre": "augmenter",
                         "places_contre": "8"})  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.status, proposal.counter_places) == (ProposalStatus.COUNTER, 8)
    client.logout()

    client.force_login(analyst)
    detail = reverse("observatory:proposal", args=[proposal.pk])
    page = client.get(detail).content.decode()
    assert "Contre-proposition du centre" in page and "Accepter la contre-proposition du centre" in page
    page = client.post(detail, {"etape": "realisee"}).content.decode()
    assert "Seule une proposition acceptée peut être marquée réalisée." in page
    client.post(detail, {"etape": "accepter_contre", "note": "D'accord pour 8."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.places) == (ProposalStatus.ACCEPTED, 8)
    client.post(detail, {"etape": "realisee", "note": "Places ouvertes à la rentrée."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE
    kinds = list(proposal.events.values_list("kind", "actor_id"))
    assert kinds == [
        (ProposalEventKind.CREATED, analyst.pk),
        (ProposalEventKind.COUNTERED, centre_staff.pk),
        (ProposalEventKind.COUNTER_ACCEPTED, analyst.pk),
        (ProposalEventKind.DONE, analyst.pk),
    ]
    assert AuditEvent.objects.filter(action="observatory.proposal_followed", when__gte=start).count() == 2
    page = client.get(reverse("observatory:proposals"), {"statut": "realisee"}).content.decode()
    assert f"N° {proposal.pk}" in page


def test_withdrawing_needs_a_reason_and_a_note_keeps_the_status(client, analyst, centre_staff):
    proposal = send(client, analyst, centre_staff)
    client.force_login(analyst)
    detail = reverse("observatory:proposal", args=[proposal.pk])
    page = client.post(detail, {"etape": "retirer"}).content.decode()
    assert "Indiquez pourquoi la proposition est retirée" in page
    client.post(detail, {"etape": "note", "note": "Relancé par téléphone."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT
    client.post(detail, {"etape": "retirer", "note": "Besoin couvert par un autre centre."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 3


def test_another_centre_cannot_read_or_answer_and_an_analyst_cannot_answer(client, analyst, centre_staff):
    proposal = send(client, analyst, centre_staff)
    other = CentreMembershipFactory().user
    client.force_login(other)
    assert client.get(reverse("observatory:proposal", args=[proposal.pk])).status_code == 404
    response = client.post(reverse("observatory:proposal_answer", args=[proposal.pk]), {"decision": "accepter"})
    assert response.status_code == 404
    assert (
        reverse("observatory:proposal", args=[proposal.pk])
        not in client.get(reverse("observatory:centre_proposals")).content.decode()
    )
    client.force_login(analyst)
    assert client.post(reverse("observatory:proposal_answer", args=[proposal.pk]), {}).status_code == 403
    with pytest.raises(ProposalError):
        proposal_answer(proposal=proposal, by=analyst, decision="accepter")
    with pytest.raises(ProposalError):
        proposal_follow(proposal=proposal, by=centre_staff, step="retirer", note="non")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT


def test_the_centre_space_links_to_its_proposals(client, centre_staff):
    client.force_login(centre_staff)
    page = client.get(reverse("trainings:space")).content.decode()
    assert reverse("observatory:centre_proposals") in page


def test_a_zone_without_a_centre_offers_the_regions_centres_training_for_the_job(analyst, centre_staff):
    from guichet.observatory.proposals import centre_choices
    from guichet.trainings.models import Training, TrainingCentre

    zone = zone_code("59350")  # Lille: emptied of its centres for this test (rolled back)
    centres = TrainingCentre.objects.filter(
        commune__basin_memberships__grid=BasinGrid.ZONE_EMPLOI, commune__basin_memberships__basin__code=zone
    )
    Training.objects.filter(centre__in=centres).delete()
    centres.delete()
    choices = centre_choices(grid="zone", area=zone, rome="J1501")
    centre = centre_staff.centre_memberships.get().centre
    assert centre in [choice.centre for choice in choices]
    assert all(choice.trains_for_job for choice in choices)


def test_the_admin_shows_the_history_but_leaves_the_steps_to_the_pages(client, admin_client, analyst, centre_staff):
    proposal = send(client, analyst, centre_staff)
    page = admin_client.get(reverse("admin:observatory_proposal_change", args=[proposal.pk])).content.decode()
    assert "Proposition envoyée au centre" in page  # the dated step, read-only
    assert 'name="status"' not in page
    assert admin_client.get(reverse("admin:observatory_proposal_add")).status_code == 403
