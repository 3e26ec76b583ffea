"""Audit receivers: logins, logouts, failed logins, role changes and every change made in the admin."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest

from guichet.accounts.models import User
from guichet.core.audit import audit_record

ACCESS_FIELDS = ("role", "is_staff", "is_superuser", "is_active")
ADMIN_ACTIONS = {1: "ajout", 2: "modification", 3: "suppression"}


def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit_record(action="accounts.login", actor=user, obj=user, request=request)
    if user.inactivity_warned_at is not None:
        User.objects.filter(pk=user.pk).update(inactivity_warned_at=None)


def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    reason = "expired" if getattr(request, "session_expired", False) else "user"
    audit_record(action="accounts.logout", actor=user, obj=user, request=request, details={"reason": reason})


def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    user_id = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first() if email else None
    audit_record(
        action="accounts.login_failed",
        actor=None,
        request=request,
        object_type="accounts.user" if user_id else "",
        object_id=user_id or "",
        # Unknown addresses are kept as a short hash: enough to see one address tried many times.
        details={} if user_id else {"email_sha256": hashlib.sha256(email.encode()).hexdigest()[:16]},
    )


def _remember_access(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(ACCESS_FIELDS)):
        instance._previous_access = None
        return
    instance._previous_access = User.objects.filter(pk=instance.pk).values(*ACCESS_FIELDS).first()


def _record_access_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    previous = getattr(instance, "_previous_access", None)
    if created or not previous:
        return
    changes = {
        field: {"avant": previous[field], "apres": getattr(instance, field)}
        for field in ACCESS_FIELDS
        if previous[field] != getattr(instance, field)
    }
    if changes:
        audit_record(action="accounts.access_changed", actor=None, obj=instance, details=changes)


def _admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    audit_record(
        action="admin.change",
        actor=instance.user,
        object_type=f"{instance.content_type.app_label}.{instance.content_type.model}"
        if instance.content_type
        else "",
        object_id=instance.object_id or "",
        details={"operation": ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag))},
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="accounts.audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="accounts.audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="accounts.audit_login_failed")
    pre_save.connect(_remember_access, sender=User, dispatch_uid="accounts.remember_access")
    post_save.connect(_record_access_change, sender=User, dispatch_uid="accounts.audit_access")
    post_save.connect(_admin_change, sender=LogEntry, dispatch_uid="accounts.audit_admin")
