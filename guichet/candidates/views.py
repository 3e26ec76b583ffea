"""Young person's space (/jeunes/: profile, applications, messages) and the applications side of the employer
space (/entreprises/: offers with their counts, the board of an offer, answering an application).

Views are thin: reads through candidates.selectors, writes through candidates.services.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.models import Role
from guichet.candidates.enums import ApplicationStatus, EnrolmentStatus
from guichet.candidates.forms import (
    WISHED_JOB_FIELDS,
    ApplicationForm,
    EnrolmentDeclareForm,
    EnrolmentInviteForm,
    EnrolmentStatusForm,
    ProfileForm,
    StatusForm,
    TrainingSearchForm,
)
from guichet.candidates.models import Application, CandidateProfile, Enrolment
from guichet.candidates.selectors import (
    application_board,
    application_events,
    application_get_for_user,
    application_list_for_user,
    candidate_profile_for_user,
    enrolment_display_name,
    enrolment_get_for_user,
    enrolment_list_for_user,
    notification_list,
    offer_list_with_application_counts,
    response_stats_by_establishment,
    training_list_for_declaration,
)
from guichet.candidates.services import (
    ApplicationError,
    EnrolmentError,
    ProfileChanges,
    ProfileError,
    application_allowed_transitions,
    application_create,
    application_transition,
    application_withdraw,
    candidate_profile_create,
    candidate_profile_update,
    enrolment_allowed_transitions,
    enrolment_confirm,
    enrolment_declare,
    enrolment_decline,
    enrolment_invite,
    enrolment_transition,
)
from guichet.employers.selectors import establishment_list_for_user
from guichet.employers.views import role_required
from guichet.offers.models import Offer
from guichet.offers.selectors import offer_get
from guichet.rules.base import age_on
from guichet.trainings.selectors import training_list_for_user

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
    return age_on(profile.birth_date, timezone.localdate())


# --- Young person's space -------------------------------------------------------------------------------------


@require_GET
@role_required(Role.YOUNG)
def space(request: HttpRequest) -> HttpResponse:
    profile = candidate_profile_for_user(user=request.user)
    applications = list(application_list_for_user(user=request.user))
    notifications = list(notification_list(user=request.user)[:10])
    enrolments = list(enrolment_list_for_user(user=request.user).exclude(status=EnrolmentStatus.WITHDRAWN))
    return render(
        request,
        "candidates/space.html",
        {"profile": profile, "applications": applications, "notifications": notifications, "enrolments": enrolments},
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


# --- Enrolments at a training centre: the young person's side ------------------------------------------------


def _form_error(form: forms.Form, error: EnrolmentError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@require_http_methods(["GET", "POST"])
@role_required(Role.YOUNG)
def enrolment_create(request: HttpRequest) -> HttpResponse:
    """Find the training one is enrolled in (GET ?q=), then declare it (POST, one form per training found)."""
    profile = candidate_profile_for_user(user=request.user)
    if profile is None:
        messages.info(request, "Complétez d'abord votre profil : le centre de formation s'appuie dessus.")
        return redirect(f"{reverse('candidates:profile')}?{urlencode({'suite': request.path})}")
    today = timezone.localdate()
    search = TrainingSearchForm(request.GET if "q" in request.GET else None)
    trainings = training_list_for_declaration(query=search.cleaned_data["q"], today=today) if search.is_valid() else []
    posted: EnrolmentDeclareForm | None = None
    if request.method == "POST":
        posted = EnrolmentDeclareForm(request.POST, today=today)
        if posted.is_valid():
            try:
                enrolment = enrolment_declare(
                    candidate=profile,
                    training=posted.cleaned_data["training"],
                    session=posted.cleaned_data["session"],
                    today=today,
                )
            except EnrolmentError as error:
                _form_error(posted, error)
            else:
                messages.success(
                    request,
                    f"Votre inscription est enregistrée : {enrolment.training.centre.display_name} la voit et peut "
                    "vous proposer des offres.",
                )
                return redirect("candidates:enrolment", pk=enrolment.pk)
        training = posted.cleaned_data.get("training")  # shown again with its errors, even outside the search
        if training is not None and training not in trainings:
            trainings = [training, *trainings]
    forms_by_training = []
    for training in trainings:
        if posted is not None and posted.cleaned_data.get("training") == training:
            form = posted
        else:
            form = EnrolmentDeclareForm(training=training, today=today)
        forms_by_training.append((training, form))
    status = 400 if posted is not None and posted.errors else 200
    return render(
        request,
        "candidates/enrolment_create.html",
        {"search": search, "forms_by_training": forms_by_training, "posted": posted},
        status=status,
    )


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = enrolment_get_for_user(user=request.user, pk=pk)
    if enrolment is None:
        raise Http404("Inscription introuvable.")
    return enrolment


@require_http_methods(["GET", "POST"])
@role_required(Role.YOUNG)
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The young person's enrolment: what the centre sees, confirming a centre's declaration, the situation."""
    enrolment = _own_enrolment(request, pk)
    action = request.POST.get("action", "")
    allowed = enrolment_allowed_transitions(enrolment=enrolment, user=request.user)
    form = EnrolmentStatusForm(request.POST if action == "status" else None, allowed=allowed)
    try:
        if action == "confirm":
            enrolment_confirm(enrolment=enrolment, by=request.user)
            messages.success(request, "Inscription confirmée : le centre de formation peut vous proposer des offres.")
            return redirect("candidates:enrolment", pk=enrolment.pk)
        if action == "decline":
            enrolment_decline(enrolment=enrolment, by=request.user)
            messages.success(request, "Inscription refusée : le centre de formation ne voit rien de vous.")
            return redirect("candidates:space")
        if action == "status" and form.is_valid():
            enrolment_transition(
                enrolment=enrolment,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                on=form.cleaned_data["on"],
            )
            messages.success(request, "Votre situation est enregistrée : votre centre de formation la voit.")
            return redirect("candidates:enrolment", pk=enrolment.pk)
    except EnrolmentError as error:
        if action == "status":
            _form_error(form, error)
        else:
            messages.error(request, str(error))
    return render(
        request,
        "candidates/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "form": form,
            "allowed": allowed,
            "display_name": enrolment_display_name(enrolment=enrolment),
        },
        status=400 if form.errors else 200,
    )


