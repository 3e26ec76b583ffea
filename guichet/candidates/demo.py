"""Demo step of the candidates app: synthetic young people enrolled in the synthetic trainings of every
training centre (looking for an employer, under contract, contract broken, a few withdrawn), so that each
centre's page of young people without an employer, including the demo centre account's, is not empty.

Registered by matching (below contracts in the dependency order) with contracts.demo.extensions; this module
imports nothing from contracts: it receives the step's context (`today`, `rng(name)`)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Protocol

from django.utils import timezone

from guichet.candidates.enums import EnrolmentSource, EnrolmentStatus
from guichet.candidates.models import CandidateProfile, Enrolment
from guichet.territory.models import BasinGrid, BasinMembership
from guichet.trainings.models import Training, TrainingSession

ENROLMENTS_PER_CENTRE = (2, 5)
# UNSOURCED: illustrative shares of the situations of young people a CFA follows.
STATUS_WEIGHTS = {
    EnrolmentStatus.LOOKING: 50,
    EnrolmentStatus.CONTRACT_BROKEN: 20,
    EnrolmentStatus.CONTRACT_SIGNED: 25,
    EnrolmentStatus.WITHDRAWN: 5,
}


class StepContext(Protocol):
    today: date

    def rng(self, name: str) -> random.Random: ...


def _zones_of(commune_ids: set[int]) -> dict[int, int]:
    return dict(
        BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI, commune_id__in=commune_ids).values_list(
            "commune_id", "basin_id"
        )
    )


def generate_demo_enrolments(context: StepContext) -> dict[str, int]:
    rng, today = context.rng("candidates.enrolments"), context.today
    trainings_by_centre: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, centre_id, commune_id in (
        Training.objects.filter(is_synthetic=True).order_by("pk").values_list("pk", "centre_id", "commune_id")
    ):
        trainings_by_centre[centre_id].append((pk, commune_id))
    if not trainings_by_centre:
        return {"inscriptions en formation": 0}
    sessions: dict[int, list[int]] = defaultdict(list)
    for pk, training_id in (
        TrainingSession.objects.filter(training__is_synthetic=True, ends_on__gte=today)
        .order_by("starts_on", "pk")
        .values_list("pk", "training_id")
    ):
        sessions[training_id].append(pk)
    profiles = list(
        CandidateProfile.objects.filter(is_synthetic=True, user__isnull=True)
        .order_by("pk")
        .values_list("pk", "commune_id", "commune__parent_id")
    )
    training_communes = {commune for items in trainings_by_centre.values() for _, commune in items}
    zones = _zones_of(training_communes | {parent or commune for _, commune, parent in profiles})
    young_by_zone: dict[int, list[int]] = defaultdict(list)
    for pk, commune, parent in profiles:
        zone = zones.get(parent or commune)
        if zone is not None:
            young_by_zone[zone].append(pk)
    for pool in young_by_zone.values():
        rng.shuffle(pool)

    now = timezone.now()
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    enrolments: list[Enrolment] = []
    for centre_id in sorted(trainings_by_centre):
        centre_trainings = trainings_by_centre[centre_id]
        created = 0
        for _ in range(rng.randint(*ENROLMENTS_PER_CENTRE)):
            training_id, commune_id = rng.choice(centre_trainings)
            pool = young_by_zone.get(zones.get(commune_id, -1), [])
            if not pool:
                continue
            # The first one of each centre looks for an employer: every centre's page shows at least one.
            status = EnrolmentStatus.LOOKING if created == 0 else rng.choices(statuses, weights=weights)[0]
            created += 1
            days = rng.randint(3, 60) if status == EnrolmentStatus.CONTRACT_BROKEN else rng.randint(0, 150)
            enrolments.append(
                Enrolment(
                    candidate_id=pool.pop(),
                    training_id=training_id,
                    session_id=rng.choice(sessions[training_id]) if sessions.get(training_id) else None,
                    status=status,
                    status_on=today - timedelta(days=days),
                    source=EnrolmentSource.YOUNG if rng.random() < 0.7 else EnrolmentSource.CENTRE,
                    consent_at=now - timedelta(days=days + rng.randint(0, 30)),
                    is_synthetic=True,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    return {"inscriptions en formation": len(enrolments)}


def delete_demo_enrolments() -> dict[str, int]:
    deleted, _ = Enrolment.objects.filter(is_synthetic=True).delete()
    return {"inscriptions en formation": deleted}
