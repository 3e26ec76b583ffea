"""The account's part of the personal-data registry: export, erasure, deletion of inactive accounts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import User
from guichet.accounts.tasks import email_enqueue
from guichet.core.audit import audit_record
from guichet.core.personal_data import ErasureReport, personal_data_erase

# Accounts unused for three years are deleted (CNIL, référentiel "gestion des usagers": the account of
# an online public service is deleted after a period of inactivity; three years is the usual figure).
INACTIVITY_LIMIT = timedelta(days=3 * 365)
INACTIVITY_NOTICE = timedelta(days=30)

AUDIT_KEPT = {
    "what": "Journal des connexions et actions sensibles (numéro de compte, date, adresse IP ; sans nom ni e-mail)",
    "why": "Sécurité du service et preuve en cas de litige ou d'intrusion (recommandation de la CNIL)",
    "until": "1 an après chaque événement (10 ans pour les décisions d'aide et les paiements)",
}


def account_export(user: User) -> dict[str, Any]:
    return {
        "adresse_e_mail": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "type_de_compte": user.get_role_display(),
        "compte_cree_le": user.date_joined,
        "derniere_connexion": user.last_login,
        "conditions_acceptees_le": user.terms_accepted_at,
        "double_authentification": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "zones_d_emploi_suivies": [
            {"code": assignment.basin.code, "nom": assignment.basin.name, "themes": assignment.topics}
            for assignment in user.assignments.select_related("basin").order_by("basin__code")
        ],
    }


def account_erase(user: User) -> dict[str, list[Any]]:
    """Delete the account itself (called last: the other apps have erased their rows first)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.delete()
    return {
        "deleted": [
            "Votre compte : adresse e-mail, nom, prénom, mot de passe, dates de connexion",
            "Vos moyens de double authentification et codes de secours",
        ],
        "kept": [AUDIT_KEPT],
    }


def account_delete(*, user: User, reason: str) -> ErasureReport:
    """Erase an account and everything the apps hold about it, in one transaction (all or nothing)."""
    user_id, role = user.pk, user.role
    report = personal_data_erase(user=user)
    audit_record(
        action="accounts.deleted",
        actor=None,
        object_type="accounts.user",
        object_id=user_id,
        details={"reason": reason, "role": role},
    )
    return report


def _last_activity() -> Coalesce:
    return Coalesce(TruncDate("last_login"), TruncDate("date_joined"))


def inactive_accounts_apply(*, today: date) -> int:
    """Warn accounts unused for three years less a month; delete those still unused after the notice."""
    candidates = User.objects.filter(is_superuser=False).annotate(last_activity=_last_activity())
    changed = 0
    to_delete = candidates.filter(
        last_activity__lt=today - INACTIVITY_LIMIT,
        inactivity_warned_at__isnull=False,
        inactivity_warned_at__date__lte=today - INACTIVITY_NOTICE,
    )
    for user in to_delete:
        account_delete(user=user, reason="inactive")
        changed += 1
    to_warn = candidates.filter(
        Q(inactivity_warned_at__isnull=True),
        last_activity__lt=today - INACTIVITY_LIMIT + INACTIVITY_NOTICE,
    )
    for user in to_warn:
        _warn_inactive(user=user, deletion_on=today + INACTIVITY_NOTICE)
        changed += 1
    return changed


def _warn_inactive(*, user: User, deletion_on: date) -> None:
    login_url = settings.SITE_URL.rstrip("/") + reverse("accounts:login")
    body = (
        f"Bonjour,\n\nVous ne vous êtes pas connecté à votre compte du Guichet Apprentissage depuis près de trois "
        f"ans. Sans connexion de votre part, votre compte et vos données seront supprimés le "
        f"{deletion_on:%d/%m/%Y}.\n\nPour garder votre compte, connectez-vous simplement : {login_url}\n\n"
        "Si vous n'en avez plus besoin, vous n'avez rien à faire.\n\nLe Guichet Apprentissage, Région Hauts-de-France"
    )
    email_enqueue(subject="Votre compte sera supprimé faute d'utilisation", body=body, to=[user.email])
    User.objects.filter(pk=user.pk).update(inactivity_warned_at=timezone.now())
    audit_record(action="accounts.inactivity_warned", actor=None, obj=user)
