"""Proposals to training centres: a recommendation (zone x job with a gap between needs and places) sent to a centre,
its answer (accept, refuse with a reason, counter-proposal) and the Region's follow-up.

Every step checks who acts and from which status, saves a dated ProposalEvent with its author, and writes an audit
event (guichet.core.audit) after the change, in the same transaction.

    sent --centre--> accepted | refused | counter-proposal
    counter-proposal --Region--> accepted (the centre's action and places are taken)
    sent | counter-proposal --Region--> withdrawn
    accepted --Region or centre--> done (places opened)
    any status --Region--> a follow-up note (status unchanged)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.core.audit import audit_record
from guichet.jobs.models import RomeJob
from guichet.observatory.models import (
    Proposal,
    ProposalAction,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
)
from guichet.observatory.selectors import GRIDS, GapRow, ObservatoryError, check_grid, gaps
from guichet.territory.models import Basin, BasinMembership
from guichet.trainings.models import Training, TrainingCentre

MAX_PLACES = 500
MAX_TEXT = 2000
OPEN_STATUSES = (ProposalStatus.SENT, ProposalStatus.COUNTER)


class ProposalError(ObservatoryError):
    """A step refused: bad value (field named) or a transition not allowed from the current status."""

    def __init__(self, field: str, message: str, *, conflict: bool = False) -> None:
        super().__init__(field, message)
        self.conflict = conflict


def is_analyst(user: Any) -> bool:
    return is_admin(user) or has_role(user, Role.ANALYST)


def acts_for_centre(user: Any, centre: TrainingCentre) -> bool:
    """Administrators, and the staff attached to the centre."""
    if is_admin(user):
        return True
    return has_role(user, Role.TRAINING_CENTRE) and centre.memberships.filter(user=user).exists()


# --- Reads -----------------------------------------------------------------------------------------------------


def proposal_list_visible(*, user: Any, status: str = "") -> QuerySet[Proposal]:
    proposals = Proposal.objects.visible_to(user).select_related("centre", "rome_job", "created_by")
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-updated_at", "-pk")


def proposal_get_visible(*, user: Any, pk: int) -> Proposal | None:
    return proposal_list_visible(user=user).filter(pk=pk).first()


def area_name(*, grid: str, area: str) -> str:
    if grid not in GRIDS:
        return area
    return Basin.objects.filter(grid=GRIDS[grid], code=area).values_list("name", flat=True).first() or area


def recommendation_get(*, grid: str, area: str, rome: str) -> GapRow:
    """The gap row a proposal starts from; refuses an unknown grid, area or job with a message naming the field."""
    check_grid(grid)
    rome = (rome or "").strip().upper()
    if not area:
        raise ProposalError("code", "Choisissez la zone de la recommandation.")
    if not RomeJob.objects.filter(code=rome).exists():
        raise ProposalError("rome", f"Métier ROME « {rome} » inconnu : partez d'une ligne du tableau des besoins.")
    rows = gaps(grid=grid, area=area, rome=rome)
    if not rows:
        job = RomeJob.objects.get(code=rome)
        return GapRow(grid, area, area_name(grid=grid, area=area), rome, job.title, job.future_family,
                      0.0, 0, 0.0, 0, 0, 0, 0)  # fmt: skip
    return rows[0]


@dataclass(frozen=True)
class CentreChoice:
    centre: TrainingCentre
    trains_for_job: bool


def centre_choices(*, grid: str, area: str, rome: str) -> list[CentreChoice]:
    """Centres located in the area, those already training for the job first; when the area has no centre, the
    region's centres that train for the job (a proposal to move or open places there)."""
    check_grid(grid)
    communes = BasinMembership.objects.filter(grid=GRIDS[grid], basin__code=area).values("commune_id")
    centres = TrainingCentre.objects.filter(commune_id__in=communes).select_related("commune").order_by("name")
    if not centres.exists():
        region = BasinMembership.objects.filter(grid=GRIDS[grid]).values("commune_id")
        trainers = Training.objects.filter(rome_jobs__code=rome).values("centre_id")
        centres = (
            TrainingCentre.objects.filter(commune_id__in=region, pk__in=trainers)
            .select_related("commune")
            .order_by("name")
        )
    training = set(
        Training.objects.filter(centre__in=centres, rome_jobs__code=rome).values_list("centre_id", flat=True)
    )
    choices = [CentreChoice(centre, centre.pk in training) for centre in centres]
    return sorted(choices, key=lambda choice: (not choice.trains_for_job, choice.centre.name))


