"""The audit log is append-only from the application, records role changes and admin changes, and is
purged only at the end of its retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.core.audit import AUDIT_KEEP_FINANCIAL, audit_purge_expired, audit_record
from guichet.core.models import AuditEvent, AuditLogError

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_changed_or_deleted_by_the_application():
    event = audit_record(action="test.something", object_type="x", object_id=1)
    event.action = "test.other"
    with pytest.raises(AuditLogError):
        event.save()
    with pytest.raises(AuditLogError):
        event.delete()
    with pytest.raises(AuditLogError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.other")
    with pytest.raises(AuditLogError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.something"


def test_the_purge_removes_only_events_past_their_retention():
    security = audit_record(action="accounts.login", object_type="accounts.user", object_id=1)
    money = audit_record(action="aids.payment", object_type="aids.x", object_id=1, keep_for=AUDIT_KEEP_FINANCIAL)
    today = timezone.localdate()
    assert audit_purge_expired(today=today) == 0
    # (Browser journeys running beside this test may have committed events of their own.)
    assert audit_purge_expired(today=today + timedelta(days=366)) >= 1
    assert not AuditEvent.objects.filter(pk=security.pk).exists()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [money.pk]


def test_a_role_change_is_recorded_with_before_and_after():
    user = UserFactory(role=Role.YOUNG)
    user.role = Role.ADVISOR
    user.is_staff = True
    user.save()
    event = AuditEvent.objects.get(action="accounts.access_changed", object_id=str(user.pk))
    assert event.object_id == str(user.pk)
    assert event.details == {
        "role": {"avant": "jeune", "apres": "conseiller"},
        "is_staff": {"avant": False, "apres": True},
    }


def test_changes_made_in_the_admin_are_recorded_with_their_author(admin_client):
    target = UserFactory(role=Role.YOUNG)
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {
            "email": target.email,
            "first_name": "Camille",
            "last_name": "Martin",
            "role": Role.EMPLOYER,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change = AuditEvent.objects.get(action="admin.change", object_id=str(target.pk))
    assert change.object_type == "accounts.user"
    assert change.object_id == str(target.pk)
    assert change.actor_role == "admin"
    assert AuditEvent.objects.filter(action="accounts.access_changed", object_id=str(target.pk)).exists()


def test_the_audit_log_is_read_only_in_the_admin(admin_client):
    event = audit_record(action="accounts.login", object_type="accounts.user", object_id=1)
    assert admin_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditevent_change", args=[event.pk])).status_code == 200
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_change_permission(None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_on_postgresql_the_database_itself_refuses_to_change_or_delete_an_event():
    event = audit_record(action="test.something", object_type="x", object_id=1)
    for statement in (
        "UPDATE core_auditevent SET action = 'test.other' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.something"
    # The retention purge still works, and closes the door behind it.
    assert audit_purge_expired(today=timezone.localdate() + timedelta(days=400)) >= 1
    audit_record(action="test.after_purge", object_type="x", object_id=2)
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")


def test_the_admin_never_shows_a_second_factor_secret_but_can_delete_a_lost_one(admin_client):
    from guichet.accounts.testing import totp_device_confirmed

    advisor = UserFactory(role=Role.ADVISOR)
    device = totp_device_confirmed(advisor)
    page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    deleted = admin_client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert not advisor.totpdevice_set.exists()
    assert AuditEvent.objects.filter(
        action="admin.change", object_id=str(device.pk), details__operation="suppression"
    ).exists()


def test_a_staff_read_of_a_file_is_recorded_once_a_day_per_reader_and_object(rf):
    from guichet.core.audit import audit_file_read

    advisor, other_advisor = UserFactory(role=Role.ADVISOR), UserFactory(role=Role.ADVISOR)
    young = UserFactory(role=Role.YOUNG)
    request = rf.get("/jeunes/dossier/", REMOTE_ADDR="192.0.2.4")
    request.user = advisor
    assert audit_file_read(request=request, obj=young) is True
    assert audit_file_read(request=request, obj=young) is False  # a reload
    request.user = other_advisor
    assert audit_file_read(request=request, obj=young) is True
    reads = AuditEvent.objects.filter(action="accounts.file_read", object_id=str(young.pk))
    assert sorted(reads.values_list("actor_id", flat=True)) == sorted([advisor.pk, other_advisor.pk])
    assert reads.first().ip == "192.0.2.4"
