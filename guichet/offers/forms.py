"""Offer forms: the job autocomplete field (shared by the search and the profile) and the employer's offer form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from guichet.accounts.fields import ComboboxWidget, CommuneField
from guichet.employers.models import Establishment
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.jobs.selectors import CODE, EXACT, job_get, job_search
from guichet.trainings.models import TrainingCentre


def job_label(job: RomeJob) -> str:
    """ "Aide-soignant / Aide-soignante (J1501)": what the job suggestions put in the field."""
    return f"{job.title} ({job.code})"


class RomeJobField(forms.Field):
    """A ROME job chosen in the job combobox (code) or typed (resolved on the server, for pages without JavaScript)."""

    default_error_messages = {
        "required": "Saisissez un métier, par exemple «\u00a0aide-soignant\u00a0», puis choisissez-le dans la liste.",
        "unknown_code": (
            "Le code ROME «\u00a0%(code)s\u00a0» n'existe pas. Saisissez le nom du métier et choisissez-le "
            "dans la liste."
        ),
        "not_found": (
            "Aucun métier ne correspond à «\u00a0%(text)s\u00a0». Essayez un autre mot, par exemple "
            "«\u00a0boulanger\u00a0» ou «\u00a0aide-soignant\u00a0»."
        ),
        "ambiguous": (
            "Plusieurs métiers correspondent à «\u00a0%(text)s\u00a0» (%(examples)s) : choisissez-en un dans la "
            "liste ou précisez."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Métier")
        kwargs.setdefault(
            "help_text",
            "Tapez au moins deux lettres d'un métier ou son code ROME, par exemple «\u00a0aide-soignant\u00a0».",
        )
        kwargs.setdefault("widget", ComboboxWidget(template_name="components/job_combobox.html"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, RomeJob):
            return (value.code, job_label(value))
        if isinstance(value, str) and value:
            job = job_get(code=value)
            return (job.code, job_label(job)) if job else ("", value)
        return value

    def to_python(self, value: Any) -> RomeJob | None:
        code, text = value if isinstance(value, (tuple, list)) else ("", value or "")
        code, text = str(code).strip(), str(text).strip()
        if code:
            job = job_get(code=code)
            if job is None:
                raise ValidationError(self.error_messages["unknown_code"], code="unknown_code", params={"code": code})
            # A label edited after choosing (JavaScript half loaded): trust the text, not the stale code.
            if not text or text == job_label(job):
                return job
        if not text:
            return None
        result = job_search(q=text, limit=5)
        if not result.items:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params={"text": text})
        first = result.items[0]
        clear_winner = first.rank in (CODE, EXACT) and (len(result.items) == 1 or result.items[1].rank > first.rank)
        if result.count == 1 or clear_winner:
            return RomeJob.objects.get(code=first.code)
        examples = ", ".join(f"{item.title} ({item.code})" for item in result.items[:3])
        raise ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"text": text, "examples": examples}
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_code = self.prepare_value(initial)[0] if initial else ""
        data_code = data[0] if isinstance(data, (tuple, list)) else ""
        return initial_code != data_code


def level_choices(*, empty_label: str) -> list[tuple[str, str]]:
    return [("", empty_label)] + [
        (str(level.level), f"Niveau {level.level} ({level.examples})" if level.examples else f"Niveau {level.level}")
        for level in DiplomaLevel.objects.filter(level__lte=7).order_by("level")
    ]


class DiplomaLevelChoiceField(forms.TypedChoiceField):
    """A diploma level 3-7 as a select; cleans to a DiplomaLevel."""

    def __init__(self, *, empty_label: str = "Choisissez un niveau", **kwargs: Any) -> None:
        self.empty_label = empty_label
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choisissez un niveau de diplôme dans la liste.",
                "invalid_choice": "Choisissez un niveau de diplôme dans la liste (de 3 à 7).",
            },
        )
        super().__init__(choices=lambda: level_choices(empty_label=self.empty_label), **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return str(value.level) if isinstance(value, DiplomaLevel) else value

    def clean(self, value: Any) -> DiplomaLevel | None:
        level = super().clean(value)
        return DiplomaLevel.objects.filter(level=level).first() if level is not None else None


class OfferForm(forms.Form):
    """What an employer (or a training centre for a partner company) writes in an offer.

    The form only parses; the rules (start date not past, 6-36 months, at least one position...) are checked by
    `offers.services.offer_create` / `offer_update`, whose `OfferError.field` puts the message next to the field.
    """

    establishment = forms.ModelChoiceField(
        label="Établissement qui recrute",
        queryset=Establishment.objects.none(),
        empty_label="Choisissez l'établissement",
        error_messages={
            "required": "Choisissez l'établissement qui recrute.",
            "invalid_choice": "Choisissez un établissement de la liste.",
        },
    )
    rome_job = RomeJobField(label="Métier")
    title = forms.CharField(
        label="Intitulé du poste",
        help_text="Tel que les jeunes le liront, par exemple «\u00a0Aide-soignant en apprentissage (H/F)\u00a0».",
        max_length=255,
        error_messages={"required": "Saisissez l'intitulé du poste.", "max_length": "255 caractères au maximum."},
    )
    commune = CommuneField(
        label="Commune du lieu de travail",
        required=False,
        help_text="Laissez vide si c'est la commune de l'établissement. Sinon, tapez son nom ou son code postal.",
    )
    target_level = DiplomaLevelChoiceField(
        label="Niveau du diplôme préparé",
        help_text="Niveau 3 : CAP ; 4 : baccalauréat professionnel ; 5 : BTS ; 6 : licence ; 7 : master.",
    )
    starts_on = forms.DateField(
        label="Date de début du contrat",
        help_text="Au format jj/mm/aaaa, par exemple 01/09/2027. Elle ne peut pas être déjà passée.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Saisissez la date de début du contrat.",
            "invalid": "Saisissez une date valide, par exemple 01/09/2027.",
        },
    )
    duration_months = forms.IntegerField(
        label="Durée du contrat (en mois)",
        help_text="De 6 à 36 mois, en général la durée de la formation.",
        error_messages={
            "required": "Saisissez la durée du contrat en mois (de 6 à 36).",
            "invalid": "Saisissez un nombre entier de mois, de 6 à 36.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    weekly_hours = forms.DecimalField(
        label="Durée de travail par semaine (en heures)",
        help_text="35 heures en général, temps en centre de formation compris.",
        max_digits=4,
        decimal_places=1,
        initial=35,
        error_messages={
            "required": "Saisissez la durée de travail par semaine, par exemple 35.",
            "invalid": "Saisissez un nombre d'heures, par exemple 35.",
            "max_decimal_places": "Une décimale au plus, par exemple 35,5.",
            "max_digits": "Saisissez un nombre d'heures, par exemple 35.",
        },
        localize=True,
    )
    positions = forms.IntegerField(
        label="Nombre de postes",
        help_text="Au moins 1 poste.",
        initial=1,
        error_messages={
            "required": "Saisissez le nombre de postes (au moins 1).",
            "invalid": "Saisissez un nombre entier de postes, au moins 1.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    driving_licence_required = forms.BooleanField(
        label="Le permis B est indispensable pour ce poste",
        help_text="Ne le cochez que si le poste ne peut pas se faire sans voiture : cela écarte beaucoup de jeunes.",
        required=False,
    )
    description = forms.CharField(
        label="Description du poste",
        help_text=(
            "Missions, horaires, ce que l'apprenti apprendra. "
            "Évitez tout critère discriminatoire (âge, sexe, origine...)."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "5 000 caractères au maximum."},
    )

    def __init__(
        self,
        *args: Any,
        establishments: QuerySet[Establishment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        if establishments.count() == 1 and not self.is_bound:
            self.initial.setdefault("establishment", establishments.first())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        establishment = cleaned.get("establishment")
        if establishment is not None and not cleaned.get("commune") and "commune" not in self.errors:
            cleaned["commune"] = establishment.commune
        return cleaned


class PartnerOfferForm(OfferForm):
    """An offer a training centre posts for a partner company already registered on the guichet."""

    field_order = ["centre", "partner_siret"]

    centre = forms.ModelChoiceField(
        label="Votre centre de formation",
        queryset=TrainingCentre.objects.none(),
        empty_label="Choisissez votre centre",
        error_messages={
            "required": "Choisissez le centre de formation qui dépose l'offre.",
            "invalid_choice": "Choisissez un centre de la liste.",
        },
    )
    partner_siret = forms.CharField(
        label="Numéro SIRET de l'entreprise partenaire",
        help_text="14 chiffres, les espaces sont acceptés. L'entreprise doit être inscrite sur le guichet.",
        max_length=40,
        error_messages={"required": "Saisissez le numéro SIRET de l'entreprise partenaire (14 chiffres)."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, centres: QuerySet[TrainingCentre], **kwargs: Any) -> None:
        super().__init__(*args, establishments=Establishment.objects.none(), **kwargs)
        del self.fields["establishment"]
        self.fields["centre"].queryset = centres
        if not self.is_bound and centres.count() == 1:
            self.initial.setdefault("centre", centres.first())
        self.order_fields(
            ["centre", "partner_siret", *[name for name in self.fields if name not in ("centre", "partner_siret")]]
        )

    def clean_partner_siret(self) -> str:
        siret = re.sub(r"[\s.\-\u00a0\u202f]+", "", self.cleaned_data["partner_siret"])
        if not siret.isdigit() or len(siret) != 14:
            raise ValidationError(
                "Le numéro SIRET compte 14 chiffres : vérifiez-le sur l'avis de situation Insee de l'entreprise.",
                code="siret_format",
            )
        establishment = Establishment.objects.filter(siret=siret).first()
        if establishment is None:
            raise ValidationError(
                "Aucune entreprise inscrite sur le guichet n'a ce SIRET. Demandez à votre partenaire de s'inscrire "
                "(page «\u00a0Inscrire votre entreprise\u00a0»), puis déposez l'offre.",
                code="siret_unknown",
            )
        self.cleaned_data["establishment"] = establishment
        return siret

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "partner_siret" in cleaned and "establishment" not in cleaned:
            cleaned["establishment"] = Establishment.objects.get(siret=cleaned["partner_siret"])
        establishment = cleaned.get("establishment")
        if establishment is not None and not cleaned.get("commune") and "commune" not in self.errors:
            cleaned["commune"] = establishment.commune
        return cleaned
