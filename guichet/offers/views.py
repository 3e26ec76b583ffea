"""Offer pages of the employer space (create, edit, publish, withdraw) and of the training-centre space (an
offer posted for a partner company). Rules live in offers.services; the forms only parse.

The public offer page (/offres/<id>/) shows the trainings that go with the offer: it lives in matching and
is included by name in offers/urls.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.models import Role
from guichet.employers.models import Establishment
from guichet.employers.selectors import establishment_list_for_user
from guichet.employers.views import role_required
from guichet.offers.forms import OfferForm, PartnerOfferForm
from guichet.offers.models import Offer
from guichet.offers.services import (
    OfferChanges,
    OfferError,
    offer_create,
    offer_publish,
    offer_update,
    offer_withdraw,
)
from guichet.trainings.models import TrainingCentre

OFFER_FIELDS = (
    "rome_job",
    "title",
    "commune",
    "target_level",
    "starts_on",
    "duration_months",
    "weekly_hours",
    "positions",
    "description",
    "driving_licence_required",
)


def _add_offer_error(form: OfferForm, error: OfferError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _editable_offer(request: HttpRequest, pk: int) -> Offer:
    offer = (
        Offer.objects.editable_by(request.user)
        .select_related("establishment", "rome_job", "commune", "target_level")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404("Offre introuvable.")
    return offer


def _space(request: HttpRequest) -> str:
    """The URL namespace of the space the page was opened from: "employers" or "trainings"."""
    return request.resolver_match.namespace if request.resolver_match else "employers"


def _offer_values(form: OfferForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in OFFER_FIELDS}


@require_http_methods(["GET", "POST"])
@role_required(Role.EMPLOYER)
def offer_new(request: HttpRequest) -> HttpResponse:
    establishments = establishment_list_for_user(user=request.user)
    form = OfferForm(request.POST or None, establishments=establishments)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_create(
                establishment=form.cleaned_data["establishment"], created_by=request.user, **_offer_values(form)
            )
        except OfferError as error:
            _add_offer_error(form, error)
        else:
            messages.success(request, "Votre offre est enregistrée en brouillon. Relisez-la puis publiez-la.")
            return redirect(f"{_space(request)}:offer_edit", pk=offer.pk)
    return render(request, "offers/offer_form.html", {"form": form, "offer": None, "space": "employers"})


@require_http_methods(["GET", "POST"])
@role_required(Role.EMPLOYER, Role.TRAINING_CENTRE)
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _editable_offer(request, pk)
    establishments = Establishment.objects.filter(pk=offer.establishment_id)
    initial = {name: getattr(offer, name) for name in OFFER_FIELDS}
    initial["establishment"] = offer.establishment
    form = OfferForm(request.POST or None, establishments=establishments, initial=initial)
    form.fields["establishment"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_update(offer=offer, changes=OfferChanges(**_offer_values(form)))
        except OfferError as error:
            _add_offer_error(form, error)
        else:
            messages.success(request, "Les modifications de l'offre sont enregistrées.")
            return redirect(f"{_space(request)}:offer_edit", pk=offer.pk)
    return render(request, "offers/offer_form.html", {"form": form, "offer": offer, "space": _space(request)})


@require_POST
@role_required(Role.EMPLOYER, Role.TRAINING_CENTRE)
def offer_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _editable_offer(request, pk)
    try:
        offer_publish(offer=offer)
    except OfferError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"L'offre « {offer.title} » est publiée : les jeunes peuvent la trouver et postuler."
        )
    return redirect(f"{_space(request)}:offer_edit", pk=offer.pk)


@require_POST
@role_required(Role.EMPLOYER, Role.TRAINING_CENTRE)
def offer_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _editable_offer(request, pk)
    try:
        offer_withdraw(offer=offer)
    except OfferError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"L'offre « {offer.title} » est retirée. Les candidats en attente en sont prévenus.")
    return redirect(f"{_space(request)}:offer_edit", pk=offer.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINING_CENTRE)
def partner_offer_new(request: HttpRequest) -> HttpResponse:
    """A training centre posts an offer for a partner company registered on the guichet (found by SIRET)."""
    centres = TrainingCentre.objects.visible_to(request.user).order_by("name")
    form = PartnerOfferForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_create(
                establishment=form.cleaned_data["establishment"],
                created_by=request.user,
                posted_by_centre=form.cleaned_data["centre"],
                **_offer_values(form),
            )
        except OfferError as error:
            _add_offer_error(form, error)
        else:
            messages.success(
                request,
                "L'offre est enregistrée en brouillon pour votre entreprise partenaire. Relisez-la puis publiez-la.",
            )
            return redirect("trainings:offer_edit", pk=offer.pk)
    return render(request, "offers/offer_form.html", {"form": form, "offer": None, "space": "trainings"})
