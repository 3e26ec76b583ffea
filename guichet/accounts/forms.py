"""Account forms: sign-up fields shared by every kind of account, login, password reset, profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template import loader

from guichet.accounts.models import User
from guichet.accounts.services import DUPLICATE_EMAIL_MESSAGE, email_is_taken, email_normalize
from guichet.accounts.tasks import email_enqueue
from guichet.accounts.throttling import (
    locked_message,
    login_failure_record,
    login_success_record,
    login_wait_seconds,
    reset_mail_allowed,
)
from guichet.core.audit import audit_record, client_ip

EMAIL_INVALID = "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
PASSWORD_HINT = (
    "12 caractères au minimum. Choisissez une phrase facile à retenir pour vous, "
    "sans rapport avec votre nom ou votre adresse e-mail."
)
PASSWORD_MISMATCH = "Les deux mots de passe sont différents. Saisissez le même mot de passe dans les deux champs."


def email_field(**kwargs: Any) -> forms.EmailField:
    defaults: dict[str, Any] = {
        "label": "Adresse e-mail",
        "max_length": 254,
        "error_messages": {"required": "Saisissez votre adresse e-mail.", "invalid": EMAIL_INVALID},
        "widget": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    }
    defaults.update(kwargs)
    return forms.EmailField(**defaults)


def name_field(label: str, required_message: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=150,
        error_messages={"required": required_message, "max_length": "150 caractères au maximum."},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class AccountFieldsForm(forms.Form):
    """E-mail, password twice, names and consent to the terms: the part common to every sign-up."""

    summary_labels = {"accept_terms": "Conditions d'utilisation"}

    email = email_field(help_text="Vous l'utiliserez pour vous connecter. Exemple : prenom.nom@exemple.fr")
    password1 = forms.CharField(
        label="Mot de passe",
        help_text=PASSWORD_HINT,
        strip=False,
        error_messages={"required": "Choisissez un mot de passe."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        help_text="Saisissez à nouveau le même mot de passe.",
        strip=False,
        error_messages={"required": "Saisissez à nouveau votre mot de passe."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    first_name = name_field("Prénom", "Saisissez votre prénom.", "given-name")
    last_name = name_field("Nom", "Saisissez votre nom.", "family-name")
    accept_terms = forms.BooleanField(
        label="J'ai lu et j'accepte les conditions d'utilisation du guichet.",
        error_messages={"required": "Cochez la case pour accepter les conditions d'utilisation."},
    )

    def clean_email(self) -> str:
        email = email_normalize(self.cleaned_data["email"])
        if email_is_taken(email):
            raise ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate_email")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(PASSWORD_MISMATCH, code="password_mismatch"))
        elif password1:
            candidate = User(
                email=cleaned.get("email") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class YoungSignupForm(AccountFieldsForm):
    """A young person's account. Birth date and commune come at the profile-completion step."""


class LoginForm(AuthenticationForm):
    # No autofocus: the page opens at its top like every other page, skip link first.
    username = email_field(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les puis réessayez, "
            "ou choisissez «\u00a0Mot de passe oublié\u00a0»."
        ),
        "inactive": "Ce compte est désactivé. Contactez-nous pour le réactiver.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse e-mail"
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].error_messages["required"] = "Saisissez votre mot de passe."

    def clean(self) -> dict[str, Any]:
        """Refuse without checking the password while this (e-mail, address) must wait; count failures."""
        email = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) or "inconnue"
        if email and self.cleaned_data.get("password"):
            wait = login_wait_seconds(email=email, ip=ip)
            if wait:
                audit_record(
                    action="accounts.login_throttled",
                    actor=None,
                    request=self.request,
                    object_type="accounts.user",
                    object_id=_account_id(email),
                    details={"wait_seconds": wait},
                )
                raise ValidationError(locked_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if email and error.code == "invalid_login":
                wait = login_failure_record(email=email, ip=ip)
                if wait:
                    raise ValidationError(locked_message(wait), code="throttled") from error
            raise
        login_success_record(email=email, ip=ip)
        return cleaned


def _account_id(email: str) -> str:
    user_id = User.objects.filter(email__iexact=email_normalize(email)).values_list("pk", flat=True).first()
    return str(user_id or "")


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task runner instead of being sent during the request."""

    email = email_field(help_text="L'adresse avec laquelle vous avez créé votre compte.")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if not reset_mail_allowed(email=to_email):
            # The page says the same thing either way: it never tells whether an address has an account.
            return
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_enqueue(subject=subject, body=body, to=[to_email])
        user = context.get("user")
        audit_record(action="accounts.password_reset_requested", actor=None, obj=user)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages["required"] = "Choisissez un nouveau mot de passe."
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
        self.fields["new_password2"].help_text = "Saisissez à nouveau le même mot de passe."
        self.fields["new_password2"].error_messages["required"] = "Saisissez à nouveau le nouveau mot de passe."
        self.error_messages = {**self.error_messages, "password_mismatch": PASSWORD_MISMATCH}


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        self.fields["old_password"].error_messages["required"] = "Saisissez votre mot de passe actuel."
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages["required"] = "Choisissez un nouveau mot de passe."
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
        self.fields["new_password2"].help_text = "Saisissez à nouveau le même mot de passe."
        self.fields["new_password2"].error_messages["required"] = "Saisissez à nouveau le nouveau mot de passe."
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": PASSWORD_MISMATCH,
            "password_incorrect": "Le mot de passe actuel est incorrect. Saisissez-le à nouveau.",
        }


class ProfileForm(forms.ModelForm):
    first_name = name_field("Prénom", "Saisissez votre prénom.", "given-name")
    last_name = name_field("Nom", "Saisissez votre nom.", "family-name")

    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Le code affiché par votre application d'authentification, par exemple 123456.",
        max_length=20,
        error_messages={"required": "Saisissez le code à 6 chiffres affiché par votre application."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class TwoFactorVerifyForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        help_text=(
            "Le code à 6 chiffres affiché par votre application d'authentification, "
            "ou l'un de vos codes de secours (8 caractères)."
        ),
        max_length=20,
        error_messages={"required": "Saisissez le code affiché par votre application, ou un code de secours."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Votre mot de passe",
        help_text="Pour confirmer que c'est bien vous.",
        strip=False,
        error_messages={"required": "Saisissez votre mot de passe pour confirmer la suppression."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="Je comprends que mon compte et mes données seront supprimés définitivement.",
        error_messages={"required": "Cochez la case pour confirmer que vous voulez supprimer votre compte."},
    )

    summary_labels = {"confirm": "Confirmation"}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Le mot de passe est incorrect. Saisissez-le à nouveau.", code="password_incorrect")
        return password
