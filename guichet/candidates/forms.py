"""Young people's forms (profile, application) and the employer's answer to an application.

Forms parse and explain; the rules (age, radius 1-200 km, workflow) are in candidates.services, whose errors
name the field they concern.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from guichet.accounts.fields import CommuneField
from guichet.candidates.enums import EMPLOYER_REFUSAL_REASONS, ApplicationStatus, EnrolmentStatus, RefusalReason
from guichet.jobs.models import RomeJob
from guichet.offers.forms import DiplomaLevelChoiceField, RomeJobField
from guichet.trainings.models import Training, TrainingSession

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


# --- Enrolments at a training centre --------------------------------------------------------------------------


class TrainingSearchForm(forms.Form):
    """The young person looks for the training they are enrolled in (GET, works without JavaScript)."""

    q = forms.CharField(
        label="Votre formation",
        max_length=100,
        help_text=(
            "Des mots de son intitulé, du nom du centre de formation ou de sa commune. Exemple : cap cuisine amiens."
        ),
        error_messages={
            "required": "Saisissez au moins un mot de l'intitulé de la formation, du centre ou de la commune.",
            "max_length": "100 caractères au plus : raccourcissez la recherche.",
        },
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if not any(len(word) >= 2 for word in query.split()):
            raise forms.ValidationError("Saisissez au moins un mot de deux lettres, par exemple « cuisine ».")
        return query


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TrainingSession) -> str:
        return f"Rentrée du {obj.starts_on:%d/%m/%Y} (jusqu'au {obj.ends_on:%d/%m/%Y})"


class EnrolmentDeclareForm(forms.Form):
    """The young person's "I am enrolled in this training and I am looking for an employer"."""

    training = forms.ModelChoiceField(
        queryset=Training.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choisissez la formation dans la liste.",
            "invalid_choice": "Cette formation n'existe plus : relancez la recherche.",
        },
    )
    session = SessionChoiceField(
        label="Votre rentrée",
        queryset=TrainingSession.objects.none(),
        required=False,
        empty_label="Je ne sais pas",
        error_messages={"invalid_choice": "Choisissez une rentrée de cette formation dans la liste."},
    )
    consent = forms.BooleanField(
        label="J'accepte que ce centre de formation voie cette inscription pour m'aider à trouver un employeur",
        help_text=(
            "Le centre verra votre prénom, l'initiale de votre nom, la formation, la rentrée et si vous cherchez "
            "un employeur. Vous pouvez retirer l'inscription à tout moment."
        ),
        error_messages={"required": "Cochez la case pour que le centre de formation puisse vous aider."},
    )

    def __init__(self, *args: Any, training: Training | None = None, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        training_id = training.pk if training is not None else self.data.get("training")
        sessions = TrainingSession.objects.filter(ends_on__gte=today).order_by("starts_on")
        if training_id and str(training_id).isdigit():
            sessions = sessions.filter(training_id=int(training_id))
        else:
            sessions = sessions.none()
        self.fields["session"].queryset = sessions
        if training is not None:
            self.fields["training"].initial = training.pk
            self.auto_id = f"id_{training.pk}_%s"


class EnrolmentInviteForm(forms.Form):
    """Centre staff declare a young person enrolled in one of their trainings (the young person confirms)."""

    email = forms.EmailField(
        label="Adresse e-mail du compte du jeune",
        help_text="Celle avec laquelle le jeune s'est inscrit sur le guichet. Exemple : camille@exemple.fr.",
        error_messages={
            "required": "Saisissez l'adresse e-mail du compte du jeune.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple camille@exemple.fr.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    training = forms.ModelChoiceField(
        label="Formation",
        queryset=Training.objects.none(),
        empty_label="Choisissez la formation",
        error_messages={
            "required": "Choisissez la formation dans laquelle le jeune est inscrit.",
            "invalid_choice": "Choisissez une formation de vos centres dans la liste.",
        },
    )
    session = SessionChoiceField(
        label="Rentrée",
        queryset=TrainingSession.objects.none(),
        required=False,
        empty_label="Non précisée",
        help_text="Une rentrée de la formation choisie.",
        error_messages={"invalid_choice": "Choisissez une rentrée dans la liste."},
    )

    def __init__(self, *args: Any, trainings: QuerySet[Training], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = trainings
        self.fields["training"].label_from_instance = lambda training: (
            f"{training.title} · {training.centre.display_name}"
        )
        sessions = TrainingSession.objects.filter(training__in=trainings, ends_on__gte=today).select_related(
            "training"
        )
        self.fields["session"].queryset = sessions.order_by("training__title", "starts_on")
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.training.title} : rentrée du {session.starts_on:%d/%m/%Y}"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        training, session = cleaned.get("training"), cleaned.get("session")
        if training is not None and session is not None and session.training_id != training.pk:
            self.add_error(
                "session", "Cette rentrée n'est pas celle de la formation choisie : choisissez-en une autre."
            )
        return cleaned


class EnrolmentStatusForm(forms.Form):
    """A new situation for an enrolment: the statuses offered are those allowed now, for this person."""

    to_status = forms.ChoiceField(
        label="Nouvelle situation",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la nouvelle situation.",
            "invalid_choice": "Cette situation n'est pas possible maintenant : choisissez-en une dans la liste.",
        },
    )
    on = _date_field(
        label="Depuis le",
        required=False,
        help_text="Par exemple la date de la rupture du contrat. Aujourd'hui si vous laissez vide.",
        error_messages={"invalid": "Saisissez une date valide, par exemple 02/11/2026."},
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status.value, ENROLMENT_ACTIONS[status]) for status in EnrolmentStatus if status in allowed
        ]


ENROLMENT_ACTIONS = {
    EnrolmentStatus.LOOKING: "Cherche un employeur",
    EnrolmentStatus.CONTRACT_SIGNED: "Un contrat d'apprentissage est signé",
    EnrolmentStatus.CONTRACT_BROKEN: "Le contrat a été rompu : la recherche d'un employeur reprend",
    EnrolmentStatus.WITHDRAWN: "Retirer l'inscription (le jeune quitte la formation ou n'a plus besoin d'aide)",
}
