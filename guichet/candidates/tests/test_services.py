from datetime import date

import pytest
from django.core import mail

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.enums import ApplicationStatus as S
from guichet.candidates.enums import EventKind, RefusalReason, WithdrawalReason
from guichet.candidates.models import Application, CandidateProfile, Notification
from guichet.candidates.services import (
    ApplicationError,
    ProfileChanges,
    ProfileError,
    application_allowed_transitions,
    application_create,
    application_process_silence,
    application_refuse,
    application_sign_contract,
    application_transition,
    candidate_profile_create,
    candidate_profile_update,
    silence_deadlines,
)
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.employers.tests.factories import EstablishmentMembershipFactory, commune
from guichet.offers.enums import OfferStatus
from guichet.offers.tests.factories import OfferFactory
from guichet.territory.models import Basin, BasinGrid

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 5)  # a Thursday; Wednesday 11 November is a public holiday


@pytest.fixture
def offer():
    membership = EstablishmentMembershipFactory()
    return OfferFactory(published=True, establishment=membership.establishment, commune=commune("80021"))


@pytest.fixture
def employer(offer):
    return offer.establishment.memberships.get().user


@pytest.fixture
def young():
    return CandidateProfileFactory()


@pytest.fixture
def application(young, offer):
    return application_create(candidate=young, offer=offer, message="Bonjour", today=TODAY)


# --- Profiles ---------------------------------------------------------------------------------------------------


def test_turning_visibility_on_records_the_consent_and_off_clears_it():
    user = UserFactory(role=Role.YOUNG)
    profile = candidate_profile_create(user=user, birth_date=date(2007, 1, 1), commune=commune(), today=TODAY)
    assert profile.visibility_consent_at is None
    profile = candidate_profile_update(profile=profile, changes=ProfileChanges(visible_to_employers=True), today=TODAY)
    assert profile.visible_to_employers and profile.visibility_consent_at is not None
    profile = candidate_profile_update(
        profile=profile, changes=ProfileChanges(visible_to_employers=False), today=TODAY
    )
    assert not profile.visible_to_employers and profile.visibility_consent_at is None


def test_a_profile_with_an_impossible_radius_or_birth_date_is_refused_and_not_saved():
    user = UserFactory(role=Role.YOUNG)
    with pytest.raises(ProfileError) as error:
        candidate_profile_create(
            user=user, birth_date=date(2007, 1, 1), commune=commune(), mobility_radius_km=0, today=TODAY
        )
    assert error.value.field == "mobility_radius_km"
    with pytest.raises(ProfileError) as error:
        candidate_profile_create(user=user, birth_date=date(2020, 1, 1), commune=commune(), today=TODAY)
    assert error.value.field == "birth_date"
    assert not CandidateProfile.objects.filter(user=user).exists()


def test_only_a_young_person_account_gets_a_candidate_profile():
    with pytest.raises(ProfileError):
        candidate_profile_create(
            user=UserFactory(role=Role.EMPLOYER), birth_date=date(2007, 1, 1), commune=commune(), today=TODAY
        )


# --- Workflow ---------------------------------------------------------------------------------------------------


def test_applying_records_a_dated_event_by_the_young_person_and_tells_both_sides(application, young, employer):
    event = application.events.get()
    assert (event.to_status, event.author, event.on) == (S.SENT, young.user, TODAY)
    assert Notification.objects.filter(recipient=young.user, application=application).exists()
    assert Notification.objects.filter(recipient=employer, application=application).exists()


def test_applying_twice_to_the_same_offer_is_refused(application, young, offer):
    with pytest.raises(ApplicationError, match="déjà une candidature en cours"):
        application_create(candidate=young, offer=offer, today=TODAY)
    assert Application.objects.filter(candidate=young, offer=offer).count() == 1


def test_a_draft_offer_receives_no_application(young):
    with pytest.raises(ApplicationError, match="brouillon"):
        application_create(candidate=young, offer=OfferFactory(), today=TODAY)


def test_an_offer_is_paused_at_the_configured_number_of_pending_applications(settings, offer):
    settings.OFFER_PAUSE_PENDING_APPLICATIONS = 2
    for _ in range(2):
        application_create(candidate=CandidateProfileFactory(), offer=offer, today=TODAY)
    with pytest.raises(ApplicationError, match="en pause"):
        application_create(candidate=CandidateProfileFactory(), offer=offer, today=TODAY)


