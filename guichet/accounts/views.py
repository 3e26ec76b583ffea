from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.forms import (
    AccountDeleteForm,
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    QueuedPasswordResetForm,
    TwoFactorCodeForm,
    TwoFactorVerifyForm,
    YoungSignupForm,
)
from guichet.accounts.models import Role
from guichet.accounts.personal_data import account_delete
from guichet.accounts.services import AccountError, user_create_young, user_update_names
from guichet.accounts.two_factor import (
    recovery_codes_left,
    recovery_codes_renew,
    totp_confirm,
    totp_confirmed,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
    two_factor_throttled,
)
from guichet.accounts.two_factor import two_factor_verify as second_factor_check
from guichet.core.audit import audit_record
from guichet.core.middleware import two_factor_required
from guichet.core.personal_data import personal_data_export, retention_rules

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def duration_text(seconds: int) -> str:
    """A French duration for people: 3600 -> "1 heure", 259200 -> "3 jours", 900 -> "15 minutes"."""
    for unit_seconds, singular, plural in (
        (86400, "jour", "jours"),
        (3600, "heure", "heures"),
        (60, "minute", "minutes"),
    ):
        if seconds >= unit_seconds and seconds % unit_seconds == 0:
            count = seconds // unit_seconds
            return f"{count} {singular if count == 1 else plural}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute" + ("s" if minutes > 1 else "")


def reset_timeout_text() -> str:
    return duration_text(int(settings.PASSWORD_RESET_TIMEOUT))


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = YoungSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create_young(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except AccountError as error:
            form.add_error("email", str(error))
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Votre compte est créé et vous êtes connecté.")
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_update_names(
            user=user, first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"]
        )
        messages.success(request, "Vos nom et prénom sont enregistrés.")
        return redirect("accounts:profile")
    if form.errors:
        user.refresh_from_db(fields=["first_name", "last_name"])
    return render(request, "accounts/profile.html", {"form": form, "account": user})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET since 5.0): a link cannot log someone out behind their back."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Vous êtes déconnecté.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "reset_timeout_text": reset_timeout_text()}

    def form_valid(self, form: QueuedPasswordResetForm) -> HttpResponse:
        self.extra_email_context = {"reset_timeout_text": reset_timeout_text()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's token is single-use (it hashes the password and the last login, which the reset changes)
    and expires after PASSWORD_RESET_TIMEOUT; tests/security/test_authentication.py checks both."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(action="accounts.password_reset", actor=form.user, obj=form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(action="accounts.password_changed", obj=form.user, request=self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


THROTTLED_CODE_MESSAGE = (
    "Trop de codes incorrects à la suite : attendez quelques secondes, le temps qu'un nouveau code s'affiche, "
    "puis réessayez."
)


@login_required
@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    """Where the person sees whether two-factor authentication is on, and renews recovery codes."""
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": totp_confirmed(user=user),
            "codes_left": recovery_codes_left(user=user),
            "required": two_factor_required(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if totp_confirmed(user=user) and not user.is_verified():
        # Replacing a confirmed factor needs that factor first: a stolen password is not enough.
        return redirect("accounts:two_factor_verify")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not totp_device_pending(user=user).verify_is_allowed()[0]:
            form.add_error("code", THROTTLED_CODE_MESSAGE)
            codes = None
        else:
            codes = totp_confirm(request=request, user=user, token=form.cleaned_data["code"])
            if codes is None:
                form.add_error(
                    "code",
                    "Ce code ne correspond pas. Vérifiez que votre téléphone est à l'heure, "
                    "puis saisissez le code affiché en ce moment.",
                )
        if codes is not None:
            request.session["recovery_codes"] = codes
            messages.success(request, "La double authentification est activée.")
            return redirect("accounts:two_factor_codes")
    device = totp_device_pending(user=user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_text(device)},
    )


@never_cache
@login_required
@require_GET
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly made recovery codes once; they are not kept anywhere readable afterwards."""
    codes = request.session.pop("recovery_codes", None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})


@never_cache
@login_required
@require_POST
def two_factor_codes_renew(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not totp_confirmed(user=user):
        return redirect("accounts:two_factor_setup")
    request.session["recovery_codes"] = recovery_codes_renew(user=user)
    audit_record(action="accounts.recovery_codes_renewed", obj=user, request=request)
    return redirect("accounts:two_factor_codes")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if user.is_verified():
        return redirect(next_url)
    if not totp_confirmed(user=user):
        return redirect(reverse("accounts:two_factor_setup") + "?" + urlencode({"next": next_url}))
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_throttled(user=user) and form.cleaned_data["code"].strip().isdigit():
            form.add_error("code", THROTTLED_CODE_MESSAGE + " Vous pouvez aussi utiliser un code de secours.")
        elif second_factor_check(request=request, user=user, token=form.cleaned_data["code"]):
            return redirect(next_url)
        else:
            form.add_error(
                "code",
                "Ce code ne correspond pas. Saisissez le code affiché en ce moment par votre application, "
                "ou l'un de vos codes de secours.",
            )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


STAFF_ROLES = (Role.ADVISOR, Role.ANALYST, Role.ADMIN)


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/my_data.html",
        {
            "form": AccountDeleteForm(user=user),
            "staff_account": user.role in STAFF_ROLES or user.is_staff,
            "retention_rules": retention_rules(),
        },
    )


@never_cache
@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = personal_data_export(user=user)
    audit_record(action="accounts.personal_data_export", obj=user, request=request, details={"parts": list(data)})
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mes-donnees-guichet-apprentissage-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_POST
def my_account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role in STAFF_ROLES or user.is_staff:
        messages.error(
            request,
            "Votre compte professionnel est géré par la Région : demandez sa fermeture à votre administrateur.",
        )
        return redirect("accounts:my_data")
    form = AccountDeleteForm(request.POST, user=user)
    if form.is_valid():
        try:
            report = account_delete(user=user, reason="self")
        except ProtectedError:
            messages.error(
                request,
                "Votre compte ne peut pas être supprimé en ligne car un dossier en cours en dépend. "
                "Écrivez-nous depuis la page Contact : nous le supprimerons avec vous.",
            )
            return redirect("accounts:my_data")
        logout(request)
        request.session["erasure_report"] = {"deleted": report.deleted, "kept": report.kept}
        return redirect("accounts:account_deleted")
    return render(
        request,
        "accounts/my_data.html",
        {"form": form, "staff_account": False, "retention_rules": retention_rules()},
        status=400,
    )


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    report = request.session.pop("erasure_report", None)
    if report is None:
        return redirect("core:home")
    return render(request, "accounts/account_deleted.html", {"report": report})


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin's own login form would skip throttling and two-factor checks: use ours."""
    if request.user.is_authenticated:
        # Logged in but not staff: our login page would send them straight back here.
        raise PermissionDenied("Votre compte n'a pas accès à l'administration.")
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": next_url}))
