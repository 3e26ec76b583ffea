"""Forms of the support app: the question form, replies, closing with a rating, the guide, page editing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from guichet.accounts.fields import CommuneField
from guichet.support.attachments import MAX_FILES, AttachmentRefused, check_attachment
from guichet.support.enums import Audience, CompanySize, ContactPreference, RequesterProfile, Situation, Topic
from guichet.support.guide import DATE_RANGE_MESSAGE, date_in_range
from guichet.support.services import MESSAGE_MAX_LENGTH
from guichet.support.spam import HONEYPOT_FIELD

FILES_HINT = f"Facultatif. {MAX_FILES} fichiers au plus, PDF, PNG ou JPEG, 5 Mo au maximum chacun."
MESSAGE_REQUIRED = "Écrivez votre message : il est vide."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files, each checked by its content (magic bytes), not by its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(files) > MAX_FILES:
            raise ValidationError(f"Joignez {MAX_FILES} fichiers au plus : vous en avez choisi {len(files)}.")
        errors = []
        for upload in files:
            upload.seek(0)
            content = upload.read() if upload.size <= 6 * 1024 * 1024 else upload.read(16)
            upload.seek(0)
            try:
                check_attachment(name=upload.name, size=upload.size, head=content[:16], content=content)
            except AttachmentRefused as error:
                errors.append(str(error))
        if errors:
            errors.append("Choisissez à nouveau les fichiers à joindre : par sécurité, ils ne sont pas conservés.")
            raise ValidationError(errors)
        return files


def message_field(label: str = "Votre message", hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint or f"Décrivez votre situation et votre question. {MESSAGE_MAX_LENGTH} caractères au maximum.",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": MESSAGE_REQUIRED,
            "max_length": f"Votre message dépasse {MESSAGE_MAX_LENGTH} caractères : raccourcissez-le.",
        },
    )


class RequestForm(forms.Form):
    summary_labels = {HONEYPOT_FIELD: "Ne pas remplir"}

    profile = forms.ChoiceField(
        label="Vous êtes",
        choices=RequesterProfile.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez qui vous êtes : jeune, parent, employeur, CFA ou autre."},
    )
    topic = forms.ChoiceField(
        label="Le thème de votre question",
        choices=[("", "Choisissez un thème"), *Topic.choices],
        help_text="Il nous permet de transmettre votre question au bon conseiller.",
        error_messages={"required": "Choisissez le thème de votre question dans la liste."},
    )
    commune = CommuneField(
        label="Votre commune",
        help_text="Celle où vous habitez, ou celle de l'entreprise. Exemple : « Saint-Quentin » ou « 02100 ».",
    )
    message = message_field()
    attachments = AttachmentsField(label="Pièces jointes", help_text=FILES_HINT)
    name = forms.CharField(
        label="Votre nom",
        max_length=150,
        help_text="Prénom et nom, pour que le conseiller sache à qui il répond.",
        error_messages={"required": "Indiquez votre nom.", "max_length": "150 caractères au maximum."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Nous y envoyons la référence de votre demande et la réponse. Exemple : prenom.nom@exemple.fr",
        error_messages={
            "required": "Indiquez votre adresse e-mail pour recevoir la réponse.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    contact_preference = forms.ChoiceField(
        label="Comment préférez-vous être recontacté ?",
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez par e-mail ou par téléphone."},
    )
    phone = forms.RegexField(
        label="Votre numéro de téléphone",
        regex=r"^\+?[0-9 .()-]{10,20}$",
        required=False,
        help_text="Seulement si vous préférez être appelé. Exemple : 06 12 34 56 78",
        error_messages={"invalid": "Saisissez un numéro de téléphone à 10 chiffres, par exemple 06 12 34 56 78."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    # Spam guard: a field people never see (hidden by the visually-hidden class and aria-hidden) and the
    # signed time the form was shown.
    site_web = forms.CharField(label="Ne pas remplir", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("contact_preference") == ContactPreference.PHONE and not cleaned.get("phone"):
            self.add_error("phone", "Indiquez votre numéro de téléphone, ou choisissez d'être recontacté par e-mail.")
        message = (cleaned.get("message") or "").strip()
        if "message" in cleaned and not message:
            self.add_error("message", MESSAGE_REQUIRED)
        return cleaned


class ReplyForm(forms.Form):
    message = message_field("Votre réponse", hint=f"{MESSAGE_MAX_LENGTH} caractères au maximum.")
    attachments = AttachmentsField(label="Pièces jointes", help_text=FILES_HINT)


class AdvisorReplyForm(ReplyForm):
    ask_requester = forms.BooleanField(
        label="J'attends une réponse ou un document du demandeur",
        required=False,
        help_text="Cochez si votre message pose une question : la demande passe « en attente du demandeur ».",
    )


class CloseForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Êtes-vous satisfait de la réponse ?",
        choices=[("5", "5 – Très satisfait"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1 – Pas du tout satisfait")],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text="Facultatif. Votre note nous aide à améliorer le service.",
    )
    comment = forms.CharField(
        label="Un commentaire ?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "2 000 caractères au maximum."},
    )


LEVEL_CHOICES = [
    ("", "Aucun diplôme pour l'instant"),
    ("3", "Niveau 3 : CAP, BEP"),
    ("4", "Niveau 4 : baccalauréat, BP"),
    ("5", "Niveau 5 : bac+2 (BTS...)"),
    ("6", "Niveau 6 : bac+3 ou bac+4 (licence, BUT...)"),
    ("7", "Niveau 7 : bac+5 (master, ingénieur)"),
]


class GuideForm(forms.Form):
    situation = forms.ChoiceField(
        label="Votre situation",
        choices=Situation.choices,
        initial=Situation.LOOKING_BOTH,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre situation."},
    )
    age = forms.IntegerField(
        label="Votre âge",
        min_value=14,
        max_value=70,
        required=False,
        help_text="En années. Laissez vide si vous êtes employeur.",
        error_messages={
            "invalid": "Saisissez votre âge en chiffres, par exemple 17.",
            "min_value": "Saisissez un âge de 14 ans ou plus.",
            "max_value": "Saisissez un âge de 70 ans ou moins.",
        },
    )
    level = forms.TypedChoiceField(
        label="Votre dernier diplôme obtenu",
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    training_start = forms.DateField(
        label="Date de début de la formation",
        required=False,
        help_text="Si vous la connaissez. Exemple : 01/09/2027",
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 01/09/2027."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contract_start = forms.DateField(
        label="Date de début du contrat",
        required=False,
        help_text="Si elle est déjà fixée. Exemple : 07/09/2027",
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 07/09/2027."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    commune = CommuneField(label="Votre commune", required=False)
    disability = forms.BooleanField(
        label="J'ai une reconnaissance de la qualité de travailleur handicapé (RQTH), ou je la demande",
        required=False,
    )
    company_size = forms.ChoiceField(
        label="Taille de l'entreprise (employeurs)",
        choices=[("", "Je ne suis pas employeur"), *CompanySize.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training_start"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["contract_start"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_training_start(self) -> date | None:
        return _guide_date(self.cleaned_data.get("training_start"))

    def clean_contract_start(self) -> date | None:
        return _guide_date(self.cleaned_data.get("contract_start"))


def _guide_date(value: date | None) -> date | None:
    if value is not None and not date_in_range(value):
        raise forms.ValidationError(DATE_RANGE_MESSAGE)
    return value


class PageEditForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200, error_messages={"required": "Donnez un titre à la page."})
    summary = forms.CharField(
        label="Résumé",
        max_length=400,
        help_text="Une ou deux phrases, affichées dans les listes et les résultats de recherche.",
        error_messages={"required": "Écrivez un résumé.", "max_length": "400 caractères au maximum."},
    )
    body = forms.CharField(
        label="Contenu (Markdown)",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Titres avec ##, listes avec -, liens avec [texte](adresse). Le HTML et les scripts sont retirés.",
        error_messages={"required": "Écrivez le contenu de la page."},
    )
    sources = forms.CharField(
        label="Sources",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une par ligne : article de loi, décret, page officielle.",
        error_messages={"required": "Citez au moins une source."},
    )
    audiences = forms.MultipleChoiceField(
        label="Publics",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un public."},
    )
    note = forms.CharField(
        label="Nature de la modification",
        max_length=300,
        help_text="Exemple : montants 2027 de l'aide à l'embauche.",
        error_messages={"required": "Dites en quelques mots ce que vous avez changé."},
    )


class ReviewForm(forms.Form):
    next_review_on = forms.DateField(
        label="Prochaine vérification",
        help_text="Exemple : 05/01/2027",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de la prochaine vérification.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher dans les pages d'information", required=False, max_length=200)
    audience = forms.ChoiceField(label="Public", choices=[("", "Tous"), *Audience.choices], required=False)
