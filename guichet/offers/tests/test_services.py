from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from guichet.candidates.enums import ApplicationStatus, RefusalReason
from guichet.candidates.tests.factories import ApplicationFactory
from guichet.employers.tests.factories import EstablishmentFactory, EstablishmentMembershipFactory, commune
from guichet.jobs.models import Appellation, DiplomaLevel, RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.offers.services import (
    OfferChanges,
    OfferError,
    offer_create,
    offer_expire_stale,
    offer_expiry_date,
    offer_fill,
    offer_publish,
    offer_send_expiry_notices,
    offer_update,
    offer_withdraw,
)
from guichet.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def _create(**overrides):
    values = {
        "establishment": EstablishmentFactory(),
        "rome_job": RomeJob.objects.get(code="J1501"),
        "title": "Aide-soignant en apprentissage",
        "commune": commune("80021"),
        "target_level": DiplomaLevel.objects.get(level=4),
        "starts_on": date(2027, 9, 1),
        "duration_months": 24,
        "positions": 1,
        "today": TODAY,
    }
    values.update(overrides)
    return offer_create(**values)


def test_a_valid_offer_is_created_as_a_draft():
    offer = _create()
    assert offer.status == OfferStatus.DRAFT
    assert offer.weekly_hours == Decimal("35")


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"starts_on": date(2026, 11, 24)}, "starts_on", "déjà passée"),
        ({"positions": 0}, "positions", "au moins un poste"),
        ({"positions": None}, "positions", "au moins un poste"),
        ({"duration_months": 5}, "duration_months", "6 à 36 mois"),
        ({"duration_months": 37}, "duration_months", "6 à 36 mois"),
        ({"rome_job": None}, "rome_job", "code ROME"),
        ({"title": "  "}, "title", "intitulé"),
        ({"weekly_hours": Decimal("60")}, "weekly_hours", "48 heures"),
    ],
)
def test_an_offer_breaking_a_rule_is_refused_with_its_field_and_nothing_is_saved(overrides, field, words):
    before = Offer.objects.count()
    with pytest.raises(OfferError) as error:
        _create(**overrides)
    assert error.value.field == field
    assert words in str(error.value)
    assert Offer.objects.count() == before


def test_an_appellation_of_another_job_is_refused():
    other = Appellation.objects.exclude(job__code="J1501").first()
    with pytest.raises(OfferError) as error:
        _create(appellation=other)
    assert error.value.field == "appellation"


def test_a_draft_is_published_then_filled():
    offer = offer_publish(offer=_create(), today=TODAY)
    assert offer.status == OfferStatus.PUBLISHED and offer.published_at is not None
    offer = offer_fill(offer=offer, today=TODAY)
    assert offer.status == OfferStatus.FILLED and offer.closed_at is not None


def test_a_published_offer_cannot_be_published_again():
    offer = offer_publish(offer=_create(), today=TODAY)
    with pytest.raises(OfferError, match="brouillon"):
        offer_publish(offer=offer, today=TODAY)


def test_a_draft_whose_start_date_passed_cannot_be_published():
    offer = _create(starts_on=date(2026, 12, 1))
    with pytest.raises(OfferError, match="déjà passée"):
        offer_publish(offer=offer, today=date(2026, 12, 2))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT


def test_a_draft_cannot_be_filled_and_a_withdrawn_offer_cannot_change():
    draft = _create()
    with pytest.raises(OfferError):
        offer_fill(offer=draft, today=TODAY)
    withdrawn = offer_withdraw(offer=draft, today=TODAY)
    assert withdrawn.status == OfferStatus.WITHDRAWN
    for action in (offer_publish, offer_fill, offer_withdraw):
        with pytest.raises(OfferError):
            action(offer=withdrawn, today=TODAY)
    with pytest.raises(OfferError, match="ne peut plus être modifiée"):
        offer_update(offer=withdrawn, changes=OfferChanges(positions=2), today=TODAY)


def test_updating_an_offer_checks_the_rules_and_saves_nothing_when_one_fails():
    offer = _create()
    with pytest.raises(OfferError) as error:
        offer_update(offer=offer, changes=OfferChanges(positions=0), today=TODAY)
    assert error.value.field == "positions"
    offer.refresh_from_db()
    assert offer.positions == 1
    offer = offer_update(offer=offer, changes=OfferChanges(positions=3, title="Aide-soignante"), today=TODAY)
    assert (offer.positions, offer.title) == (3, "Aide-soignante")


def test_withdrawing_a_published_offer_closes_its_open_applications_politely():
    application = ApplicationFactory()
    offer_withdraw(offer=application.offer, today=TODAY)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert application.reason == RefusalReason.OFFER_CLOSED
    assert application.events.last().author is None


@pytest.fixture
def stale_offer(settings):
    settings.OFFER_EXPIRY_DAYS = 60
    settings.OFFER_EXPIRY_NOTICE_DAYS = 7
    membership = EstablishmentMembershipFactory()
    offer = OfferFactory(published=True, establishment=membership.establishment)
    updated = timezone.make_aware(timezone.datetime(2026, 9, 1, 10, 0))
    Offer.objects.filter(pk=offer.pk).update(updated_at=updated)
    offer.refresh_from_db()
    return offer


def test_an_untouched_offer_expires_after_the_configured_delay_with_a_notice_before(
    stale_offer, django_capture_on_commit_callbacks
):
    assert offer_expiry_date(offer=stale_offer) == date(2026, 10, 31)
    # 52 days after the update: too early for the notice.
    assert offer_send_expiry_notices(today=date(2026, 10, 22)) == 0
    assert offer_send_expiry_notices(today=date(2026, 10, 24)) == 1
    assert len(mail.outbox) == 1 and "31/10/2026" in mail.outbox[0].subject
    assert offer_send_expiry_notices(today=date(2026, 10, 25)) == 0  # once per offer
    assert offer_expire_stale(today=date(2026, 10, 30)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_expire_stale(today=date(2026, 10, 31)) == 1
    stale_offer.refresh_from_db()
    assert stale_offer.status == OfferStatus.EXPIRED
    assert "a expiré" in mail.outbox[-1].subject


def test_updating_an_offer_restarts_its_expiry_delay(stale_offer):
    offer_update(offer=stale_offer, changes=OfferChanges(positions=2), today=date(2026, 10, 30))
    assert offer_expire_stale(today=date(2026, 10, 31)) == 0


def test_the_expiry_delay_follows_the_setting(stale_offer, settings):
    settings.OFFER_EXPIRY_DAYS = 90
    assert offer_expire_stale(today=date(2026, 10, 31)) == 0
    assert offer_expire_stale(today=date(2026, 11, 30)) == 1


def test_the_expiry_jobs_are_registered_as_periodic():
    from guichet.core.scheduling import periodic_jobs

    names = {job.name for job in periodic_jobs()}
    assert {"offers.expiry_notices", "offers.expire_stale", "candidates.employer_silence"} <= names


def test_expiry_delay_counts_from_the_update_not_the_publication(stale_offer):
    assert offer_expiry_date(offer=stale_offer) - timezone.localdate(stale_offer.updated_at) == timedelta(days=60)
