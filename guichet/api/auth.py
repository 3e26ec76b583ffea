"""Authentication of partner API keys and the scopes they open.

A partner sends its key in `Authorization: Bearer ga_<prefix>_<secret>` or in `X-Api-Key: ga_<prefix>_<secret>`.
A presented key is always checked, on every /api/ address (guichet.api.middleware): unknown, malformed,
expired or revoked, the call answers 401 in French, even on public operations. A valid key:
- on public operations, is the client that rate limits count (guichet.api.ratelimit), with a higher limit
  when it holds `public.read`;
- on operations declared with `auth=session_or_partner_key(<scope>)`, opens them when it holds the scope,
  403 otherwise (before the parameters are validated); each use of a privileged scope is audited
  (`api.key_used`);
- never opens the operations of a signed-in person (applications), whose routers accept sessions only.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from guichet.api.errors import ApiError
from guichet.api.keys import PartnerKeyRefused, partner_key_authenticate
from guichet.api.models import PRIVILEGED_SCOPES, PartnerKey, PartnerScope
from guichet.core.audit import audit_record

HEADER = "X-Api-Key"
KEY_FORMAT = "ga_<préfixe de 10 caractères>_<secret>"


class PartnerKeyInvalid(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(401, detail)
        self.headers = {"WWW-Authenticate": 'Bearer realm="api"'}


def presented_key(request: HttpRequest) -> str | None:
    """The key sent with the request, if any: `Authorization: Bearer <key>` first, then `X-Api-Key`."""
    authorization = request.headers.get("Authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    value = request.headers.get(HEADER, "").strip()
    return value or None


def resolve_partner_key(request: HttpRequest) -> PartnerKey | None:
    """The valid key presented with this request (cached on it), None without a key; PartnerKeyInvalid (401)
    for a key that is unknown, expired or revoked."""
    if hasattr(request, "partner_key"):
        return request.partner_key
    raw = presented_key(request)
    key = None
    if raw is not None:
        try:
            key = partner_key_authenticate(raw)
        except PartnerKeyRefused as error:
            raise PartnerKeyInvalid(str(error)) from None
    request.partner_key = key  # type: ignore[attr-defined]
    return key


class _PartnerKeyAuth:
    """A partner key, optionally required to hold `scope` (403 otherwise, before any validation of the call).
    Each call opened by a privileged scope is written to the audit log (`api.key_used`)."""

    def __init__(self, scope: str = "") -> None:
        self.scope = str(scope)
        super().__init__()

    def _check(self, request: HttpRequest) -> PartnerKey | None:
        key = resolve_partner_key(request)
        if key is None or not self.scope:
            return key
        if not key.has_scope(self.scope):
            raise ApiError(403, f"Cette clé d'API n'a pas la portée « {self.scope} » que demande cet appel.")
        request.partner_scope_granted = self.scope  # type: ignore[attr-defined]
        if self.scope in PRIVILEGED_SCOPES:
            audit_record(
                action="api.key_used",
                request=request,
                obj=key,
                details={"prefix": key.prefix, "scope": self.scope, "operation": f"{request.method} {request.path}"},
            )
        return key


class PartnerKeyBearer(_PartnerKeyAuth, HttpBearer):
    openapi_description = (
        f"Clé d'API partenaire dans l'en-tête `Authorization: Bearer {KEY_FORMAT}`. Délivrée par un "
        "administrateur de la Région, avec des portées (voir docs/api.md) ; une clé inconnue, expirée ou "
        "révoquée reçoit 401, une clé sans la portée demandée 403."
    )
    openapi_bearerFormat = KEY_FORMAT

    def authenticate(self, request: HttpRequest, token: str) -> PartnerKey | None:
        return self._check(request)


class PartnerKeyHeader(_PartnerKeyAuth, APIKeyHeader):
    param_name = HEADER
    openapi_description = f"La même clé d'API partenaire dans l'en-tête `X-Api-Key: {KEY_FORMAT}`."

    def authenticate(self, request: HttpRequest, key: str | None) -> PartnerKey | None:
        return self._check(request) if key else None


PARTNER_KEY_AUTH = [PartnerKeyBearer(), PartnerKeyHeader()]
PARTNER_SCHEMES = tuple(type(auth).__name__ for auth in PARTNER_KEY_AUTH)


def session_or_partner_key(scope: PartnerScope) -> list:
    """`auth=` of staff operations also opened to partners (observatory): a partner key holding `scope`, or a
    signed-in session (the view then checks the person's role)."""
    return [PartnerKeyBearer(scope), PartnerKeyHeader(scope), django_auth]


def partner_scope_granted(request: HttpRequest) -> bool:
    """True when a partner key holding the operation's scope opened this call (the view skips its role check)."""
    return getattr(request, "partner_key", None) is not None and bool(getattr(request, "partner_scope_granted", ""))
