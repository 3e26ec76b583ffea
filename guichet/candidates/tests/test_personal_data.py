"""RGPD: a young person's export includes their profile, applications and enrolments; deleting the account
erases them; enrolments past their retention are deleted by the daily job."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import PASSWORD
from guichet.candidates.enums import ApplicationStatus, EnrolmentStatus
from guichet.candidates.models import Application, CandidateProfile, Enrolment
from guichet.candidates.personal_data import closed_applications_retention_apply, enrolments_retention_apply
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory, EnrolmentFactory
from guichet.core.personal_data import apply_retention_rules, retention_rules
from guichet.trainings.tests.factories import TrainingFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_profile_the_applications_and_the_enrolments(client):
    profile = CandidateProfileFactory(rqth=True)
    ApplicationFactory(candidate=profile, message="Bonjour")
    training = TrainingFactory(title="CAP Fleuriste")
    EnrolmentFactory(candidate=profile, training=training)
    client.force_login(profile.user)
    data = json.loads(client.get(reverse("accounts:my_data_export")).content)["profil_et_candidatures"]
    assert data["profil"]["date_de_naissance"] == "2007-05-12" and data["profil"]["rqth"] is True
    assert data["candidatures"][0]["votre_message"] == "Bonjour"
    enrolment = data["inscriptions_en_formation"][0]
    assert enrolment["formation"] == "CAP Fleuriste"
    assert enrolment["situation"] == "Cherche un employeur"
    assert enrolment["partage_avec_le_centre_accepte_le"]


def test_deleting_the_account_erases_profile_applications_and_enrolments_and_says_so(client):
    profile = CandidateProfileFactory()
    ApplicationFactory(candidate=profile)
    EnrolmentFactory(candidate=profile)
    other = EnrolmentFactory()
    client.force_login(profile.user)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    text = response.content.decode()
    assert "Vos inscriptions en formation partagées avec les centres de formation" in text
    assert "Vos candidatures (1)" in text
    assert not CandidateProfile.objects.filter(pk=profile.pk).exists()
    assert not Application.objects.filter(candidate_id=profile.pk).exists()
    assert list(Enrolment.objects.all()) == [other]


def test_enrolments_are_deleted_a_year_after_withdrawal_or_the_end_of_their_session():
    today = date(2026, 11, 5)
    recent_withdrawal = EnrolmentFactory(status=EnrolmentStatus.WITHDRAWN, status_on=date(2026, 1, 10))
    old_withdrawal = EnrolmentFactory(status=EnrolmentStatus.WITHDRAWN, status_on=date(2025, 10, 1))
    ended = TrainingSessionFactory(starts_on=date(2022, 9, 1), ends_on=date(2024, 7, 1))
    finished = EnrolmentFactory(training=ended.training, session=ended, status_on=date(2022, 9, 1))
    running = TrainingSessionFactory(starts_on=date(2025, 9, 1), ends_on=date(2027, 7, 1))
    current = EnrolmentFactory(training=running.training, session=running, status_on=date(2022, 9, 1))
    no_session_old = EnrolmentFactory(status_on=date(2023, 1, 1))
    no_session_recent = EnrolmentFactory(status_on=date(2025, 1, 1))
    assert enrolments_retention_apply(today=today) == 3
    assert set(Enrolment.objects.values_list("pk", flat=True)) == {
        recent_withdrawal.pk,
        current.pk,
        no_session_recent.pk,
    }
    assert not Enrolment.objects.filter(pk__in=[old_withdrawal.pk, finished.pk, no_session_old.pk]).exists()
    assert "candidates.enrolments" in {rule.name for rule in retention_rules()}
    assert apply_retention_rules(today=today)["candidates.enrolments"] == 0


def test_refused_and_withdrawn_applications_are_deleted_two_years_after_they_were_closed():
    today = date(2026, 11, 25)
    refused_old = ApplicationFactory(
        status=ApplicationStatus.REFUSED, sent_on=date(2024, 9, 1), closed_on=date(2024, 11, 24)
    )
    refused_on_the_day = ApplicationFactory(
        status=ApplicationStatus.REFUSED, sent_on=date(2024, 9, 1), closed_on=date(2024, 11, 25)
    )
    withdrawn_old = ApplicationFactory(status=ApplicationStatus.WITHDRAWN, sent_on=date(2024, 1, 5), closed_on=None)
    withdrawn_recent = ApplicationFactory(
        status=ApplicationStatus.WITHDRAWN, sent_on=date(2025, 3, 1), closed_on=date(2025, 3, 2)
    )
    signed_old = ApplicationFactory(
        status=ApplicationStatus.CONTRACT_SIGNED, sent_on=date(2023, 1, 5), closed_on=date(2023, 2, 1)
    )
    open_old = ApplicationFactory(status=ApplicationStatus.SENT, sent_on=date(2023, 1, 5))
    assert closed_applications_retention_apply(today=today) == 2
    assert set(Application.objects.values_list("pk", flat=True)) == {
        refused_on_the_day.pk,
        withdrawn_recent.pk,
        signed_old.pk,
        open_old.pk,
    }
    assert not Application.objects.filter(pk__in=[refused_old.pk, withdrawn_old.pk]).exists()
    assert apply_retention_rules(today=today)["candidates.closed_applications"] == 0