@pytest.mark.parametrize(
    "path",
    [
        [S.SEEN, S.INTERVIEW, S.ACCEPTED, S.CONTRACT_SIGNED],
        [S.INTERVIEW, S.ACCEPTED],
        [S.SEEN, S.ACCEPTED],
        [S.ACCEPTED],
    ],
)
def test_the_employer_moves_an_application_along_the_workflow_and_each_step_is_dated_with_its_author(
    application, employer, path
):
    for day, status in enumerate(path, start=6):
        application = application_transition(
            application=application, to_status=status, by=employer, today=date(2026, 11, day)
        )
    assert application.status == path[-1]
    events = list(application.events.order_by("pk"))[1:]
    assert [(e.from_status, e.to_status) for e in events] == list(zip([S.SENT, *path[:-1]], path, strict=True))
    assert all(event.author == employer for event in events)
    assert [event.on.day for event in events] == list(range(6, 6 + len(path)))


def test_the_first_answer_date_is_kept_and_seen_is_not_an_answer(application, employer):
    application = application_transition(application=application, to_status=S.SEEN, by=employer, today=TODAY)
    assert application.answered_on is None
    application = application_transition(
        application=application, to_status=S.INTERVIEW, by=employer, today=date(2026, 11, 9)
    )
    assert application.answered_on == date(2026, 11, 9)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.SENT, S.CONTRACT_SIGNED),
        (S.INTERVIEW, S.SEEN),
        (S.ACCEPTED, S.INTERVIEW),
        (S.SEEN, S.SENT),
    ],
)
def test_an_invalid_transition_is_refused_with_a_clear_message_and_nothing_changes(
    application, employer, start, target
):
    Application.objects.filter(pk=application.pk).update(status=start)
    application.refresh_from_db()
    events = application.events.count()
    with pytest.raises(ApplicationError, match="ne peut pas passer"):
        application_transition(application=application, to_status=target, by=employer, today=TODAY)
    application.refresh_from_db()
    assert application.status == start and application.events.count() == events


@pytest.mark.parametrize("final", [S.CONTRACT_SIGNED, S.REFUSED, S.WITHDRAWN])
def test_a_closed_application_never_changes_again(application, employer, final):
    Application.objects.filter(pk=application.pk).update(status=final)
    with pytest.raises(ApplicationError, match="déjà close"):
        application_transition(application=application, to_status=S.SEEN, by=employer, today=TODAY)


def test_a_young_person_cannot_accept_their_own_application_nor_an_employer_withdraw_it(application, young, employer):
    with pytest.raises(ApplicationError, match="Seul l'employeur"):
        application_transition(application=application, to_status=S.ACCEPTED, by=young.user, today=TODAY)
    with pytest.raises(ApplicationError, match="Seul le jeune"):
        application_transition(application=application, to_status=S.WITHDRAWN, by=employer, today=TODAY)
    assert application_allowed_transitions(application=application, user=young.user) == [S.WITHDRAWN]
    assert S.WITHDRAWN not in application_allowed_transitions(application=application, user=employer)


def test_another_employer_cannot_touch_the_application(application):
    stranger = EstablishmentMembershipFactory().user
    with pytest.raises(ApplicationError):
        application_transition(application=application, to_status=S.SEEN, by=stranger, today=TODAY)
    assert application_allowed_transitions(application=application, user=stranger) == []


def test_a_refusal_needs_a_reason_from_the_list(application, employer):
    with pytest.raises(ApplicationError, match="motif"):
        application_refuse(application=application, by=employer, reason="", today=TODAY)
    with pytest.raises(ApplicationError, match="motif"):
        application_refuse(application=application, by=employer, reason=RefusalReason.NO_RESPONSE, today=TODAY)
    application = application_refuse(application=application, by=employer, reason=RefusalReason.LEVEL, today=TODAY)
    assert (application.status, application.reason, application.closed_on) == (S.REFUSED, "level", TODAY)
    notice = Notification.objects.filter(application=application, recipient=application.candidate.user).first()
    assert "niveau de diplôme" in notice.body


def test_the_young_person_withdraws_and_the_employer_is_told(application, young, employer):
    application = application_transition(application=application, to_status=S.WITHDRAWN, by=young.user, today=TODAY)
    assert application.reason == WithdrawalReason.YOUNG_CHOICE
    assert Notification.objects.filter(recipient=employer, title__startswith="Candidature retirée").exists()


