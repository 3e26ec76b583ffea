"""Employer sign-up: one person creates their account and registers the establishment (SIRET) they act for.

Form, service and view live together here while the employers app has no other pages; they move to
forms.py / services.py / views.py when it grows.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.accounts.fields import CommuneField
from guichet.accounts.forms import AccountFieldsForm
from guichet.accounts.models import Role, User
from guichet.accounts.services import AccountError, user_create
from guichet.employers.enums import HeadcountBand, NafLevel
from guichet.employers.models import Company, Establishment, EstablishmentMembership, NafActivity
from guichet.employers.validators import validate_siret
from guichet.territory.models import Commune

SIRET_TAKEN_MESSAGE = (
    "Cet établissement est déjà inscrit sur le guichet. Demandez à la personne qui l'a inscrit de vous "
    "ajouter, ou contactez-nous."
)
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")
_NAF = re.compile(r"^(\d{2})(\d{2})([A-Z])$")


class EmployerSignupError(Exception):
    """A sign-up refused for a reason the person can fix; `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def siret_normalize(value: str) -> str:
    """Drop the spaces, dots and dashes people copy with a SIRET ("123 456 789 00012")."""
    return _SEPARATORS.sub("", value or "")


def naf_normalize(value: str) -> str:
    """ "5610a", "56.10 A", "56 10A" -> "56.10A" (the form stored in NafActivity); unchanged when not a code."""
    compact = _SEPARATORS.sub("", value or "").upper()
    match = _NAF.match(compact)
    return f"{match[1]}.{match[2]}{match[3]}" if match else compact


class EmployerSignupForm(AccountFieldsForm):
    field_order = [
        "email",
        "password1",
        "password2",
        "first_name",
        "last_name",
        "siret",
        "company_name",
        "naf",
        "headcount_band",
        "commune",
        "accept_terms",
    ]

    siret = forms.CharField(
        label="Numéro SIRET de l'établissement",
        help_text=(
            "14 chiffres, les espaces sont acceptés. Il figure sur vos fiches de paie et sur "
            "l'avis de situation Insee de l'établissement."
        ),
        max_length=40,
        error_messages={"required": "Saisissez le numéro SIRET de l'établissement (14 chiffres)."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    company_name = forms.CharField(
        label="Nom de l'entreprise",
        help_text="Raison sociale ou nom commercial, tel que vos futurs apprentis le connaîtront.",
        max_length=255,
        error_messages={"required": "Saisissez le nom de l'entreprise."},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    naf = forms.CharField(
        label="Code d'activité principale (NAF ou APE)",
        help_text="4 chiffres et une lettre, par exemple 56.10A. Il figure sur l'avis de situation Insee.",
        max_length=10,
        error_messages={"required": "Saisissez le code d'activité (NAF ou APE), par exemple 56.10A."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    headcount_band = forms.ChoiceField(
        label="Nombre de salariés de l'établissement",
        choices=[("", "Choisissez une tranche"), *HeadcountBand.choices],
        error_messages={
            "required": "Choisissez la tranche du nombre de salariés de l'établissement.",
            "invalid_choice": "Choisissez une tranche dans la liste.",
        },
    )
    commune = CommuneField(label="Commune de l'établissement")

    def clean_siret(self) -> str:
        siret = siret_normalize(self.cleaned_data["siret"])
        if not siret.isdigit():
            raise ValidationError(
                "Le numéro SIRET ne contient que des chiffres : retirez les lettres et les autres signes.",
                code="siret_digits",
            )
        if len(siret) != 14:
            raise ValidationError(
                "Le numéro SIRET doit comporter 14 chiffres ; vous en avez saisi %(count)s.",
                code="siret_length",
                params={"count": len(siret)},
            )
        validate_siret(siret)
        if Establishment.objects.filter(siret=siret).exists():
            raise ValidationError(SIRET_TAKEN_MESSAGE, code="siret_taken")
        return siret

    def clean_naf(self) -> NafActivity:
        code = naf_normalize(self.cleaned_data["naf"])
        naf = NafActivity.objects.filter(code=code, level=NafLevel.SUBCLASS).first()
        if naf is None:
            raise ValidationError(
                "Le code «\u00a0%(code)s\u00a0» n'est pas un code d'activité NAF : "
                "vérifiez-le sur l'avis de situation Insee (4 chiffres et une lettre, par exemple 56.10A).",
                code="naf_unknown",
                params={"code": self.cleaned_data["naf"].strip()},
            )
        return naf


@transaction.atomic
def employer_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    siret: str,
    company_name: str,
    naf: NafActivity,
    headcount_band: str,
    commune: Commune,
) -> EstablishmentMembership:
    """Create the employer's account, its company (SIREN) if new, the establishment and the link, all or nothing."""
    validate_siret(siret)
    if Establishment.objects.filter(siret=siret).exists():
        raise EmployerSignupError(SIRET_TAKEN_MESSAGE, field="siret")
    try:
        user = user_create(
            email=email, password=password, first_name=first_name, last_name=last_name, role=Role.EMPLOYER
        )
    except AccountError as error:
        raise EmployerSignupError(str(error), field="email") from error
    company_name = company_name.strip()
    company, _ = Company.objects.get_or_create(siren=siret[:9], defaults={"name": company_name})
    try:
        with transaction.atomic():
            establishment = Establishment.objects.create(
                siret=siret,
                company=company,
                name=company_name,
                naf=naf,
                headcount_band=headcount_band,
                commune=commune,
            )
    except IntegrityError as error:  # the same SIRET registered by someone else a moment ago
        raise EmployerSignupError(SIRET_TAKEN_MESSAGE, field="siret") from error
    return EstablishmentMembership.objects.create(user=user, establishment=establishment)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = EmployerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            membership = employer_signup(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                siret=data["siret"],
                company_name=data["company_name"],
                naf=data["naf"],
                headcount_band=data["headcount_band"],
                commune=data["commune"],
            )
        except EmployerSignupError as error:
            form.add_error(error.field, str(error))
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            user: User = membership.user
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Votre compte est créé et l'établissement {membership.establishment.name} est inscrit.",
            )
            return redirect("accounts:profile")
    return render(request, "employers/signup.html", {"form": form})
