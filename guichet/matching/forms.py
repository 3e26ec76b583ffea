"""The young people's search form (GET): job, commune, radius and filters. It only parses and checks the
input; ranking and explanations come from guichet.matching."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from guichet.accounts.fields import CommuneField
from guichet.offers.forms import DiplomaLevelChoiceField, RomeJobField

MIN_RADIUS_KM, MAX_RADIUS_KM, DEFAULT_RADIUS_KM = 1, 200, 30
RADIUS_MESSAGE = (
    "Le rayon doit être compris entre 1 et 200 km : saisissez un nombre de kilomètres dans cet intervalle."
)


class SearchForm(forms.Form):
    rome = RomeJobField(label="Métier")
    insee = CommuneField(label="Autour de la commune")
    radius_km = forms.IntegerField(
        label="Distance maximale (en km)",
        help_text="De 1 à 200 km autour de la commune.",
        initial=DEFAULT_RADIUS_KM,
        error_messages={
            "required": "Saisissez une distance en kilomètres, de 1 à 200.",
            "invalid": "Saisissez un nombre entier de kilomètres, de 1 à 200.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    level = DiplomaLevelChoiceField(label="Niveau du diplôme préparé", empty_label="Tous les niveaux", required=False)
    start_before = forms.DateField(
        label="Début du contrat au plus tard le",
        required=False,
        help_text="Facultatif. Exemple : 30/09/2027.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, par exemple 30/09/2027."},
    )
    no_licence = forms.BooleanField(
        label="Je n'ai pas le permis B : masquer les offres qui l'exigent",
        required=False,
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_radius_km(self) -> int:
        radius: int = self.cleaned_data["radius_km"]
        if not MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM:
            raise ValidationError(RADIUS_MESSAGE, code="radius")
        return radius

    def clean_start_before(self) -> date | None:
        start_before: date | None = self.cleaned_data.get("start_before")
        if start_before is not None and start_before < self.today:
            raise ValidationError(
                "Cette date est déjà passée : choisissez une date à partir d'aujourd'hui, ou laissez le champ vide.",
                code="past",
            )
        return start_before
