"""Training-centre forms: places of a training and its sessions (the rules are in trainings.services)."""

from __future__ import annotations

from django import forms

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(*, label: str, help_text: str, required_message: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required_message, "invalid": "Saisissez une date valide, par exemple 07/09/2027."},
    )


class PlacesForm(forms.Form):
    total_places = forms.IntegerField(
        label="Nombre de places de la formation",
        help_text="Toutes les places ouvertes pour la prochaine rentrée, de 0 à 1 000.",
        min_value=0,
        error_messages={
            "required": "Saisissez le nombre de places (0 ou plus).",
            "invalid": "Saisissez un nombre entier de places.",
            "min_value": "Le nombre de places ne peut pas être négatif.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    remaining_places = forms.IntegerField(
        label="Places encore libres",
        help_text="Les places que les jeunes peuvent encore prendre ; au plus le nombre de places.",
        min_value=0,
        error_messages={
            "required": "Saisissez le nombre de places encore libres (0 ou plus).",
            "invalid": "Saisissez un nombre entier de places.",
            "min_value": "Le nombre de places libres ne peut pas être négatif.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SessionForm(forms.Form):
    starts_on = date_field(
        label="Début de la session",
        help_text="Le jour de la rentrée, par exemple 07/09/2027.",
        required_message="Saisissez la date de début de la session.",
    )
    ends_on = date_field(
        label="Fin de la session",
        help_text="Le dernier jour de formation ou des examens.",
        required_message="Saisissez la date de fin de la session.",
    )
