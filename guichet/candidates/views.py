"""Young person's space (/jeunes/: profile, applications, messages) and the applications side of the employer
space (/entreprises/: offers with their counts, the board of an offer, answering an application).

Views are thin: reads through candidates.selectors, writes through candidates.services.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.models import Role
from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.forms import WISHED_JOB_FIELDS, ApplicationForm, ProfileForm, StatusForm
from guichet.candidates.models import Application, CandidateProfile
from guichet.candidates.selectors import (
    application_board,
    application_events,
    application_get_for_user,
    application_list_for_user,
    candidate_profile_for_user,
    notification_list,
    offer_list_with_application_counts,
    response_stats_by_establishment,
)
from guichet.candidates.services import (
    ApplicationError,
    ProfileChanges,
    ProfileError,
    application_allowed_transitions,
    application_create,
    application_transition,
    application_withdraw,
    candidate_profile_create,
    candidate_profile_update,
)
from guichet.employers.selectors import establishment_list_for_user
from guichet.employers.views import role_required
from guichet.offers.models import Offer
from guichet.offers.selectors import offer_get

PROFILE_FIELDS = (
    "birth_date",
    "commune",
    "mobility_radius_km",
    "driving_licence",
    "current_level",
    "wished_level",
    "available_from",
    "rqth",
    "visible_to_employers",
)
RESPONSE_WINDOW_DAYS = 365


def age_years(profile: CandidateProfile) -> int:
    today = timezone.localdate()
    born = profile.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# --- Young person's space -------------------------------------------------------------------------------------


@require_GET
@role_required(Role.YOUNG)
def space(request: HttpRequest) -> HttpResponse:
    profile = candidate_profile_for_user(user=request.user)
    applications = list(application_list_for_user(user=request.user))
    notifications = list(notification_list(user=request.user)[:10])
    return render(
        request,
        "candidates/space.html",
        {"profile": profile, "applications": applications, "notifications": notifications},
    )


def _profile_initial(profile: CandidateProfile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    initial = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    for name, job in zip(WISHED_JOB_FIELDS, profile.wished_jobs.order_by("code"), strict=False):
        initial[name] = job
    return initial


@require_http_methods(["GET", "POST"])
@role_required(Role.YOUNG)
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = candidate_profile_for_user(user=request.user)
    form = ProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        try:
            if profile is None:
                candidate_profile_create(user=request.user, wished_jobs=form.wished_jobs(), **values)
            else:
                # The form sends every field: an emptied optional field arrives as None and is emptied.
                candidate_profile_update(
                    profile=profile, changes=ProfileChanges(wished_jobs=form.wished_jobs(), **values)
                )
        except ProfileError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Votre profil est enregistré.")
            next_url = request.GET.get("suite", "")
            if next_url.startswith("/") and not next_url.startswith("//"):
                return redirect(next_url)
            return redirect("candidates:space")
    return render(request, "candidates/profile_form.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
@role_required(Role.YOUNG)
def apply(request: HttpRequest, offer_pk: int) -> HttpResponse:
    offer = offer_get(pk=offer_pk, user=request.user)
    if offer is None:
        raise Http404("Offre introuvable.")
    profile = candidate_profile_for_user(user=request.user)
    if profile is None:
        messages.info(
            request, "Complétez d'abord votre profil : l'employeur en a besoin pour étudier votre candidature."
        )
        return redirect(f"{reverse('candidates:profile')}?{urlencode({'suite': request.path})}")
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create(candidate=profile, offer=offer, message=form.cleaned_data["message"])
        except ApplicationError as error:
            form.add_error("message" if error.field == "message" else None, str(error))
        else:
            messages.success(
                request,
                f"Votre candidature est envoyée à {offer.establishment.name}. Vous serez prévenu à chaque étape.",
            )
            return redirect("candidates:application", pk=application.pk)
    return render(request, "candidates/apply.html", {"form": form, "offer": offer, "profile": profile})


def _young_application(request: HttpRequest, pk: int) -> Application:
    application = application_get_for_user(user=request.user, pk=pk)
    if application is None:
        raise Http404("Candidature introuvable.")
    return application


@require_GET
@role_required(Role.YOUNG)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _young_application(request, pk)
    return render(
        request,
        "candidates/application_detail.html",
        {
            "application": application,
            "events": application_events(application=application),
            "notifications": application.notifications.filter(recipient=request.user),
            "can_withdraw": ApplicationStatus.WITHDRAWN
            in application_allowed_transitions(application=application, user=request.user),
        },
    )


@require_POST
@role_required(Role.YOUNG)
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _young_application(request, pk)
    try:
        application_withdraw(application=application, by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre candidature est retirée. L'employeur en est prévenu.")
    return redirect("candidates:application", pk=application.pk)


# --- Employer space: offers, board, answers -------------------------------------------------------------------


@require_GET
@role_required(Role.EMPLOYER)
def employer_space(request: HttpRequest) -> HttpResponse:
    establishments = list(establishment_list_for_user(user=request.user))
    offers = list(offer_list_with_application_counts(user=request.user))
    since = timezone.localdate() - timedelta(days=RESPONSE_WINDOW_DAYS)
    stats = response_stats_by_establishment(establishment_ids=[e.pk for e in establishments], since=since)
    for establishment in establishments:
        establishment.response_stats = stats.get(establishment.pk)
    return render(
        request,
        "candidates/employer_space.html",
        {"establishments": establishments, "offers": offers, "response_window_days": RESPONSE_WINDOW_DAYS},
    )


def _managed_offer(request: HttpRequest, pk: int) -> Offer:
    offer = (
        Offer.objects.editable_by(request.user)
        .select_related("establishment", "rome_job", "commune", "target_level")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404("Offre introuvable.")
    return offer


BOARD_COLUMNS = (
    ApplicationStatus.SENT,
    ApplicationStatus.SEEN,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.CONTRACT_SIGNED,
    ApplicationStatus.REFUSED,
    ApplicationStatus.WITHDRAWN,
)


@require_GET
@role_required(Role.EMPLOYER)
def offer_board(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _managed_offer(request, pk)
    board = application_board(user=request.user, offer=offer)
    columns = [(status, board.get(status, [])) for status in BOARD_COLUMNS]
    for _, applications in columns:
        for application in applications:
            application.age = age_years(application.candidate)
    return render(request, "candidates/offer_board.html", {"offer": offer, "columns": columns})


def _employer_application(request: HttpRequest, pk: int) -> Application:
    application = application_get_for_user(user=request.user, pk=pk)
    if application is None:
        raise Http404("Candidature introuvable.")
    return application


@require_http_methods(["GET", "POST"])
@role_required(Role.EMPLOYER)
def employer_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _employer_application(request, pk)
    allowed = [
        status
        for status in application_allowed_transitions(application=application, user=request.user)
        if status != ApplicationStatus.CONTRACT_SIGNED  # declared from the contract draft, once both validated
    ]
    form = StatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            application_transition(
                application=application,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in ("reason", "note") else None, str(error))
        else:
            application.refresh_from_db()
            messages.success(
                request,
                f"La candidature est passée au statut « {application.get_status_display()} ». "
                "Le candidat est prévenu.",
            )
            return redirect("employers:application", pk=application.pk)
    application.age = age_years(application.candidate)
    return render(
        request,
        "candidates/employer_application.html",
        {"application": application, "events": application_events(application=application), "form": form},
    )