def test_signing_a_contract_closes_the_other_open_applications_politely_and_fills_the_offer(
    application, young, employer
):
    other = application_create(candidate=young, offer=OfferFactory(published=True), today=TODAY)
    rival = application_create(candidate=CandidateProfileFactory(), offer=application.offer, today=TODAY)
    application_transition(application=application, to_status=S.ACCEPTED, by=employer, today=TODAY)
    application_sign_contract(application=application, by=employer, today=date(2026, 11, 6))
    other.refresh_from_db()
    rival.refresh_from_db()
    assert (other.status, other.reason) == (S.WITHDRAWN, WithdrawalReason.CONTRACT_ELSEWHERE)
    assert other.events.last().author is None
    application.offer.refresh_from_db()
    assert application.offer.status == OfferStatus.FILLED  # one position
    assert (rival.status, rival.reason) == (S.REFUSED, RefusalReason.OFFER_CLOSED)


# --- Employer silence -------------------------------------------------------------------------------------------


def test_silence_deadlines_are_counted_in_working_days_skipping_the_11_november():
    assert silence_deadlines(sent_on=TODAY) == (date(2026, 11, 13), date(2026, 11, 20), date(2026, 11, 27))


@pytest.fixture
def advisor():
    user = UserFactory(role=Role.ADVISOR, email="conseil@exemple.fr")
    AdvisorAssignment.objects.create(advisor=user, basin=Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code="3202"))
    return user


def test_a_silent_employer_is_reminded_then_an_advisor_is_seized_then_the_application_is_closed(
    application, advisor, employer, young, django_capture_on_commit_callbacks
):
    assert application_process_silence(today=date(2026, 11, 12)).reminded == 0
    with django_capture_on_commit_callbacks(execute=True):
        report = application_process_silence(today=date(2026, 11, 13))
    assert (report.reminded, report.escalated, report.closed) == (1, 0, 0)
    assert any(employer.email in message.to and "attend votre réponse" in message.subject for message in mail.outbox)
    assert application_process_silence(today=date(2026, 11, 19)).as_text().startswith("0 employeurs relancés, 0")
    report = application_process_silence(today=date(2026, 11, 20))
    assert report.escalated == 1
    application.refresh_from_db()
    assert (application.escalated_on, application.escalated_to) == (date(2026, 11, 20), advisor)
    assert Notification.objects.filter(recipient=advisor, kind="escalation").exists()
    assert application_process_silence(today=date(2026, 11, 26)).closed == 0
    assert application_process_silence(today=date(2026, 11, 27)).closed == 1
    application.refresh_from_db()
    assert (application.status, application.reason) == (S.REFUSED, RefusalReason.NO_RESPONSE)
    kinds = list(application.events.order_by("pk").values_list("kind", "author"))
    assert kinds == [
        (EventKind.TRANSITION, young.user.pk),
        (EventKind.REMINDER, None),
        (EventKind.ESCALATION, None),
        (EventKind.TRANSITION, None),
    ]
    young_titles = list(Notification.objects.filter(recipient=young.user).values_list("kind", flat=True))
    assert {"reminder", "escalation", "closure"} <= set(young_titles)


def test_an_answer_stops_the_silence_rule(application, employer):
    application_transition(application=application, to_status=S.INTERVIEW, by=employer, today=date(2026, 11, 6))
    report = application_process_silence(today=date(2026, 12, 31))
    assert (report.reminded, report.escalated, report.closed) == (0, 0, 0)


def test_a_seen_application_still_counts_as_unanswered(application, employer):
    application_transition(application=application, to_status=S.SEEN, by=employer, today=date(2026, 11, 6))
    assert application_process_silence(today=date(2026, 11, 13)).reminded == 1


def test_escalation_without_an_advisor_in_the_zone_is_recorded(application):
    application_process_silence(today=date(2026, 11, 20))
    application.refresh_from_db()
    assert application.escalated_to is None
    assert "Aucun conseiller" in application.events.get(kind=EventKind.ESCALATION).note


def test_an_application_left_long_unanswered_gets_every_step_in_one_run(offer):
    application = ApplicationFactory(offer=offer, sent_on=date(2026, 10, 1))
    report = application_process_silence(today=TODAY)
    assert (report.reminded, report.escalated, report.closed) == (1, 1, 1)
    application.refresh_from_db()
    assert application.reason == RefusalReason.NO_RESPONSE
