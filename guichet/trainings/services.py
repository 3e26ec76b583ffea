"""Writes on trainings, by training-centre staff. Keyword-only, stable signatures:

- training_create(*, centre, title, commune, level, total_places, duration_months, rome_jobs=(),
  certification=None, remaining_places=None, rhythm="", by) -> Training
- training_update(*, training, by, title=None, total_places=None, remaining_places=None, duration_months=None,
  rhythm=None, level=None, commune=None) -> Training
- training_session_add(*, training, starts_on, ends_on, by) -> TrainingSession
- training_session_delete(*, session, by) -> None
- training_place_take(*, training, count=1) -> int      remaining places after; TrainingError when too few
- training_place_release(*, training, count=1) -> int   remaining places after; never above total_places

Every write keeps the training slots (guichet.trainings.slots, the offer search's index) exact in the same
transaction: through the slots' save/delete/jobs receivers, and explicitly for the places' UPDATE.

`by` must act for the training's centre (trainings.CentreMembership) or be an administrator: else TrainingError.
Places never go negative, even under concurrent requests: the decrement is ONE conditional UPDATE
(... SET remaining_places = remaining_places - n WHERE remaining_places >= n), atomic in the database, and the
check constraint `training_remaining_places_within_total` stays as the last guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F

from guichet.accounts.permissions import AnyUser, is_admin
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.territory.models import Commune
from guichet.trainings.models import Certification, Training, TrainingCentre, TrainingSession
from guichet.trainings.slots import training_slots_set_places


class TrainingError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_staff(*, centre: TrainingCentre, by: AnyUser) -> None:
    if is_admin(by):
        return
    if not (by.is_authenticated and centre.memberships.filter(user=by).exists()):
        raise TrainingError(
            "Vous n'agissez pas pour ce centre de formation : vous ne pouvez pas modifier ses formations."
        )


def _check_places(*, total: int | None, remaining: int | None) -> None:
    if total is None or total < 0 or total > 1000:
        raise TrainingError("Indiquez un nombre de places entre 0 et 1000.", field="total_places")
    if remaining is None or remaining < 0 or remaining > total:
        raise TrainingError(f"Les places restantes vont de 0 au nombre de places ({total}).", field="remaining_places")


def _check_duration(months: int | None) -> None:
    if months is None or not 6 <= months <= 48:
        raise TrainingError("La durée de la formation va de 6 à 48 mois.", field="duration_months")


def _check_level(level: DiplomaLevel | None) -> None:
    if level is None or not 3 <= level.level <= 7:
        raise TrainingError("Choisissez le niveau du diplôme préparé (3 à 7).", field="level")


@transaction.atomic
def training_create(
    *,
    centre: TrainingCentre,
    title: str,
    commune: Commune,
    level: DiplomaLevel | None,
    total_places: int,
    duration_months: int,
    by: AnyUser,
    rome_jobs: Iterable[RomeJob] = (),
    certification: Certification | None = None,
    remaining_places: int | None = None,
    rhythm: str = "",
) -> Training:
    _check_staff(centre=centre, by=by)
    if not title.strip():
        raise TrainingError("Saisissez l'intitulé de la formation.", field="title")
    _check_level(level)
    remaining = total_places if remaining_places is None else remaining_places
    _check_places(total=total_places, remaining=remaining)
    _check_duration(duration_months)
    jobs = list(rome_jobs)
    if not jobs and certification is not None:
        jobs = list(certification.rome_jobs.all())
    if not jobs:
        raise TrainingError("Choisissez au moins un métier (code ROME) préparé par la formation.", field="rome_jobs")
    training = Training.objects.create(
        centre=centre,
        certification=certification,
        title=title.strip(),
        level=level,
        commune=commune,
        total_places=total_places,
        remaining_places=remaining,
        duration_months=duration_months,
        rhythm=rhythm.strip(),
    )
    training.rome_jobs.set(jobs)
    return training


@transaction.atomic
def training_update(
    *,
    training: Training,
    by: AnyUser,
    title: str | None = None,
    total_places: int | None = None,
    remaining_places: int | None = None,
    duration_months: int | None = None,
    rhythm: str | None = None,
    level: DiplomaLevel | None = None,
    commune: Commune | None = None,
) -> Training:
    training = Training.objects.select_for_update().select_related("centre").get(pk=training.pk)
    _check_staff(centre=training.centre, by=by)
    if title is not None:
        if not title.strip():
            raise TrainingError("Saisissez l'intitulé de la formation.", field="title")
        training.title = title.strip()
    if total_places is not None and remaining_places is None:
        # Places already taken stay taken when the total changes.
        taken = training.total_places - training.remaining_places
        remaining_places = total_places - taken
        if remaining_places < 0:
            raise TrainingError(
                f"{taken} places sont déjà prises : le nombre de places ne peut descendre sous {taken}.",
                field="total_places",
            )
    total = training.total_places if total_places is None else total_places
    remaining = training.remaining_places if remaining_places is None else remaining_places
    _check_places(total=total, remaining=remaining)
    training.total_places, training.remaining_places = total, remaining
    if duration_months is not None:
        _check_duration(duration_months)
        training.duration_months = duration_months
    if level is not None:
        _check_level(level)
        training.level = level
    if rhythm is not None:
        training.rhythm = rhythm.strip()
    if commune is not None:
        training.commune = commune
    training.save()
    return training


@transaction.atomic
def training_session_add(*, training: Training, starts_on: date, ends_on: date, by: AnyUser) -> TrainingSession:
    _check_staff(centre=training.centre, by=by)
    if ends_on <= starts_on:
        raise TrainingError("La fin de la session doit être postérieure à son début.", field="ends_on")
    if training.sessions.filter(starts_on=starts_on).exists():
        raise TrainingError(f"Une session commence déjà le {starts_on:%d/%m/%Y}.", field="starts_on")
    return TrainingSession.objects.create(training=training, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def training_session_delete(*, session: TrainingSession, by: AnyUser) -> None:
    _check_staff(centre=session.training.centre, by=by)
    session.delete()


def training_place_take(*, training: Training, count: int = 1) -> int:
    """Take `count` places in one conditional UPDATE; returns the places left. Safe under concurrency."""
    if count < 1:
        raise TrainingError("Le nombre de places doit être au moins 1.", field="count")
    with transaction.atomic():
        updated = Training.objects.filter(pk=training.pk, remaining_places__gte=count).update(
            remaining_places=F("remaining_places") - count
        )
        if not updated:
            raise TrainingError(f"Il ne reste plus assez de places dans la formation « {training.title} ».")
        remaining = Training.objects.filter(pk=training.pk).values_list("remaining_places", flat=True).get()
        # Same transaction, training row still locked by the UPDATE: concurrent changes write the slots in turn.
        training_slots_set_places(training_id=training.pk, remaining_places=remaining)
    training.remaining_places = remaining
    return remaining


def training_place_release(*, training: Training, count: int = 1) -> int:
    """Give `count` places back (a withdrawal, a broken contract); never above the total. Returns places left."""
    if count < 1:
        raise TrainingError("Le nombre de places doit être au moins 1.", field="count")
    with transaction.atomic():
        updated = Training.objects.filter(pk=training.pk, remaining_places__lte=F("total_places") - count).update(
            remaining_places=F("remaining_places") + count
        )
        if not updated:
            raise TrainingError(f"Toutes les places de la formation « {training.title} » sont déjà libres.")
        remaining = Training.objects.filter(pk=training.pk).values_list("remaining_places", flat=True).get()
        # Same transaction, training row still locked by the UPDATE: concurrent changes write the slots in turn.
        training_slots_set_places(training_id=training.pk, remaining_places=remaining)
    training.remaining_places = remaining
    return remaining
