"""Training-centre space (/formations/): the centres and trainings a person acts for, places and sessions.

The pages that need offers or matching (young people without an employer, offers posted for a partner
company) live in those apps and are included by name in trainings/urls.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Role
from guichet.employers.views import role_required
from guichet.trainings.forms import PlacesForm, SessionForm
from guichet.trainings.models import TrainingCentre
from guichet.trainings.selectors import training_get_for_user, training_list_for_user, training_sessions_summary
from guichet.trainings.services import TrainingError, training_session_add, training_update


@require_http_methods(["GET"])
@role_required(Role.TRAINING_CENTRE)
def space(request: HttpRequest) -> HttpResponse:
    trainings = list(training_list_for_user(user=request.user))
    sessions = training_sessions_summary(trainings=trainings, today=timezone.localdate())
    for training in trainings:
        training.upcoming_sessions = sessions.get(training.pk, [])
    centres = TrainingCentre.objects.visible_to(request.user).select_related("commune").order_by("name")
    return render(request, "trainings/space.html", {"centres": centres, "trainings": trainings})


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINING_CENTRE)
def training_places(request: HttpRequest, pk: int) -> HttpResponse:
    training = training_get_for_user(user=request.user, pk=pk)
    if training is None:
        raise Http404("Formation introuvable.")
    action = request.POST.get("action", "")
    places_form = PlacesForm(
        request.POST if action == "places" else None,
        initial={"total_places": training.total_places, "remaining_places": training.remaining_places},
    )
    session_form = SessionForm(request.POST if action == "session" else None, prefix="session")
    if action == "places" and places_form.is_valid():
        try:
            training_update(
                training=training,
                by=request.user,
                total_places=places_form.cleaned_data["total_places"],
                remaining_places=places_form.cleaned_data["remaining_places"],
            )
        except TrainingError as error:
            places_form.add_error(error.field if error.field in places_form.fields else None, str(error))
        else:
            messages.success(request, "Les places de la formation sont enregistrées.")
            return redirect("trainings:places", pk=training.pk)
    if action == "session" and session_form.is_valid():
        try:
            training_session_add(training=training, by=request.user, **session_form.cleaned_data)
        except TrainingError as error:
            session_form.add_error(error.field if error.field in session_form.fields else None, str(error))
        else:
            messages.success(request, "La session est ajoutée.")
            return redirect("trainings:places", pk=training.pk)
    if places_form.errors or session_form.errors:
        training.refresh_from_db()
    return render(
        request,
        "trainings/training_places.html",
        {"training": training, "places_form": places_form, "session_form": session_form},
    )
