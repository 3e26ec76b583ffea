"""Contract-draft pages, shared by the employer and the young person: start from an accepted application, fill in
one's own part, validate, export as PDF, and (employer) declare the contract signed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.models import Role
from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.models import Application
from guichet.contracts.drafts import (
    APPRENTICE,
    EMPLOYER,
    NOT_STORED,
    SECTIONS,
    field_label,
    missing_fields,
    pay_table,
)
from guichet.contracts.forms import StartDraftForm, draft_form_class
from guichet.contracts.models import ContractDraft
from guichet.contracts.pdf import contract_draft_pdf, display_value
from guichet.contracts.services import (
    ContractDraftError,
    contract_draft_create,
    contract_draft_sign,
    contract_draft_update,
    contract_draft_validate,
    draft_sides_for,
)
from guichet.employers.views import role_required
from guichet.territory.selectors import commune_ids_within
from guichet.trainings.models import Training
from guichet.trainings.selectors import training_list_with_places_near

TRAINING_REACH_KM = 60
TRAININGS_SHOWN = 30


def _application(request: HttpRequest, pk: int) -> tuple[Application, set[str]]:
    application = (
        Application.objects.visible_to(request.user)
        .select_related("offer__establishment", "offer__commune", "candidate__user")
        .filter(pk=pk)
        .first()
    )
    sides = draft_sides_for(application=application, user=request.user) if application else set()
    if application is None or not sides:
        raise Http404("Candidature introuvable.")
    return application, sides


@require_http_methods(["GET", "POST"])
@role_required(Role.YOUNG, Role.EMPLOYER, Role.TRAINING_CENTRE)
def for_application(request: HttpRequest, application_pk: int) -> HttpResponse:
    application, sides = _application(request, application_pk)
    existing = ContractDraft.objects.filter(application=application).first()
    if existing is not None:
        return redirect("contracts:draft", pk=existing.pk)
    offer = application.offer
    nearby = training_list_with_places_near(
        commune_ids=commune_ids_within(commune=offer.commune, radius_km=TRAINING_REACH_KM),
        rome_job_ids=[offer.rome_job_id],
    )
    ids = list(nearby.order_by("title", "pk").values_list("pk", flat=True)[:TRAININGS_SHOWN])
    trainings = Training.objects.filter(pk__in=ids).select_related("centre", "commune").order_by("title", "pk")
    form = StartDraftForm(request.POST or None, trainings=trainings)
    if EMPLOYER not in sides:
        del form.fields["training"]
    if request.method == "POST" and form.is_valid():
        try:
            draft = contract_draft_create(
                application=application, by=request.user, training=form.cleaned_data.get("training")
            )
        except ContractDraftError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le projet de contrat est prêt, pré-rempli avec l'offre et la candidature.")
            return redirect("contracts:draft", pk=draft.pk)
    return render(
        request,
        "contracts/start.html",
        {"application": application, "form": form, "accepted": application.status == ApplicationStatus.ACCEPTED},
    )


def _draft(request: HttpRequest, pk: int) -> tuple[ContractDraft, set[str]]:
    draft = (
        ContractDraft.objects.select_related(
            "application__offer__establishment", "application__candidate__user", "training"
        )
        .filter(pk=pk)
        .first()
    )
    sides = draft_sides_for(application=draft.application, user=request.user) if draft else set()
    if draft is None or not sides:
        raise Http404("Projet de contrat introuvable.")
    return draft, sides


@require_http_methods(["GET", "POST"])
@role_required(Role.YOUNG, Role.EMPLOYER, Role.TRAINING_CENTRE)
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft, sides = _draft(request, pk)
    # An administrator acts for both sides; everyone else for one.
    side = request.POST.get("side") or request.GET.get("partie") or (EMPLOYER if EMPLOYER in sides else APPRENTICE)
    if side not in sides:
        side = next(iter(sorted(sides)))
    action = request.POST.get("action", "")
    form = draft_form_class(side)(request.POST if action == "save" else None, instance=draft)
    if request.method == "POST":
        try:
            if action == "save":
                if form.is_valid():
                    values = {name: form.cleaned_data[name] for name in form.fields}
                    contract_draft_update(draft=draft, side=side, values=values, by=request.user)
                    messages.success(request, "Votre partie du contrat est enregistrée.")
                    return redirect("contracts:draft", pk=draft.pk)
            elif action == "validate":
                contract_draft_validate(draft=draft, side=side, by=request.user)
                messages.success(request, "Vous avez validé le projet de contrat.")
                return redirect("contracts:draft", pk=draft.pk)
            elif action == "sign":
                contract_draft_sign(draft=draft, by=request.user)
                messages.success(
                    request,
                    "Le contrat est déclaré signé. Les autres candidatures du jeune sont closes et le contrat est "
                    "compté, sans nom, dans le registre régional.",
                )
                return redirect("contracts:draft", pk=draft.pk)
        except ContractDraftError as error:
            if action == "save" and error.field in form.fields:
                form.add_error(error.field, str(error))
            else:
                messages.error(request, str(error))
                return redirect("contracts:draft", pk=draft.pk)
        draft.refresh_from_db()
    sections = [
        {
            "section": section,
            "rows": [
                (form[name] if name in form.fields else None, display_value(draft, name), field_label(name))
                for name in section.fields
            ],
            "editable": section.side == side and not draft.is_signed,
        }
        for section in SECTIONS
    ]
    return render(
        request,
        "contracts/draft.html",
        {
            "draft": draft,
            "side": side,
            "form": form,
            "sections": sections,
            "missing": missing_fields(draft=draft, side=side),
            "pay": pay_table(draft=draft),
            "not_stored": NOT_STORED,
            "my_validation": draft.employer_validated_at if side == EMPLOYER else draft.apprentice_validated_at,
        },
    )


@require_GET
@role_required(Role.YOUNG, Role.EMPLOYER, Role.TRAINING_CENTRE)
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    draft, _ = _draft(request, pk)
    response = HttpResponse(contract_draft_pdf(draft=draft), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="projet-contrat-apprentissage-{draft.pk}.pdf"'
    return response
