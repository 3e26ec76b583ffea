"""Pages of the regional aid applications: the employer applies and follows; the advisor instructs and decides."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.aids.forms import ApplicationForm, DocumentForm, GrantForm, NoteForm, RefuseForm
from guichet.aids.models import AidApplication, AidBudget, AidPayment, AidProgramme, ApplicationDocument
from guichet.aids.services import (
    ApplicationError,
    application_add_note,
    application_grant,
    application_refuse,
    application_request_document,
    application_submit,
    document_mark_received,
    payment_record,
)


def _is_advisor(user: Any) -> bool:
    return is_admin(user) or has_role(user, Role.ADVISOR)


def _require_advisor(request: HttpRequest) -> None:
    if not _is_advisor(request.user):
        raise PermissionDenied("Réservé aux conseillers de la Région.")


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not (_is_advisor(request.user) or has_role(request.user, Role.EMPLOYER)):
        raise PermissionDenied("Réservé aux employeurs et aux conseillers de la Région.")
    applications = AidApplication.objects.visible_to(request.user).select_related("programme", "contract")
    return render(
        request,
        "aids/application_list.html",
        {"applications": applications, "can_apply": has_role(request.user, Role.EMPLOYER)},
    )


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.EMPLOYER):
        raise PermissionDenied("Seul un employeur peut demander une aide pour ses contrats.")
    from guichet.contracts.models import Contract

    today = timezone.localdate()
    programmes = (
        AidProgramme.objects.filter(accepts_applications=True, scope="regional", rules__concluded_from__lte=today)
        .filter(Q(rules__concluded_to__isnull=True) | Q(rules__concluded_to__gte=today))
        .distinct()
    )
    contracts = Contract.objects.filter(establishment__memberships__user=request.user).distinct()
    initial = {"contract": request.GET.get("contrat")} if request.GET.get("contrat", "").isdigit() else {}
    form = ApplicationForm(request.POST or None, programmes=programmes, contracts=contracts, initial=initial)
    if request.method == "POST" and form.is_valid():
        contract = form.cleaned_data["contract"]
        try:
            application = application_submit(
                programme=form.cleaned_data["programme"],
                contract=contract,
                establishment=contract.establishment,
                by=request.user,
                birth_date=form.cleaned_data["birth_date"],
                rqth=form.cleaned_data["rqth"],
                headcount=form.cleaned_data["headcount"],
                today=today,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Votre demande est déposée. Le pré-contrôle automatique est affiché ci-dessous.")
            return redirect("aids:application", pk=application.pk)
    return render(request, "aids/application_form.html", {"form": form, "has_programmes": programmes.exists()})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        AidApplication.objects.visible_to(request.user).select_related("programme", "contract", "budget"), pk=pk
    )
    advisor = _is_advisor(request.user)
    return render(
        request,
        "aids/application_detail.html",
        {
            "application": application,
            "advisor": advisor,
            "open": application.status in ("submitted", "instructing"),
            "grant_form": GrantForm(initial={"amount": application.requested_amount or None}),
            "refuse_form": RefuseForm(),
            "document_form": DocumentForm(),
            "note_form": NoteForm(),
            "events": application.events.select_related("actor") if advisor else [],
        },
    )


def _advisor_application(request: HttpRequest, pk: int) -> AidApplication:
    _require_advisor(request)
    return get_object_or_404(AidApplication.objects.visible_to(request.user), pk=pk)


def _act(
    request: HttpRequest, application: AidApplication, form_class: type, action: Any, success: str
) -> HttpResponse:
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("aids:application", pk=application.pk)
    try:
        action(**form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("aids:application", pk=application.pk)


@require_POST
@login_required
def application_document(request: HttpRequest, pk: int) -> HttpResponse:
    application = _advisor_application(request, pk)
    return _act(
        request,
        application,
        DocumentForm,
        lambda label: application_request_document(application=application, label=label, by=request.user),
        "Pièce demandée à l'employeur.",
    )


@require_POST
@login_required
def document_received(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _advisor_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    try:
        document_mark_received(document=document, by=request.user)
        messages.success(request, "Pièce marquée comme reçue.")
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("aids:application", pk=pk)


@require_POST
@login_required
def application_note(request: HttpRequest, pk: int) -> HttpResponse:
    application = _advisor_application(request, pk)
    return _act(
        request,
        application,
        NoteForm,
        lambda text: application_add_note(application=application, text=text, by=request.user),
        "Note enregistrée.",
    )


@require_POST
@login_required
def application_grant_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _advisor_application(request, pk)
    return _act(
        request,
        application,
        GrantForm,
        lambda amount: application_grant(
            application=application, amount=amount, by=request.user, today=timezone.localdate()
        ),
        "Aide accordée : le budget est engagé et l'échéancier est créé.",
    )


@require_POST
@login_required
def application_refuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _advisor_application(request, pk)
    return _act(
        request,
        application,
        RefuseForm,
        lambda reason: application_refuse(
            application=application, reason=reason, by=request.user, today=timezone.localdate()
        ),
        "Refus enregistré ; le courrier est prêt.",
    )


@require_POST
@login_required
def payment_pay(request: HttpRequest, pk: int) -> HttpResponse:
    _require_advisor(request)
    payment = get_object_or_404(
        AidPayment.objects.filter(application__in=AidApplication.objects.visible_to(request.user)), pk=pk
    )
    try:
        payment_record(payment=payment, by=request.user, paid_on=timezone.localdate())
        messages.success(request, "Versement enregistré.")
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("aids:application", pk=payment.application_id)


@login_required
def application_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(AidApplication.objects.visible_to(request.user), pk=pk)
    if not application.letter:
        raise PermissionDenied("Le courrier est disponible après la décision.")
    return render(request, "aids/application_letter.html", {"application": application})


@login_required
def instruction_queue(request: HttpRequest) -> HttpResponse:
    _require_advisor(request)
    applications = (
        AidApplication.objects.visible_to(request.user)
        .filter(status__in=("submitted", "instructing"))
        .select_related("programme", "contract", "establishment")
        .annotate(waiting=Count("documents", filter=Q(documents__status="requested")))
        .order_by("instruction_deadline", "pk")
    )
    return render(
        request, "aids/instruction_queue.html", {"applications": applications, "today": timezone.localdate()}
    )


@login_required
def budget_dashboard(request: HttpRequest) -> HttpResponse:
    _require_advisor(request)
    budgets = AidBudget.objects.select_related("programme").annotate(
        granted=Count("applications", filter=Q(applications__status="granted"))
    )
    return render(request, "aids/budget_dashboard.html", {"budgets": budgets})


@login_required
def payment_export(request: HttpRequest) -> HttpResponse:
    """Payments due and made, as CSV for the paying agency (semicolon, UTF-8 with BOM for spreadsheets)."""
    _require_advisor(request)
    payments = AidPayment.objects.filter(
        application__in=AidApplication.objects.visible_to(request.user)
    ).select_related("application__programme", "application__establishment", "application__contract")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="versements-aides.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["aide", "siret", "employeur", "contrat", "echeance", "montant", "paye_le", "version_regles"])
    for payment in payments:
        application = payment.application
        establishment, contract = application.establishment, application.contract
        writer.writerow(
            [
                application.programme.code,
                establishment.siret if establishment else "",
                establishment.name if establishment else "",
                contract.contract_number if contract else "",
                payment.due_on.isoformat(),
                f"{payment.amount:.2f}",
                payment.paid_on.isoformat() if payment.paid_on else "",
                application.decision_rules_version,
            ]
        )
    return response
