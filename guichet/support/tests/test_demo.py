from datetime import date

import pytest

from guichet.contracts.demo.extensions import DemoContext
from guichet.support.demo import delete_demo_support, generate_demo_support
from guichet.support.enums import RequestStatus
from guichet.support.models import KnowledgePage, SupportRequest, Team


@pytest.mark.django_db
def test_demo_step_creates_requests_in_every_state_some_late_and_pages_past_review_then_deletes_them():
    today = date(2026, 11, 25)
    counts = generate_demo_support(DemoContext(seed=7, scale="region", ratio=0.1, fraction=0.5, today=today))
    assert counts["demandes"] >= 40
    statuses = set(SupportRequest.objects.filter(is_synthetic=True).values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    assert SupportRequest.objects.filter(
        is_synthetic=True, status__in=["new", "assigned"], deadline__lt=today
    ).exists()
    assert KnowledgePage.objects.filter(is_synthetic=True, next_review_on__lt=today).count() == 2
    deleted = delete_demo_support()
    assert deleted["équipes de conseillers"] == Team.objects.filter(is_synthetic=True).count() + 6
    assert not SupportRequest.objects.filter(is_synthetic=True).exists()
