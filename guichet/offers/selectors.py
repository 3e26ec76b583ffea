"""Reads on offers. Keyword-only, stable signatures:

- offer_get(*, pk, user) -> Offer | None                    an offer the user may see (Offer.objects.visible_to)
- offer_list_for_user(*, user, statuses=None) -> QuerySet   offers the user manages (employer, centre staff)
- offer_list_published_near(*, commune, radius_km, rome_job=None) -> QuerySet   published offers in the radius
- establishment_offer_counts(*, establishment_ids) -> dict[int, dict[str, int]]  offers per status and establishment

Ranking and explanations are in guichet.matching; application counts per offer in guichet.candidates.selectors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from guichet.accounts.permissions import AnyUser
from guichet.jobs.models import RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_ids_within


def offer_get(*, pk: int, user: AnyUser) -> Offer | None:
    return (
        Offer.objects.visible_to(user)
        .select_related("establishment__company", "rome_job", "appellation", "commune", "target_level")
        .filter(pk=pk)
        .first()
    )


def offer_list_for_user(*, user: AnyUser, statuses: Iterable[str] | None = None) -> QuerySet[Offer]:
    queryset = Offer.objects.editable_by(user).select_related(
        "establishment", "rome_job", "appellation", "commune", "target_level"
    )
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    return queryset.order_by("status", "-updated_at", "-pk")


def offer_list_published_near(
    *, commune: Commune, radius_km: float, rome_job: RomeJob | None = None
) -> QuerySet[Offer]:
    queryset = Offer.objects.filter(
        status=OfferStatus.PUBLISHED, commune__in=commune_ids_within(commune=commune, radius_km=radius_km)
    )
    if rome_job is not None:
        queryset = queryset.filter(rome_job=rome_job)
    return queryset.select_related("establishment", "rome_job", "appellation", "commune", "target_level")


def establishment_offer_counts(*, establishment_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OfferStatus.values, 0))
    rows = (
        Offer.objects.filter(establishment_id__in=list(establishment_ids))
        .values("establishment_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["establishment_id"]][row["status"]] = row["n"]
    return dict(counts)
