"""Young people's forms (profile, application) and the employer's answer to an application.

Forms parse and explain; the rules (age, radius 1-200 km, workflow) are in candidates.services, whose errors
name the field they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms

from guichet.accounts.fields import CommuneField
from guichet.candidates.enums import EMPLOYER_REFUSAL_REASONS, ApplicationStatus, RefusalReason
from guichet.jobs.models import RomeJob
from guichet.offers.forms import DiplomaLevelChoiceField, RomeJobField

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
WISHED_JOB_FIELDS = ("wished_job_1", "wished_job_2", "wished_job_3")
MAX_MESSAGE_LENGTH = 5000


def _date_field(**kwargs: Any) -> forms.DateField:
    kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
    kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return forms.DateField(**kwargs)


class ProfileForm(forms.Form):
    birth_date = _date_field(
        label="Date de naissance",
        help_text="Elle fixe votre salaire minimum d'apprenti et les aides possibles. Exemple : 12/05/2007.",
        error_messages={
            "required": "Saisissez votre date de naissance, par exemple 12/05/2007.",
            "invalid": "Saisissez une date valide, par exemple 12/05/2007.",
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    commune = CommuneField(
        label="Commune où vous habitez",
        help_text=(
            "Pour calculer la distance jusqu'aux employeurs et aux centres de formation. "
            "Tapez son nom ou son code postal."
        ),
    )
    mobility_radius_km = forms.IntegerField(
        label="Jusqu'où pouvez-vous aller chaque jour (en km) ?",
        help_text="De 1 à 200 km autour de chez vous.",
        initial=20,
        error_messages={
            "required": "Saisissez une distance en kilomètres, de 1 à 200.",
            "invalid": "Saisissez un nombre entier de kilomètres, de 1 à 200.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    driving_licence = forms.BooleanField(label="J'ai le permis B", required=False)
    current_level = DiplomaLevelChoiceField(
        label="Votre plus haut diplôme obtenu",
        empty_label="Aucun diplôme ou moins qu'un CAP",
        required=False,
        help_text="Niveau 3 : CAP ; 4 : baccalauréat ; 5 : BTS ; 6 : licence ; 7 : master.",
    )
    wished_job_1 = RomeJobField(label="Métier souhaité", required=False)
    wished_job_2 = RomeJobField(label="Autre métier souhaité", required=False)
    wished_job_3 = RomeJobField(label="Troisième métier souhaité", required=False)
    wished_level = DiplomaLevelChoiceField(
        label="Niveau du diplôme que vous voulez préparer",
        empty_label="Je ne sais pas encore",
        required=False,
    )
    available_from = _date_field(
        label="Disponible à partir du",
        required=False,
        help_text="La date à laquelle vous pouvez commencer un contrat. Exemple : 01/09/2027.",
        error_messages={"invalid": "Saisissez une date valide, par exemple 01/09/2027."},
    )
    rqth = forms.BooleanField(
        label="J'ai une reconnaissance de la qualité de travailleur handicapé (RQTH)",
        required=False,
        help_text=(
            "Facultatif. La RQTH ouvre des aménagements et des aides (pas de limite d'âge pour l'apprentissage, "
            "aides de l'Agefiph). Elle n'est jamais montrée aux employeurs et n'entre pas dans le classement "
            "des offres."
        ),
    )
    visible_to_employers = forms.BooleanField(
        label="J'accepte que les employeurs voient mon profil et me proposent leurs offres",
        required=False,
        help_text=(
            "Ils verront votre commune, la distance, vos niveaux, vos métiers souhaités, votre disponibilité et si "
            "vous avez le permis ; jamais votre nom, vos coordonnées, votre âge ni votre RQTH. Vous pouvez décocher "
            "à tout moment."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "wished_job_1"
        ].help_text = "Jusqu'à trois métiers. Tapez au moins deux lettres, par exemple «\u00a0aide-soignant\u00a0»."

    def wished_jobs(self) -> list[RomeJob]:
        jobs: list[RomeJob] = []
        for name in WISHED_JOB_FIELDS:
            job = self.cleaned_data.get(name)
            if job is not None and job not in jobs:
                jobs.append(job)
        return jobs


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label="Votre message à l'employeur",
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        help_text=(
            "Quelques lignes : pourquoi ce métier, vos disponibilités, comment vous joindre. 5 000 caractères au plus."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Votre message doit faire 5 000 caractères au plus : raccourcissez-le."},
    )


EMPLOYER_TARGETS = (
    ApplicationStatus.SEEN,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.REFUSED,
)


class StatusForm(forms.Form):
    """The employer's answer: the statuses offered are those the workflow allows now."""

    to_status = forms.ChoiceField(
        label="Nouveau statut",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le nouveau statut de la candidature.",
            "invalid_choice": "Ce statut n'est pas possible pour cette candidature : choisissez-en un dans la liste.",
        },
    )
    reason = forms.ChoiceField(
        label="Motif du refus",
        required=False,
        choices=[("", "Choisissez un motif")]
        + [(reason.value, reason.label) for reason in RefusalReason if reason in EMPLOYER_REFUSAL_REASONS],
        help_text="Obligatoire pour un refus : il est communiqué au candidat pour l'aider à rebondir.",
        error_messages={"invalid_choice": "Choisissez un motif dans la liste."},
    )
    note = forms.CharField(
        label="Message au candidat",
        required=False,
        max_length=500,
        help_text="Facultatif : une date d'entretien, un conseil. 500 caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "500 caractères au plus : raccourcissez le message."},
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status.value, status.label) for status in ApplicationStatus if status in allowed
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("to_status") == ApplicationStatus.REFUSED and not cleaned.get("reason"):
            self.add_error("reason", "Choisissez le motif du refus : il est communiqué au candidat.")
        if cleaned.get("to_status") not in (ApplicationStatus.REFUSED, None):
            cleaned["reason"] = ""
        return cleaned
