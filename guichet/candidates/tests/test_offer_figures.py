"""Each offer's application figures, kept by the database's triggers (migration candidates 0005): the pending count
equals a count of the rows after every kind of write, and the last sending date never falls behind the rows."""

import importlib
from datetime import date

import pytest
from django.db.models import Max

from guichet.candidates.enums import OPEN_STATUSES, ApplicationStatus, RefusalReason
from guichet.candidates.models import Application
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.offers.models import Offer
from guichet.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def assert_figures(*offers):
    for offer in offers:
        stored = Offer.objects.values_list("pending_applications", "last_application_on").get(pk=offer.pk)
        rows = Application.objects.filter(offer=offer)
        assert stored[0] == rows.filter(status__in=OPEN_STATUSES).count()
        latest = rows.aggregate(latest=Max("sent_on"))["latest"]
        assert latest is None or (stored[1] is not None and stored[1] >= latest)


def test_every_kind_of_write_keeps_the_pending_count_and_the_last_sending_date():
    first, second = OfferFactory(published=True), OfferFactory(published=True)
    assert_figures(first, second)
    sent = [ApplicationFactory(offer=first, sent_on=date(2026, 11, day)) for day in (3, 9, 12)]
    ApplicationFactory(offer=second, status=ApplicationStatus.REFUSED, reason=RefusalReason.LEVEL)
    assert Offer.objects.get(pk=first.pk).pending_applications == 3
    assert Offer.objects.get(pk=first.pk).last_application_on == date(2026, 11, 12)
    assert Offer.objects.get(pk=second.pk).pending_applications == 0
    assert_figures(first, second)

    sent[0].status = ApplicationStatus.SEEN  # open to open
    sent[0].save()
    sent[1].status, sent[1].reason = ApplicationStatus.REFUSED, RefusalReason.PROFILE  # open to closed
    sent[1].save()
    assert Offer.objects.get(pk=first.pk).pending_applications == 2
    Application.objects.filter(pk=sent[2].pk).update(offer=second)  # moved: one less here, one more there
    assert (
        Offer.objects.get(pk=first.pk).pending_applications,
        Offer.objects.get(pk=second.pk).pending_applications,
    ) == (
        1,
        1,
    )
    Application.objects.filter(offer=second).update(sent_on=date(2026, 12, 1))
    assert Offer.objects.get(pk=second.pk).last_application_on == date(2026, 12, 1)
    Application.objects.filter(offer=second).update(sent_on=date(2026, 10, 1))  # never moved back
    assert Offer.objects.get(pk=second.pk).last_application_on == date(2026, 12, 1)
    assert_figures(first, second)

    sent[0].delete()
    assert Offer.objects.get(pk=first.pk).pending_applications == 0
    profile = CandidateProfileFactory()
    ApplicationFactory(offer=first, candidate=profile)
    ApplicationFactory(offer=second, candidate=profile)
    profile.delete()  # the applications go with the profile (cascade)
    Application.objects.bulk_create(
        [Application(candidate=CandidateProfileFactory(), offer=first, sent_on=date(2026, 11, 20)) for _ in range(3)]
    )
    assert Offer.objects.get(pk=first.pk).pending_applications == 3
    assert_figures(first, second)


def test_an_offer_read_before_an_application_does_not_write_a_stale_count_back():
    offer = OfferFactory(published=True)
    stale = Offer.objects.get(pk=offer.pk)
    ApplicationFactory(offer=offer)
    stale.title = "Titre corrigé"
    stale.save()
    fresh = Offer.objects.get(pk=offer.pk)
    assert (fresh.title, fresh.pending_applications, fresh.last_application_on) == (
        "Titre corrigé",
        1,
        date(2026, 11, 5),
    )


def test_the_triggers_know_the_open_statuses_of_the_code():
    migration = importlib.import_module("guichet.candidates.migrations.0005_offer_application_figures_triggers")
    expected = "(" + ", ".join(f"'{status}'" for status in sorted(OPEN_STATUSES)) + ")"
    assert expected == migration.OPEN