# --- Enrolments at a training centre: the centre's side (under /formations/, namespace `trainings`) ----------


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINING_CENTRE)
def centre_enrolment_invite(request: HttpRequest) -> HttpResponse:
    """Declare a young person enrolled in one of the user's trainings; the young person confirms it."""
    today = timezone.localdate()
    form = EnrolmentInviteForm(request.POST or None, trainings=training_list_for_user(user=request.user), today=today)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_invite(
                by=request.user,
                email=form.cleaned_data["email"],
                training=form.cleaned_data["training"],
                session=form.cleaned_data["session"],
                today=today,
            )
        except EnrolmentError as error:
            _form_error(form, error)
        else:
            # The same answer whether or not the address has an account: no one learns who is registered.
            messages.success(
                request,
                "C'est noté. Si cette adresse est celle d'un compte jeune avec un profil, le jeune reçoit une demande "
                "de confirmation ; dès qu'il confirme, il apparaît dans votre liste.",
            )
            return redirect("trainings:young_without_employer")
    return render(
        request, "candidates/centre_enrolment_invite.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINING_CENTRE)
def centre_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    """One young person enrolled in the user's trainings: their situation, which the centre may update."""
    enrolment = enrolment_get_for_user(user=request.user, pk=pk)
    if enrolment is None:
        raise Http404("Inscription introuvable.")
    allowed = enrolment_allowed_transitions(enrolment=enrolment, user=request.user)
    form = EnrolmentStatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_transition(
                enrolment=enrolment,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                on=form.cleaned_data["on"],
            )
        except EnrolmentError as error:
            _form_error(form, error)
        else:
            messages.success(request, "La situation du jeune est enregistrée.")
            return redirect("trainings:enrolment", pk=enrolment.pk)
    return render(
        request,
        "candidates/centre_enrolment.html",
        {"enrolment": enrolment, "form": form, "display_name": enrolment_display_name(enrolment=enrolment)},
        status=400 if form.errors else 200,
    )
