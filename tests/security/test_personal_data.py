"""RGPD: export of one's data, deletion of one's account with what is kept said, retention enforced."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.personal_data import inactive_accounts_apply
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.core import personal_data as registry
from guichet.core.models import AuditEvent
from guichet.core.personal_data import apply_retention_rules
from guichet.core.scheduling import periodic_jobs

pytestmark = pytest.mark.django_db


def test_a_person_downloads_all_their_data_as_json_and_the_export_is_audited(client):
    user = UserFactory(first_name="Léa", last_name="Durand")
    client.force_login(user)
    response = client.get(reverse("accounts:my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-guichet-apprentissage-')
    data = json.loads(response.content)
    assert data["compte"]["adresse_e_mail"] == user.email
    assert data["compte"]["prenom"] == "Léa"
    assert data["compte"]["double_authentification"] is False
    assert AuditEvent.objects.filter(action="accounts.personal_data_export", actor_id=user.pk).exists()


def test_every_registered_app_contributes_to_the_export_and_the_erasure(client, monkeypatch):
    calls = []
    monkeypatch.setitem(
        registry._SOURCES,
        "essai",
        registry.PersonalDataSource(
            app="essai",
            export=lambda user: {"notes": [f"note de {user.pk}"]},
            erase=lambda user: calls.append(user.pk) or {"deleted": ["Vos notes"], "kept": []},
            order=10,
        ),
    )
    user = UserFactory()
    client.force_login(user)
    assert json.loads(client.get(reverse("accounts:my_data_export")).content)["essai"] == {
        "notes": [f"note de {user.pk}"]
    }
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert calls == [user.pk]
    assert "Vos notes" in response.content.decode()


def test_a_young_person_deletes_their_account_and_is_told_what_is_kept_and_why(client):
    user = UserFactory(role=Role.YOUNG)
    client.force_login(user)
    page = client.get(reverse("accounts:my_data")).content.decode()
    assert "Ce que la loi nous oblige à garder" in page
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    text = response.content.decode()
    assert "Votre compte est supprimé" in text
    assert "Conservé, comme la loi l'exige" in text
    assert "recommandation de la CNIL" in text
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="accounts.deleted", object_id=str(user.pk))
    assert event.object_id == str(user.pk) and event.details == {"reason": "self", "role": "jeune"}
    # The log keeps no e-mail address of the deleted person.
    assert not AuditEvent.objects.filter(details__icontains=user.email).exists()


def test_deletion_needs_the_password_and_the_confirmation(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:account_delete"), {"password": "faux"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Le mot de passe est incorrect" in text
    assert "Cochez la case pour confirmer" in text
    assert User.objects.filter(pk=user.pk).exists()


def test_a_staff_account_cannot_delete_itself(client):
    advisor = UserFactory(role=Role.ADVISOR)
    client.force_login(advisor)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "géré par la Région" in response.content.decode()
    assert User.objects.filter(pk=advisor.pk).exists()


def _inactive(days: int, **kwargs) -> User:
    when = timezone.now() - timedelta(days=days)
    return UserFactory(date_joined=when, last_login=when, **kwargs)


def test_accounts_unused_for_three_years_are_warned_then_deleted_after_a_month():
    today = timezone.localdate()
    recent = _inactive(400)
    almost = _inactive(3 * 365 - 20)
    superuser = _inactive(5 * 365, is_superuser=True)
    assert inactive_accounts_apply(today=today) == 1
    assert [message.to for message in mail.outbox] == [[almost.email]]
    assert "seront supprimés le" in mail.outbox[0].body
    almost.refresh_from_db()
    assert almost.inactivity_warned_at is not None

    # Nothing more until the notice has run, then deletion; the others stay.
    assert inactive_accounts_apply(today=today + timedelta(days=10)) == 0
    assert inactive_accounts_apply(today=today + timedelta(days=31)) == 1
    assert not User.objects.filter(pk=almost.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, superuser.pk]).count() == 2
    assert AuditEvent.objects.filter(action="accounts.deleted", details__reason="inactive").count() == 1


def test_logging_in_after_the_warning_keeps_the_account(client):
    today = timezone.localdate()
    user = _inactive(3 * 365 - 10)
    inactive_accounts_apply(today=today)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.inactivity_warned_at is None
    assert inactive_accounts_apply(today=today + timedelta(days=40)) == 0
    assert User.objects.filter(pk=user.pk).exists()


def test_retention_rules_run_daily_from_one_registered_job():
    assert "core.apply_retention_rules" in [job.name for job in periodic_jobs()]
    _inactive(3 * 365 + 100, inactivity_warned_at=timezone.now() - timedelta(days=40))
    counts = apply_retention_rules(today=timezone.localdate())
    assert counts["accounts.inactive"] == 1
    assert "core.audit_events" in counts


def test_the_public_personal_data_page_lists_the_retention_periods(client):
    page = client.get(reverse("core:personal_data")).content.decode()
    assert "3 ans après la dernière connexion" in page
    assert "1 an (10 ans pour les décisions d" in page
    assert reverse("accounts:my_data") in page
