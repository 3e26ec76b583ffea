from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.accounts.models import AdvisorAssignment
from guichet.support.enums import RequestStatus, Topic
from guichet.support.models import Attachment, SupportRequest, TopicDeadline
from guichet.support.services import (
    SupportError,
    advisor_pick,
    request_answer,
    request_close,
    request_create,
    request_reopen,
    request_reply_by_requester,
    requests_escalate,
    requests_remind,
    team_for,
    token_matches,
)
from guichet.support.tests.factories import (
    AbsenceFactory,
    AdvisorFactory,
    RoutingRuleFactory,
    TeamFactory,
    TeamMemberFactory,
    team_with_advisors,
    zone,
)
from guichet.territory.models import Commune

PARIS = ZoneInfo("Europe/Paris")
SAINT_QUENTIN = "02691"
AMIENS = "80021"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def create(**overrides):
    values = {
        "topic": Topic.PAY_AIDS,
        "profile": "parent",
        "commune": Commune.objects.get(insee=SAINT_QUENTIN),
        "name": "Claire Parent",
        "email": "claire.parent@exemple.fr",
        "message": "Combien sera payé mon fils de 17 ans ?",
        "now": at(date(2026, 12, 23)),
    }
    values.update(overrides)
    return request_create(**values)


@pytest.mark.django_db
def test_request_goes_to_the_team_of_its_zone_and_topic_and_its_least_loaded_advisor():
    team, (_busy, free) = team_with_advisors(zone_code="3220")
    other_team, _ = team_with_advisors(zone_code="3202")
    create(message="première")  # goes to `busy` (lowest id at equal load)
    created = create()
    assert created.request.team == team
    assert created.request.basin == zone("3220")
    assert created.request.advisor == free
    assert created.request.status == RequestStatus.ASSIGNED
    assert created.request.team != other_team


@pytest.mark.django_db
def test_a_topic_rule_beats_the_zone_rule_and_a_zone_and_topic_rule_beats_both():
    zone_team, _ = team_with_advisors(zone_code="3220")
    disability_team = TeamFactory()
    RoutingRuleFactory(team=disability_team, basin=None, topic=Topic.DISABILITY)
    assert team_for(basin=zone("3220"), topic=Topic.DISABILITY) == disability_team
    assert team_for(basin=zone("3220"), topic=Topic.PAY_AIDS) == zone_team
    local_disability = TeamFactory()
    RoutingRuleFactory(team=local_disability, basin=zone("3220"), topic=Topic.DISABILITY)
    assert team_for(basin=zone("3220"), topic=Topic.DISABILITY) == local_disability
    assert team_for(basin=zone("3202"), topic=Topic.PAY_AIDS) is None


@pytest.mark.django_db
def test_an_absent_advisor_gets_no_new_request_even_when_least_loaded():
    team, (absent, present) = team_with_advisors(zone_code="3220")
    create()
    SupportRequest.objects.update(advisor=present)
    AbsenceFactory(user=absent, starts_on=date(2026, 12, 21), ends_on=date(2026, 12, 31))
    assert advisor_pick(team=team, today=date(2026, 12, 23)) == present
    assert advisor_pick(team=team, today=date(2027, 1, 4)) == absent
    AbsenceFactory(user=present, starts_on=date(2026, 12, 23), ends_on=date(2026, 12, 23))
    assert advisor_pick(team=team, today=date(2026, 12, 23)) is None


@pytest.mark.django_db
def test_lead_who_takes_no_requests_is_never_picked():
    team = TeamFactory()
    TeamMemberFactory(team=team, is_lead=True, takes_requests=False)
    assert advisor_pick(team=team, today=date(2026, 12, 23)) is None


@pytest.mark.django_db(transaction=False)
def test_deadline_is_in_working_days_of_the_topic_and_crosses_christmas(django_capture_on_commit_callbacks):
    team_with_advisors(zone_code="3220")
    TopicDeadline.objects.update_or_create(topic=Topic.PAY_AIDS, defaults={"working_days": 3})
    with django_capture_on_commit_callbacks(execute=True):
        created = create(now=at(date(2026, 12, 23)))
    assert created.request.deadline == date(2026, 12, 29)  # 24, (25 Christmas, weekend), 28, 29
    assert created.request.reference.startswith("GA-2026-")
    subjects = [message.subject for message in mail.outbox]
    assert any(created.request.reference in subject for subject in subjects)
    requester_mail = next(message for message in mail.outbox if message.to == ["claire.parent@exemple.fr"])
    assert "29 décembre 2026" in requester_mail.body
    assert created.follow_path in requester_mail.body


@pytest.mark.django_db
def test_only_a_hash_of_the_secret_link_is_stored():
    created = create()
    assert created.token not in created.request.token_hash
    assert token_matches(created.request, created.token)
    assert not token_matches(created.request, created.token[:-1] + "x")
    assert not token_matches(created.request, "")


