from datetime import date

import pytest

from guichet.candidates.enums import ApplicationStatus, RefusalReason
from guichet.candidates.models import Application, ApplicationEvent
from guichet.contracts.demo.generator import generate_demo_population
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Basin, BasinGrid, BasinMembership
from guichet.trainings.models import Training

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def _fingerprint():
    return list(
        Application.objects.order_by("offer__title", "sent_on", "status", "candidate__birth_date").values_list(
            "status", "sent_on", "reason", "offer__commune__insee"
        )
    )


def test_every_zone_has_published_offers_trainings_with_places_and_applications_at_every_stage():
    summary = generate_demo_population(seed=3, fraction=0.05, today=TODAY)
    assert summary.counts["candidatures"] > 0
    zone_communes = {
        code: set(
            BasinMembership.objects.filter(basin__code=code, grid=BasinGrid.ZONE_EMPLOI).values_list(
                "commune_id", flat=True
            )
        )
        for code in Basin.objects.filter(grid=BasinGrid.ZONE_EMPLOI).values_list("code", flat=True)
    }
    published = Offer.objects.filter(is_synthetic=True, status=OfferStatus.PUBLISHED)
    for code, communes in zone_communes.items():
        assert published.filter(commune_id__in=communes).exists(), f"zone {code} sans offre publiée"
    with_places = Training.objects.filter(is_synthetic=True, remaining_places__gt=0, sessions__starts_on__gt=TODAY)
    assert with_places.exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    assert Application.objects.filter(reason=RefusalReason.NO_RESPONSE).exists()
    assert Application.objects.filter(status=ApplicationStatus.SENT, escalated_on__isnull=False).exists()
    # Every application has its dated history, starting with its sending.
    assert ApplicationEvent.objects.filter(to_status=ApplicationStatus.SENT).count() == Application.objects.count()


def test_the_market_is_deterministic_and_replaced_on_rerun():
    generate_demo_population(seed=3, fraction=0.02, today=TODAY)
    first, count = _fingerprint(), Application.objects.count()
    generate_demo_population(seed=3, fraction=0.02, today=TODAY)
    assert Application.objects.count() == count
    assert _fingerprint() == first


def test_demo_accounts_can_play_the_aide_soignant_journey():
    from guichet.accounts.models import User
    from guichet.contracts.demo.accounts import create_demo_accounts

    generate_demo_population(seed=3, fraction=0.05, today=TODAY)
    create_demo_accounts(today=TODAY)
    young = User.objects.get(email="jeune@demo.guichet.test").candidate_profile
    assert list(young.wished_jobs.values_list("code", flat=True)) == ["J1501"]
    assert young.visible_to_employers and young.visibility_consent_at is not None
    employer = User.objects.get(email="employeur@demo.guichet.test")
    offer = Offer.objects.get(establishment__memberships__user=employer, rome_job__code="J1501")
    assert offer.status == OfferStatus.PUBLISHED
    assert set(offer.applications.values_list("status", flat=True)) <= {"sent", "seen", "interview"}
    for application in offer.applications.all():
        assert application.events.order_by("pk").last().to_status == application.status
