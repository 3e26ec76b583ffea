"""Proposals to training centres: analysts create them from a recommendation and follow them; the centre's staff
read and answer those sent to their centres. Rules are in guichet/observatory/proposals.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.observatory.models import ProposalAction, ProposalStatus
from guichet.observatory.proposals import (
    ANSWERS,
    ProposalError,
    acts_for_centre,
    area_name,
    centre_choices,
    is_analyst,
    next_steps,
    proposal_answer,
    proposal_create,
    proposal_follow,
    proposal_get_visible,
    proposal_list_visible,
    recommendation_get,
    suggested_action,
    suggested_places,
)
from guichet.observatory.selectors import GRID_LABELS, ObservatoryError
from guichet.observatory.views import analyst_required

FOLLOW_LABELS = {
    "accepter_contre": "Accepter la contre-proposition du centre",
    "retirer": "Retirer la proposition",
    "realisee": "Noter que les places sont ouvertes (proposition réalisée)",
    "note": "Ajouter une note de suivi",
}
ANSWER_LABELS = {
    "accepter": "Accepter la proposition",
    "refuser": "Refuser la proposition",
    "contre": "Faire une contre-proposition",
}


def proposals_reader_required(view: Callable) -> Callable:
    """Login required; analysts, administrators and training-centre staff (403 page for the others)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_admin(request.user) or has_role(request.user, Role.ANALYST, Role.TRAINING_CENTRE)):
            return render(request, "observatory/proposals/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def centre_staff_required(view: Callable) -> Callable:
    """Login required; training-centre staff and administrators (403 page for the others)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_admin(request.user) or has_role(request.user, Role.TRAINING_CENTRE)):
            return render(request, "observatory/proposals/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "observatory/proposals/not_found.html", status=404)


@analyst_required
def proposal_create_view(request: HttpRequest) -> HttpResponse:
    """The form pre-filled from a recommendation (grid, zone, job): centre, action, places, message."""
    source = request.POST if request.method == "POST" else request.GET
    grid = (source.get("grid") or "zone").strip()
    area = (source.get("code") or "").strip()
    rome = (source.get("rome") or "").strip().upper()
    try:
        row = recommendation_get(grid=grid, area=area, rome=rome)
    except ObservatoryError as error:
        context = {
            "message": error.message,
            "title": "Proposition impossible depuis cette adresse",
            "back_url": reverse("observatory:needs"),
            "back_label": "Choisir une ligne du tableau des besoins",
        }
        return render(request, "observatory/bad_request.html", context, status=400)
    choices = centre_choices(grid=grid, area=row.area, rome=row.rome)
    first = choices[0] if choices else None
    values = {
        "centre": str(first.centre.pk) if first else "",
        "action": suggested_action(trains_for_job=bool(first and first.trains_for_job)),
        "places": str(suggested_places(row)),
        "message": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {key: (request.POST.get(key) or "").strip() for key in values}
        centre = next((c.centre for c in choices if str(c.centre.pk) == values["centre"]), None)
        if centre is None:
            errors["centre"] = "Choisissez un centre de formation dans la liste."
        else:
            try:
                proposal = proposal_create(
                    by=request.user, grid=grid, area=row.area, rome=row.rome, centre=centre,
                    action=values["action"], places=values["places"], message=values["message"], request=request,
                )  # fmt: skip
            except ProposalError as error:
                errors[error.field] = error.message
            else:
                messages.success(request, f"Proposition envoyée à {centre.display_name}.")
                return redirect("observatory:proposal", pk=proposal.pk)
    context = {
        "row": row,
        "grid": grid,
        "grid_label": GRID_LABELS[grid],
        "choices": choices,
        "actions": ProposalAction.choices,
        "values": values,
        "errors": errors,
    }
    return render(request, "observatory/proposals/create.html", context)


@analyst_required
def proposal_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    if status not in ProposalStatus.values:
        status = ""
    proposals = proposal_list_visible(user=request.user, status=status)[:200]
    context = {"proposals": proposals, "status": status, "statuses": ProposalStatus.choices}
    return render(request, "observatory/proposals/list.html", context)


@centre_staff_required
def centre_proposal_list_view(request: HttpRequest) -> HttpResponse:
    """The proposals sent to the user's centres, those waiting for an answer first."""
    proposals = sorted(
        proposal_list_visible(user=request.user)[:200],
        key=lambda proposal: proposal.status != ProposalStatus.SENT,
    )
    return render(request, "observatory/proposals/centre_list.html", {"proposals": proposals})


@proposals_reader_required
def proposal_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal, its reasons and its dated history; analysts post follow-up steps here."""
    proposal = proposal_get_visible(user=request.user, pk=pk)
    if proposal is None:
        return _not_found(request)
    errors: dict[str, str] = {}
    values = {"etape": "", "note": ""}
    if request.method == "POST":
        values = {key: (request.POST.get(key) or "").strip() for key in values}
        try:
            proposal_follow(proposal=proposal, by=request.user, step=values["etape"], note=values["note"],
                            request=request)  # fmt: skip
        except ProposalError as error:
            errors[error.field] = error.message
        else:
            messages.success(request, "Suivi enregistré.")
            return redirect("observatory:proposal", pk=proposal.pk)
        proposal.refresh_from_db()
    steps = next_steps(proposal=proposal, user=request.user)
    context = {
        "proposal": proposal,
        "area_name": area_name(grid=proposal.grid, area=proposal.area),
        "events": proposal.events.select_related("actor"),
        "follow_ups": [(step, FOLLOW_LABELS[step]) for step in steps["follow_ups"]],
        "can_answer": bool(steps["answers"]),
        "is_analyst": is_analyst(request.user),
        "errors": errors,
        "values": values,
    }
    return render(request, "observatory/proposals/detail.html", context)


@centre_staff_required
def proposal_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The centre's answer: accept, refuse with a reason, or counter-propose another action or number of places."""
    proposal = proposal_get_visible(user=request.user, pk=pk)
    if proposal is None or not acts_for_centre(request.user, proposal.centre):
        return _not_found(request)
    errors: dict[str, str] = {}
    values = {"decision": "", "commentaire": "", "action_contre": proposal.action, "places_contre": ""}
    if request.method == "POST":
        values = {key: (request.POST.get(key) or "").strip() for key in values}
        try:
            proposal_answer(
                proposal=proposal, by=request.user, decision=values["decision"], comment=values["commentaire"],
                counter_action=values["action_contre"], counter_places=values["places_contre"], request=request,
            )  # fmt: skip
        except ProposalError as error:
            if error.conflict:
                messages.error(request, error.message)
                return redirect("observatory:proposal", pk=proposal.pk)
            errors[error.field] = error.message
        else:
            messages.success(request, "Votre réponse est enregistrée ; la Région en est informée sur son suivi.")
            return redirect("observatory:proposal", pk=proposal.pk)
    context = {
        "proposal": proposal,
        "area_name": area_name(grid=proposal.grid, area=proposal.area),
        "answers": [(key, ANSWER_LABELS[key]) for key in ANSWERS],
        "actions": ProposalAction.choices,
        "open": proposal.status == ProposalStatus.SENT,
        "errors": errors,
        "values": values,
        "detail_url": reverse("observatory:proposal", args=[proposal.pk]),
    }
    return render(request, "observatory/proposals/answer.html", context)
