"""The audit log: every app records its sensitive actions with `audit_record(...)`.

    from guichet.core.audit import audit_record

    audit_record(action="aids.decision", actor=request.user, obj=request_obj, request=request,
                 details={"decision": "accordée", "amount": "6000.00"}, keep_for=AUDIT_KEEP_FINANCIAL)

Events are append-only from the application (the model refuses updates and deletes); the only removal
is the retention purge (`audit_purge_expired`, run daily). Keep personal data out of `details`: ids and
codes, not names, e-mail addresses or free text. The list of actions each app must record is in
docs/security.md ("Audit log").
"""

from __future__ import annotations

import ipaddress
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from guichet.core.models import AuditEvent

# Security events (logins, 2FA, role changes): one year, as the CNIL recommends for access logs.
AUDIT_KEEP_DEFAULT = timedelta(days=365)
# Decisions on public money (aids, payments): ten years, as accounting documents (Code de commerce L123-22).
AUDIT_KEEP_FINANCIAL = timedelta(days=365 * 10)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address (REMOTE_ADDR; behind the reverse proxies listed in TRUSTED_PROXIES, the client's
    address from X-Forwarded-For, set by core.middleware.TrustedProxyMiddleware), normalised; None if unknown."""
    if request is None:
        return None
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    keep_for: timedelta = AUDIT_KEEP_DEFAULT,
) -> AuditEvent:
    """Append one event. `action` is "<app>.<verb>" (e.g. "accounts.login"); `obj` or
    (`object_type`, `object_id`) names what was acted on; `actor` defaults to the request's user."""
    if not action or len(action) > 60:
        raise ValueError("An audit action is a non-empty code of at most 60 characters.")
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    now = timezone.now()
    authenticated = bool(actor is not None and getattr(actor, "is_authenticated", False))
    return AuditEvent.objects.create(
        when=now,
        actor_id=actor.pk if authenticated else None,
        actor_role=str(getattr(actor, "role", "") or "") if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        ip=client_ip(request),
        details=details or {},
        keep_until=timezone.localdate(now) + keep_for,
    )


def audit_file_read(*, request: HttpRequest, obj: models.Model, details: dict[str, Any] | None = None) -> bool:
    """Record that a staff member (advisor, administrator...) opened one person's file: `<app>.file_read`.

    Call it from the views that show a young person's profile, application, request or contract to someone
    other than that person. One event per reader, object and day (reloads and htmx fragments do not flood
    the log). Returns True when an event was written."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    label = obj._meta.label_lower
    key = f"audit-read:{user.pk}:{label}:{obj.pk}:{timezone.localdate().isoformat()}"
    if not cache.add(key, 1, timeout=60 * 60 * 24):
        return False
    audit_record(action=f"{obj._meta.app_label}.file_read", request=request, obj=obj, details=details)
    return True


def audit_purge_expired(*, today: date | None = None) -> int:
    """Delete the events whose retention date has passed; returns how many."""
    return AuditEvent.objects.all().purge_expired(today=today or timezone.localdate())


def audit_purge_task() -> str:
    count = audit_purge_expired()
    return f"{count} événement(s) du journal d'audit supprimé(s) au terme de leur durée de conservation."
