"""Partner API keys: create (the secret is returned once), revoke, authenticate, record each use.

    key, secret = partner_key_create(name="Tableau de bord", organisation="OPCO EP",
                                     contact_email="api@opco.example", scopes=["observatory.read"],
                                     expires_on=date(2027, 6, 30), actor=admin_user)
    # give `secret` to the partner now: only its SHA-256 hash is kept

Every creation and revocation is audited (`api.key_created`, `api.key_revoked`), and so is every call that uses
a privileged scope (`api.key_used`, see guichet/api/auth.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.api.models import PartnerKey, PartnerScope
from guichet.core.audit import audit_record

KEY_START = "ga_"
PREFIX_LENGTH = 10
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
MAX_VALIDITY = timedelta(days=731)  # two years at most: a partner asks again, the contact is checked again
LAST_USED_PRECISION = timedelta(minutes=1)  # `last_used_at` is written at most once a minute per key


class PartnerKeyError(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class PartnerKeyRefused(Exception):
    """The presented key is unknown, malformed, expired or revoked (answer 401 with this French message)."""


@dataclass(frozen=True)
class ParsedKey:
    prefix: str
    secret: str


def key_hash(raw_key: str) -> str:
    # The secret carries 256 random bits: a plain SHA-256 cannot be brute-forced, no slow hash is needed.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def key_parse(raw_key: str) -> ParsedKey | None:
    raw_key = raw_key.strip()
    if not raw_key.startswith(KEY_START) or len(raw_key) > 200:
        return None
    prefix, _, secret = raw_key[len(KEY_START) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret or any(char not in PREFIX_ALPHABET for char in prefix):
        return None
    return ParsedKey(prefix=prefix, secret=secret)


def partner_key_validate(
    *, name: str, organisation: str, contact_email: str, scopes: list[str], expires_on: date | None, today: date
) -> dict[str, Any]:
    """The cleaned fields of a new key, or PartnerKeyError naming the field at fault (French message)."""
    name, organisation, contact_email = name.strip(), organisation.strip(), contact_email.strip()
    if not name or len(name) > 100:
        raise PartnerKeyError("Donnez un nom à la clé (100 caractères au plus).", field="name")
    if not organisation or len(organisation) > 150:
        raise PartnerKeyError("Indiquez l'organisme partenaire (150 caractères au plus).", field="organisation")
    try:
        validate_email(contact_email)
    except ValidationError:
        raise PartnerKeyError(
            "Saisissez l'adresse e-mail du contact technique, par exemple api@partenaire.fr.", field="contact_email"
        ) from None
    unknown = sorted(set(scopes) - set(PartnerScope.values))
    if unknown:
        raise PartnerKeyError(
            f"Portée inconnue : {', '.join(unknown)}. Portées possibles : {', '.join(PartnerScope.values)}.",
            field="scopes",
        )
    if not scopes:
        raise PartnerKeyError("Choisissez au moins une portée.", field="scopes")
    if expires_on is None or expires_on <= today:
        raise PartnerKeyError("La date d'expiration doit être postérieure à aujourd'hui.", field="expires_on")
    if expires_on > today + MAX_VALIDITY:
        raise PartnerKeyError("Une clé vaut deux ans au plus : choisissez une date d'expiration plus proche.",
                              field="expires_on")  # fmt: skip
    ordered = [scope for scope in PartnerScope.values if scope in scopes]
    return {"name": name, "organisation": organisation, "contact_email": contact_email, "scopes": ordered}


@transaction.atomic
def partner_key_create(
    *,
    name: str,
    organisation: str,
    contact_email: str,
    scopes: list[str],
    expires_on: date | None,
    actor: Any = None,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> tuple[PartnerKey, str]:
    """Create a key; returns it with the full secret key, which is shown once and never stored."""
    today = today or timezone.localdate()
    fields = partner_key_validate(name=name, organisation=organisation, contact_email=contact_email, scopes=scopes,
                    expires_on=expires_on, today=today)  # fmt: skip
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    while PartnerKey.objects.filter(prefix=prefix).exists():  # 36**10 prefixes: practically never
        prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    raw_key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    key = PartnerKey.objects.create(
        **fields, prefix=prefix, key_hash=key_hash(raw_key), expires_on=expires_on,
        created_by=actor if authenticated else None,
    )  # fmt: skip
    audit_record(
        action="api.key_created",
        actor=actor,
        request=request,
        obj=key,
        details={"prefix": prefix, "scopes": key.scopes, "expires_on": expires_on.isoformat()},
    )
    return key, raw_key


@transaction.atomic
def partner_key_revoke(
    *, key: PartnerKey, actor: Any = None, request: HttpRequest | None = None, now: datetime | None = None
) -> PartnerKey:
    key = PartnerKey.objects.select_for_update().get(pk=key.pk)
    if key.is_revoked:
        raise PartnerKeyError(f"La clé ga_{key.prefix}_… est déjà révoquée.")
    key.revoked_at = now or timezone.now()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    key.revoked_by = actor if authenticated else None
    key.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(action="api.key_revoked", actor=actor, request=request, obj=key, details={"prefix": key.prefix})
    return key


def partner_key_get_by_prefix(prefix: str) -> PartnerKey | None:
    prefix = prefix.removeprefix(KEY_START).split("_")[0]
    return PartnerKey.objects.filter(prefix=prefix).first()


def partner_key_authenticate(raw_key: str, *, now: datetime | None = None) -> PartnerKey:
    """The active key matching `raw_key`, or PartnerKeyRefused with a French message.

    The state of a key (expired, revoked) is told only to whoever holds its full secret."""
    now = now or timezone.now()
    parsed = key_parse(raw_key)
    key = PartnerKey.objects.filter(prefix=parsed.prefix).first() if parsed else None
    # Compare even when the prefix is unknown, so that timing does not tell which prefixes exist.
    expected = key.key_hash if key else "0" * 64
    matches = hmac.compare_digest(key_hash(raw_key.strip()), expected)
    if key is None or not matches:
        raise PartnerKeyRefused("Clé d'API invalide : vérifiez la valeur transmise.")
    if key.is_revoked:
        raise PartnerKeyRefused("Cette clé d'API a été révoquée : demandez-en une nouvelle à la Région.")
    if key.is_expired(today=timezone.localdate(now)):
        raise PartnerKeyRefused(
            f"Cette clé d'API a expiré le {key.expires_on:%d/%m/%Y} : demandez-en une nouvelle à la Région."
        )
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