@pytest.mark.django_db
def test_empty_message_is_refused_and_nothing_is_saved():
    with pytest.raises(SupportError) as error:
        create(message="   \n ")
    assert error.value.field == "message"
    assert "vide" in str(error.value)
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_executable_renamed_pdf_is_refused_and_nothing_is_saved():
    fake = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(SupportError) as error:
        create(files=[fake])
    assert "programme" in str(error.value)
    assert not SupportRequest.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_pdf_attachment_is_stored_privately_under_a_random_name():
    created = create(files=[SimpleUploadedFile("bulletin de paie.pdf", PDF)])
    attachment = Attachment.objects.get(message__request=created.request)
    assert attachment.original_name == "bulletin de paie.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("private/support/")
    assert "bulletin" not in attachment.file.name
    attachment.file.delete(save=False)


@pytest.mark.django_db
def test_thread_answer_wait_reply_close_and_reopen_within_30_days():
    _, (advisor, _) = team_with_advisors(zone_code="3220")
    support_request = create(now=at(date(2026, 12, 23))).request
    request_answer(
        support_request=support_request,
        advisor=advisor,
        body="Envoyez la fiche de paie.",
        ask_requester=True,
        now=at(date(2026, 12, 24)),
    )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.WAITING_REQUESTER
    assert support_request.first_response_at == at(date(2026, 12, 24))
    assert support_request.answered_on is None
    request_reply_by_requester(support_request=support_request, body="La voici.", now=at(date(2026, 12, 28)))
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.ASSIGNED
    request_answer(
        support_request=support_request, advisor=advisor, body="Le salaire est correct.", now=at(date(2026, 12, 29))
    )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.ANSWERED
    assert support_request.answered_on == date(2026, 12, 29)
    assert support_request.answered_within_deadline
    request_close(support_request=support_request, rating=5, now=at(date(2026, 12, 30)))
    with pytest.raises(SupportError):
        request_reply_by_requester(support_request=support_request, body="Encore une chose")
    with pytest.raises(SupportError, match="plus de 30 jours"):
        request_reopen(support_request=support_request, now=at(date(2027, 2, 1)))
    request_reopen(support_request=support_request, now=at(date(2027, 1, 28)))
    assert support_request.status == RequestStatus.ASSIGNED
    assert support_request.deadline == date(2027, 2, 2)


@pytest.mark.django_db
def test_rating_must_be_between_1_and_5():
    support_request = create().request
    with pytest.raises(SupportError):
        request_close(support_request=support_request, rating=6)


@pytest.mark.django_db
def test_advisor_of_another_zone_cannot_answer():
    team_with_advisors(zone_code="3220")
    _, (stranger, _) = team_with_advisors(zone_code="3202")
    support_request = create().request
    with pytest.raises(SupportError):
        request_answer(support_request=support_request, advisor=stranger, body="Bonjour")


@pytest.mark.django_db
def test_reminder_before_the_deadline_then_escalation_to_the_lead_once_late():
    team, (_advisor, _) = team_with_advisors(zone_code="3220")
    lead = team.members.get(is_lead=True).user
    support_request = create(now=at(date(2026, 12, 23))).request  # due 29 December
    mail.outbox.clear()
    assert requests_remind(today=date(2026, 12, 24)) == 0
    assert requests_remind(today=date(2026, 12, 28)) == 1
    assert mail.outbox[-1].to == [support_request.advisor.email]
    assert requests_remind(today=date(2026, 12, 28)) == 0  # once
    assert requests_escalate(today=date(2026, 12, 29)) == 0
    assert requests_escalate(today=date(2026, 12, 30)) == 1
    assert mail.outbox[-1].to == [lead.email]
    assert requests_escalate(today=date(2026, 12, 31)) == 0


@pytest.mark.django_db
def test_request_from_outside_the_region_waits_for_an_administrator_without_team():
    created = create(commune=Commune.objects.get(insee="75056"))
    assert created.request.basin is None
    assert created.request.team is None
    assert created.request.status == RequestStatus.NEW


@pytest.mark.django_db
def test_visible_to_gives_advisors_their_zones_only():
    team_with_advisors(zone_code="3220")
    support_request = create().request
    inside = AdvisorFactory()
    AdvisorAssignment.objects.create(advisor=inside, basin=zone("3220"))
    outside = AdvisorFactory()
    AdvisorAssignment.objects.create(advisor=outside, basin=zone("3202"))
    assert support_request in SupportRequest.objects.visible_to(inside)
    assert support_request not in SupportRequest.objects.visible_to(outside)
    assert not SupportRequest.objects.visible_to(AdvisorFactory()).exists()


@pytest.mark.django_db
def test_pages_past_review_are_emailed_to_their_owner_once():
    from guichet.support.models import KnowledgePage
    from guichet.support.services import pages_flag_past_review

    owner = AdvisorFactory()
    KnowledgePage.objects.filter(slug="rupture-du-contrat").update(
        owner=owner, last_reviewed_on=date(2025, 1, 1), next_review_on=date(2026, 1, 1), review_flagged_at=None
    )
    mail.outbox.clear()
    assert pages_flag_past_review(today=date(2026, 11, 25)) >= 1
    owner_mail = next(message for message in mail.outbox if message.to == [owner.email])
    assert "Arrêter un contrat d'apprentissage" in owner_mail.body
    mail.outbox.clear()
    pages_flag_past_review(today=date(2026, 11, 26))
    assert not [message for message in mail.outbox if message.to == [owner.email]]
