from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    QueuedPasswordResetForm,
    YoungSignupForm,
)
from guichet.accounts.services import AccountError, user_create_young, user_update_names

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
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
