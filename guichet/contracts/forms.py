"""Contract-draft forms: one per side, holding only the fields that side fills in (contracts.drafts.SIDE_FIELDS)."""

from __future__ import annotations

from typing import Any

from django import forms

from guichet.contracts.drafts import APPRENTICE, APPRENTICE_FIELDS_WHY, REQUIRED, SIDE_FIELDS
from guichet.contracts.models import ContractDraft
from guichet.trainings.models import Training

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
HINTS = {
    "employer_siret": "14 chiffres : l'établissement où l'apprenti travaillera.",
    "employer_naf": "4 chiffres et une lettre, sans point, par exemple 8710A.",
    "employer_headcount": "Le nombre de salariés de l'entreprise (il change certaines aides et cotisations).",
    "employer_idcc": (
        "Facultatif : 4 chiffres, sur vos fiches de paie. Laissez vide si aucune convention ne s'applique."
    ),
    "master_birth_date": "Le maître d'apprentissage doit être majeur et justifier d'une expérience dans le métier.",
    "master_job_title": "Son emploi dans l'entreprise, par exemple «\u00a0Infirmier coordinateur\u00a0».",
    "cfa_uai": "8 caractères (7 chiffres et une lettre), communiqué par le CFA.",
    "training_starts_on": "Le premier jour de formation au centre de formation d'apprentis (CFA).",
    "training_ends_on": "Le dernier jour des épreuves ou examens.",
    "concluded_on": "Le jour de la signature du contrat ; au plus tard le jour du début du contrat.",
    "practical_starts_on": "Le premier jour de travail chez l'employeur (souvent le début du contrat).",
    "weekly_hours": "35 heures en général, temps en CFA compris.",
    "legal_representative": "Nom, prénom et adresse du parent ou tuteur.",
}


def draft_form_class(side: str) -> type[forms.ModelForm]:
    fields = SIDE_FIELDS[side]

    class DraftForm(forms.ModelForm):
        class Meta:
            model = ContractDraft
            fields = list(SIDE_FIELDS[side])

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in fields:
                field = self.fields[name]
                # What the official form needs is required here too, so the message sits next to the field.
                field.required = name in REQUIRED[side]
                if field.required:
                    label = str(field.label)
                    field.error_messages["required"] = f"Renseignez ce champ : {label[:1].lower()}{label[1:]}."
                field.label = str(field.label)[:1].upper() + str(field.label)[1:]
                hint = APPRENTICE_FIELDS_WHY.get(name) if side == APPRENTICE else HINTS.get(name)
                if hint:
                    field.help_text = hint
                if isinstance(field, forms.DateField):
                    field.input_formats = DATE_INPUT_FORMATS
                    field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                    field.error_messages["invalid"] = "Saisissez une date valide, par exemple 01/09/2027."
                elif isinstance(field, forms.IntegerField):
                    field.error_messages["invalid"] = "Saisissez un nombre entier."
                elif isinstance(field, forms.DecimalField):
                    field.localize = True
                    field.widget.is_localized = True
                    field.error_messages["invalid"] = "Saisissez un nombre, par exemple 35."
                elif isinstance(field, forms.EmailField):
                    field.error_messages["invalid"] = (
                        "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
                    )
                if isinstance(field, forms.CharField) and field.max_length:
                    field.error_messages["max_length"] = f"{field.max_length} caractères au plus."

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean()
            for name, value in list(cleaned.items()):
                if isinstance(value, str):
                    cleaned[name] = value.strip()
            for key in ("employer_siret", "cfa_siret"):
                value = cleaned.get(key, "")
                if value and (not value.isdigit() or len(value) != 14):
                    self.add_error(key, "Le numéro SIRET compte 14 chiffres, sans espace.")
            return cleaned

    return DraftForm


class StartDraftForm(forms.Form):
    training = forms.ModelChoiceField(
        label="Formation suivie par l'apprenti",
        queryset=Training.objects.none(),
        required=False,
        empty_label="Je la renseignerai moi-même",
        help_text="Les formations préparant ce métier, avec des places, à moins de 60 km du lieu de travail.",
        error_messages={"invalid_choice": "Choisissez une formation de la liste."},
    )

    def __init__(self, *args: Any, trainings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = trainings
        self.fields["training"].label_from_instance = lambda training: (
            f"{training.title} · {training.centre.display_name}, {training.commune.name} "
            f"({training.remaining_places} place{'s' if training.remaining_places > 1 else ''})"
        )