def suggested_action(*, trains_for_job: bool) -> str:
    return ProposalAction.EXTEND if trains_for_job else ProposalAction.OPEN


def suggested_places(row: GapRow) -> int:
    """The gap, rounded, between 1 and a class-sized 30: the analyst adjusts it."""
    return max(1, min(30, round(row.gap)))


# --- Writes ----------------------------------------------------------------------------------------------------


def _places(value: Any, *, field: str = "places") -> int:
    try:
        places = int(str(value).strip())
    except (TypeError, ValueError):
        raise ProposalError(field, "Indiquez un nombre entier de places, par exemple 12.") from None
    if not 1 <= places <= MAX_PLACES:
        raise ProposalError(field, f"Le nombre de places doit être compris entre 1 et {MAX_PLACES}.")
    return places


def _text(value: str | None, *, field: str, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ProposalError(field, required)
    if len(text) > MAX_TEXT:
        raise ProposalError(field, f"Le texte est trop long : {MAX_TEXT} caractères au plus.")
    return text


def _action(value: str, *, field: str = "action") -> str:
    if value not in ProposalAction.values:
        raise ProposalError(field, "Choisissez l'action : ouvrir, augmenter ou déplacer des places.")
    return value


def _event(
    proposal: Proposal, *, kind: str, by: Any, before: str, note: str = "", places: int | None = None
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        at=timezone.now(),
        actor=by if getattr(by, "is_authenticated", False) else None,
        actor_role=str(getattr(by, "role", "") or ""),
        kind=kind,
        status_before=before,
        status_after=proposal.status,
        places=places,
        note=note,
    )


def _audit(proposal: Proposal, *, kind: str, by: Any, request: HttpRequest | None, **details: Any) -> None:
    audit_record(
        action=f"observatory.proposal_{kind}",
        actor=by,
        obj=proposal,
        request=request,
        details={"status": proposal.status, "centre": proposal.centre_id, **details},
    )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("centre", "rome_job").get(pk=proposal.pk)


@transaction.atomic
def proposal_create(
    *,
    by: Any,
    grid: str,
    area: str,
    rome: str,
    centre: TrainingCentre | None,
    action: str,
    places: Any,
    message: str = "",
    request: HttpRequest | None = None,
) -> Proposal:
    """An analyst sends a recommendation to a centre; the recommendation's figures are kept as its reasons."""
    if not is_analyst(by):
        raise ProposalError("centre", "Seuls les analystes de la Région envoient des propositions aux centres.")
    row = recommendation_get(grid=grid, area=area, rome=rome)
    if centre is None:
        raise ProposalError("centre", "Choisissez le centre de formation à qui envoyer la proposition.")
    proposal = Proposal.objects.create(
        centre=centre,
        grid=grid,
        area=row.area,
        rome_job=RomeJob.objects.get(code=row.rome),
        action=_action(action),
        places=_places(places),
        reasons=[*row.reasons, {"code": "ecart", "label": "Écart besoins - places", "value": round(row.gap, 1)}],
        message=_text(message, field="message"),
        created_by=by,
    )
    _event(proposal, kind=ProposalEventKind.CREATED, by=by, before="", note=proposal.message, places=proposal.places)
    _audit(proposal, kind="created", by=by, request=request, places=proposal.places, action=proposal.action)
    return proposal


ANSWERS = {"accepter": ProposalStatus.ACCEPTED, "refuser": ProposalStatus.REFUSED, "contre": ProposalStatus.COUNTER}


@transaction.atomic
def proposal_answer(
    *,
    proposal: Proposal,
    by: Any,
    decision: str,
    comment: str = "",
    counter_action: str = "",
    counter_places: Any = None,
    request: HttpRequest | None = None,
) -> Proposal:
    """The centre answers a proposal it received: accept, refuse (reason required) or counter-propose."""
    proposal = _locked(proposal)
    if not acts_for_centre(by, proposal.centre):
        raise ProposalError("decision", "Seul le personnel du centre destinataire peut répondre à cette proposition.")
    if decision not in ANSWERS:
        raise ProposalError(
            "decision", "Choisissez votre réponse : accepter, refuser ou faire une contre-proposition."
        )
    if proposal.status != ProposalStatus.SENT:
        raise ProposalError(
            "decision",
            f"Cette proposition a déjà reçu une réponse (statut : {proposal.get_status_display().lower()}).",
            conflict=True,
        )
    before = proposal.status
    places = None
    if decision == "refuser":
        comment = _text(comment, field="commentaire", required="Indiquez le motif du refus : la Région le lira.")
    elif decision == "contre":
        comment = _text(
            comment, field="commentaire", required="Expliquez votre contre-proposition en une ou deux phrases."
        )
        proposal.counter_action = _action(counter_action, field="action_contre")
        proposal.counter_places = places = _places(counter_places, field="places_contre")
    else:
        comment = _text(comment, field="commentaire")
    proposal.status = ANSWERS[decision]
    proposal.answer = comment
    proposal.save()
    kind = {"accepter": ProposalEventKind.ACCEPTED, "refuser": ProposalEventKind.REFUSED}.get(
        decision, ProposalEventKind.COUNTERED
    )
    _event(proposal, kind=kind, by=by, before=before, note=comment, places=places)
    _audit(proposal, kind="answered", by=by, request=request, decision=decision, counter_places=places)
    return proposal


FOLLOW_UPS = ("accepter_contre", "retirer", "realisee", "note")


@transaction.atomic
def proposal_follow(
    *, proposal: Proposal, by: Any, step: str, note: str = "", request: HttpRequest | None = None
) -> Proposal:
    """The Region's follow-up: take the counter-proposal, withdraw, record the places opened, or add a note.

    The centre may also record that the places it accepted are open ("realisee")."""
    proposal = _locked(proposal)
    analyst = is_analyst(by)
    if not (analyst or (step == "realisee" and acts_for_centre(by, proposal.centre))):
        raise ProposalError("etape", "Seuls les analystes de la Région assurent le suivi des propositions.")
    if step not in FOLLOW_UPS:
        raise ProposalError("etape", "Choisissez une étape de suivi dans la liste.")
    before = proposal.status
    places = None
    if step == "accepter_contre":
        if proposal.status != ProposalStatus.COUNTER:
            raise ProposalError("etape", "Il n'y a pas de contre-proposition à accepter.", conflict=True)
        proposal.action, proposal.places = proposal.counter_action, proposal.counter_places
        proposal.status, kind, places = ProposalStatus.ACCEPTED, ProposalEventKind.COUNTER_ACCEPTED, proposal.places
        note = _text(note, field="note")
    elif step == "retirer":
        if proposal.status not in OPEN_STATUSES:
            raise ProposalError(
                "etape", "Seule une proposition en attente de réponse ou de décision peut être retirée.", conflict=True
            )
        note = _text(note, field="note", required="Indiquez pourquoi la proposition est retirée : le centre le lira.")
        proposal.status, kind = ProposalStatus.WITHDRAWN, ProposalEventKind.WITHDRAWN
    elif step == "realisee":
        if proposal.status != ProposalStatus.ACCEPTED:
            raise ProposalError("etape", "Seule une proposition acceptée peut être marquée réalisée.", conflict=True)
        note = _text(note, field="note")
        proposal.status, kind = ProposalStatus.DONE, ProposalEventKind.DONE
    else:
        note = _text(note, field="note", required="Écrivez la note de suivi.")
        kind = ProposalEventKind.NOTE
    proposal.save()
    _event(proposal, kind=kind, by=by, before=before, note=note, places=places)
    _audit(proposal, kind="followed", by=by, request=request, step=step)
    return proposal


def next_steps(*, proposal: Proposal, user: Any) -> dict[str, list[str]]:
    """What the user may do now: `answers` (centre) and `follow_ups` (Region), for the page to offer only those."""
    answers: list[str] = []
    follow_ups: list[str] = []
    if acts_for_centre(user, proposal.centre) and proposal.status == ProposalStatus.SENT:
        answers = list(ANSWERS)
    if is_analyst(user):
        if proposal.status == ProposalStatus.COUNTER:
            follow_ups.append("accepter_contre")
        if proposal.status in OPEN_STATUSES:
            follow_ups.append("retirer")
        if proposal.status == ProposalStatus.ACCEPTED:
            follow_ups.append("realisee")
        follow_ups.append("note")
    elif proposal.status == ProposalStatus.ACCEPTED and acts_for_centre(user, proposal.centre):
        follow_ups.append("realisee")
    return {"answers": answers, "follow_ups": follow_ups}
