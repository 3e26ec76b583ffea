"""Reads on trainings. Keyword-only, stable signatures:

- training_list_for_user(*, user) -> QuerySet[Training]      trainings of the centres the user acts for
- training_get_for_user(*, user, pk) -> Training | None
- training_list_with_places_near(*, commune_ids, rome_job_ids=None, level=None) -> QuerySet[Training]
    trainings with places left in the given communes (the caller computes commune ids with
    territory.selectors.commune_ids_within), their jobs and sessions prefetched.
- training_sessions_summary(*, trainings, today) -> dict[int, list[TrainingSession]]   upcoming sessions per training

Ranking and the "double match" are in guichet.matching.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet

from guichet.accounts.permissions import AnyUser
from guichet.trainings.models import Training, TrainingCentre, TrainingSession


def training_list_for_user(*, user: AnyUser) -> QuerySet[Training]:
    centres = TrainingCentre.objects.visible_to(user)
    return (
        Training.objects.filter(centre__in=centres)
        .select_related("centre", "commune", "level", "certification")
        .prefetch_related("sessions", "rome_jobs")
        .order_by("centre__name", "title", "pk")
    )


def training_get_for_user(*, user: AnyUser, pk: int) -> Training | None:
    return training_list_for_user(user=user).filter(pk=pk).first()


def training_list_with_places_near(
    *, commune_ids: Iterable[int], rome_job_ids: Iterable[int] | None = None, level: int | None = None
) -> QuerySet[Training]:
    queryset = Training.objects.filter(commune_id__in=list(commune_ids), remaining_places__gt=0)
    if rome_job_ids is not None:
        queryset = queryset.filter(rome_jobs__in=list(rome_job_ids)).distinct()
    if level is not None:
        queryset = queryset.filter(level_id=level)
    return queryset.select_related("centre", "commune").prefetch_related(
        Prefetch("sessions", queryset=TrainingSession.objects.order_by("starts_on")), "rome_jobs"
    )


def training_sessions_summary(*, trainings: Iterable[Training], today: date) -> dict[int, list[TrainingSession]]:
    ids = [training.pk for training in trainings]
    sessions: dict[int, list[TrainingSession]] = defaultdict(list)
    for session in TrainingSession.objects.filter(training_id__in=ids, starts_on__gte=today).order_by("starts_on"):
        sessions[session.training_id].append(session)
    return dict(sessions)
