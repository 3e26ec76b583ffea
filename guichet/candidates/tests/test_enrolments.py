"""Enrolments at a training centre: declared by the young person or by the centre (then confirmed), their
situation (looking, contract signed, broken, withdrawn), and who sees them."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.enums import EnrolmentSource
from guichet.candidates.enums import EnrolmentStatus as E
from guichet.candidates.models import Enrolment, Notification
from guichet.candidates.selectors import (
    enrolment_display_name,
    enrolment_list_for_user,
    enrolment_pending_count_for_centres,
    training_list_for_declaration,
)
from guichet.candidates.services import (
    EnrolmentError,
    application_accept,
    application_create,
    application_sign_contract,
    enrolment_allowed_transitions,
    enrolment_confirm,
    enrolment_declare,
    enrolment_decline,
    enrolment_invite,
    enrolment_mark_signed,
    enrolment_report_broken,
    enrolment_transition,
    enrolment_withdraw,
)
from guichet.candidates.tests.factories import CandidateProfileFactory, EnrolmentFactory
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.offers.tests.factories import OfferFactory
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 5)


@pytest.fixture
def staff():
    return CentreMembershipFactory()


@pytest.fixture
def training(staff):
    return TrainingFactory(centre=staff.centre, title="CAP Cuisine")


@pytest.fixture
def young():
    return CandidateProfileFactory(user=UserFactory(role=Role.YOUNG, first_name="Camille", last_name="durand"))


def test_a_young_person_declares_an_enrolment_and_the_centre_sees_it_with_first_name_and_initial(
    young, training, staff
):
    session = TrainingSessionFactory(training=training)
    enrolment = enrolment_declare(candidate=young, training=training, session=session, today=TODAY)
    assert enrolment.status == E.LOOKING and enrolment.status_on == TODAY
    assert enrolment.source == EnrolmentSource.YOUNG and enrolment.consent_at is not None
    assert list(enrolment_list_for_user(user=staff.user)) == [enrolment]
    assert enrolment_display_name(enrolment=enrolment) == "Camille D."


def test_declaring_twice_is_refused_and_a_session_of_another_training_too(young, training):
    enrolment_declare(candidate=young, training=training, today=TODAY)
    with pytest.raises(EnrolmentError) as error:
        enrolment_declare(candidate=young, training=training, today=TODAY)
    assert error.value.field == "training"
    other_session = TrainingSessionFactory()
    with pytest.raises(EnrolmentError) as error:
        enrolment_declare(candidate=young, training=TrainingFactory(), session=other_session, today=TODAY)
    assert error.value.field == "session"
    assert Enrolment.objects.count() == 1


def test_a_finished_session_is_refused(young, training):
    session = TrainingSessionFactory(training=training, starts_on=date(2023, 9, 1), ends_on=date(2025, 7, 1))
    with pytest.raises(EnrolmentError, match="session est terminée"):
        enrolment_declare(candidate=young, training=training, session=session, today=TODAY)


def test_a_centre_declaration_stays_hidden_from_the_centre_until_the_young_person_confirms(young, training, staff):
    enrolment = enrolment_invite(by=staff.user, email=young.user.email.upper(), training=training, today=TODAY)
    assert enrolment is not None and enrolment.consent_at is None
    assert Notification.objects.filter(recipient=young.user, title__startswith="Confirmez votre inscription").exists()
    assert list(enrolment_list_for_user(user=staff.user)) == []
    assert enrolment_pending_count_for_centres(user=staff.user) == 1
    assert enrolment_allowed_transitions(enrolment=enrolment, user=staff.user) == []
    with pytest.raises(EnrolmentError, match="attend la confirmation"):
        enrolment_withdraw(enrolment=enrolment, by=staff.user, today=TODAY)
    with pytest.raises(EnrolmentError):
        enrolment_confirm(enrolment=enrolment, by=staff.user)
    enrolment_confirm(enrolment=enrolment, by=young.user)
    assert list(enrolment_list_for_user(user=staff.user)) == [enrolment]
    assert enrolment_pending_count_for_centres(user=staff.user) == 0


def test_a_young_person_declines_a_centre_declaration_and_it_is_deleted(young, training, staff):
    enrolment = enrolment_invite(by=staff.user, email=young.user.email, training=training, today=TODAY)
    enrolment_decline(enrolment=enrolment, by=young.user)
    assert not Enrolment.objects.exists()


def test_an_unknown_e_mail_creates_nothing_and_another_centres_training_is_refused(young, training, staff):
    assert enrolment_invite(by=staff.user, email="personne@exemple.fr", training=training, today=TODAY) is None
    employer_email = UserFactory(role=Role.EMPLOYER).email
    assert enrolment_invite(by=staff.user, email=employer_email, training=training, today=TODAY) is None
    with pytest.raises(EnrolmentError) as error:
        enrolment_invite(by=staff.user, email=young.user.email, training=TrainingFactory(), today=TODAY)
    assert error.value.field == "training"
    with pytest.raises(EnrolmentError) as error:
        enrolment_invite(by=staff.user, email="pas-une-adresse", training=training, today=TODAY)
    assert error.value.field == "email"
    assert not Enrolment.objects.exists()


def test_signing_a_contract_through_an_application_marks_the_enrolment_signed(young, training, staff):
    enrolment = enrolment_declare(candidate=young, training=training, today=TODAY)
    employer = EstablishmentMembershipFactory()
    offer = OfferFactory(published=True, establishment=employer.establishment)
    application = application_create(candidate=young, offer=offer, today=TODAY)
    application_accept(application=application, by=employer.user, today=TODAY)
    application_sign_contract(application=application, by=young.user, today=date(2026, 11, 9))
    enrolment.refresh_from_db()
    assert enrolment.status == E.CONTRACT_SIGNED
    assert enrolment.status_on == date(2026, 11, 9)
    assert enrolment.signed_application_id == application.pk


def test_the_young_person_or_the_centre_reports_a_broken_contract_then_a_new_one(young, training, staff):
    enrolment = enrolment_declare(candidate=young, training=training, today=date(2026, 9, 1))
    enrolment_mark_signed(enrolment=enrolment, by=staff.user, on=date(2026, 9, 15), today=TODAY)
    with pytest.raises(EnrolmentError) as error:
        enrolment_report_broken(enrolment=enrolment, by=young.user, on=date(2026, 9, 10), today=TODAY)
    assert error.value.field == "on"
    with pytest.raises(EnrolmentError) as error:
        enrolment_report_broken(enrolment=enrolment, by=young.user, on=date(2026, 12, 1), today=TODAY)
    assert error.value.field == "on"
    enrolment = enrolment_report_broken(enrolment=enrolment, by=young.user, on=date(2026, 10, 20), today=TODAY)
    assert enrolment.status == E.CONTRACT_BROKEN and enrolment.status_on == date(2026, 10, 20)
    assert E.CONTRACT_SIGNED in enrolment_allowed_transitions(enrolment=enrolment, user=staff.user)
    enrolment = enrolment_mark_signed(enrolment=enrolment, by=staff.user, today=TODAY)
    assert enrolment.status == E.CONTRACT_SIGNED


def test_nobody_else_changes_an_enrolment_and_a_withdrawn_one_is_final(young, training, staff):
    enrolment = enrolment_declare(candidate=young, training=training, today=TODAY)
    other_staff = CentreMembershipFactory().user
    for outsider in (other_staff, UserFactory(role=Role.EMPLOYER), CandidateProfileFactory().user):
        assert enrolment_allowed_transitions(enrolment=enrolment, user=outsider) == []
        with pytest.raises(EnrolmentError, match="Seuls le jeune et son centre"):
            enrolment_withdraw(enrolment=enrolment, by=outsider, today=TODAY)
    with pytest.raises(EnrolmentError, match="ne peut pas passer"):
        enrolment_report_broken(enrolment=enrolment, by=young.user, today=TODAY)
    enrolment_withdraw(enrolment=enrolment, by=young.user, today=TODAY)
    with pytest.raises(EnrolmentError, match="retirée"):
        enrolment_transition(enrolment=enrolment, to_status=E.LOOKING, by=young.user, today=TODAY)
    # Withdrawn, the same training can be declared again.
    assert enrolment_declare(candidate=young, training=training, today=TODAY).status == E.LOOKING


def test_only_the_young_person_and_their_centres_see_an_enrolment(young, training, staff):
    enrolment = EnrolmentFactory(candidate=young, training=training)
    assert list(Enrolment.objects.visible_to(young.user)) == [enrolment]
    assert list(Enrolment.objects.visible_to(staff.user)) == [enrolment]
    for outsider in (
        AnonymousUser(),
        CentreMembershipFactory().user,
        UserFactory(role=Role.EMPLOYER),
        UserFactory(role=Role.ADVISOR),
        UserFactory(role=Role.ANALYST),
        CandidateProfileFactory().user,
    ):
        assert not Enrolment.objects.visible_to(outsider).exists()
    assert list(Enrolment.objects.visible_to(UserFactory(role=Role.ADMIN))) == [enrolment]


def test_a_young_person_finds_a_training_by_words_of_its_title_centre_or_commune(training):
    TrainingSessionFactory(training=training, starts_on=date(2023, 9, 1), ends_on=date(2025, 7, 1))
    current = TrainingSessionFactory(training=training)
    found = training_list_for_declaration(query="cap cuis", today=TODAY)
    assert training in found
    assert list(found[found.index(training)].sessions.all()) == [current]
    assert training_list_for_declaration(query="c", today=TODAY) == []
