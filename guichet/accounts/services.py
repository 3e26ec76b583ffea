"""Writes on user accounts: sign-up, profile edits."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.models import Role, User


class AccountError(Exception):
    """A sign-up or profile change refused for a reason the person can fix (message in French)."""


DUPLICATE_EMAIL_MESSAGE = (
    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou choisissez «\u00a0Mot de passe oublié\u00a0»."
)


def email_normalize(email: str) -> str:
    return email.strip().lower()


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email_normalize(email)).exists()


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    terms_accepted_at: datetime | None = None,
) -> User:
    """Create an active account; the password must pass the project's validators.

    Raises AccountError when the e-mail is already taken (also when two sign-ups race),
    django.core.exceptions.ValidationError when the password is too weak.
    """
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}.")
    email = email_normalize(email)
    if email_is_taken(email):
        raise AccountError(DUPLICATE_EMAIL_MESSAGE)
    candidate = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), role=role)
    validate_password(password, user=candidate)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                first_name=candidate.first_name,
                last_name=candidate.last_name,
                role=role,
                terms_accepted_at=terms_accepted_at or timezone.now(),
            )
    except IntegrityError as error:
        raise AccountError(DUPLICATE_EMAIL_MESSAGE) from error


def user_create_young(
    *, email: str, password: str, first_name: str, last_name: str, terms_accepted_at: datetime | None = None
) -> User:
    """Sign-up of a young person. Birth date and home commune belong to the candidate profile,
    filled in at the profile-completion step (candidates app), not here."""
    return user_create(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=Role.YOUNG,
        terms_accepted_at=terms_accepted_at,
    )


def user_update_names(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user
