"""The training slots (`TrainingSlot`): the offer search's access path to "the trainings of a ROME job near a
place", one row per training x ROME job x session start with the training's commune coordinates, level and
places copied. Derived data, kept exact here:

- training_slots_refresh(*, training_ids) -> int     recompute the rows of these trainings (a training created,
  edited, moved, given or deprived of jobs or sessions); returns the rows written
- training_slots_set_places(*, training_id, remaining_places) -> None   after a change of places only (one UPDATE,
  in the transaction that changed the places, so the training row's lock orders concurrent changes)
- training_slots_rebuild() -> int                    every row again, after a bulk load (importers, demo, bench)
- training_slots_expected() -> set[tuple]            the rows as they should be, from the source tables (tests,
  `manage.py rebuild_training_slots --check`)
- training_slots_actual() -> set[tuple]              the rows as they are

Every call belongs in the caller's transaction (the services are atomic): a rolled-back change leaves the slots
as they were. The rows are (training, job, session start) with DISTINCT, so a training with two sessions on the
same day (possible through bulk loads) still has one row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from guichet.territory.models import Commune
from guichet.trainings.models import Training, TrainingSession, TrainingSlot

_CHUNK = 500  # training ids per statement (SQLite allows 999 parameters)
_COLUMNS = (
    "training_id",
    "rome_job_id",
    "starts_on",
    "commune_id",
    "latitude",
    "longitude",
    "level_id",
    "remaining_places",
)


def _source_sql(where: str) -> str:
    links = Training.rome_jobs.through._meta.db_table
    return f"""
        SELECT DISTINCT t.id, tr.romejob_id, s.starts_on, t.commune_id, c.latitude, c.longitude, t.level_id,
            t.remaining_places
        FROM {Training._meta.db_table} t
        JOIN {links} tr ON tr.training_id = t.id
        JOIN {TrainingSession._meta.db_table} s ON s.training_id = t.id
        JOIN {Commune._meta.db_table} c ON c.id = t.commune_id
        {where}"""


def _insert_sql(where: str) -> str:
    return f"INSERT INTO {TrainingSlot._meta.db_table} ({', '.join(_COLUMNS)}) {_source_sql(where)}"


@transaction.atomic
def training_slots_refresh(*, training_ids: Iterable[int]) -> int:
    ids = sorted({int(pk) for pk in training_ids})
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TrainingSlot._meta.db_table} WHERE training_id IN ({marks})", chunk)
            cursor.execute(_insert_sql(f"WHERE t.id IN ({marks})"), chunk)
            written += max(cursor.rowcount, 0)
    return written


def training_slots_set_places(*, training_id: int, remaining_places: int) -> None:
    TrainingSlot.objects.filter(training_id=training_id).update(remaining_places=remaining_places)


@transaction.atomic
def training_slots_rebuild() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TrainingSlot._meta.db_table}")
        cursor.execute(_insert_sql("ORDER BY tr.romejob_id, c.latitude, c.longitude"))  # rows near their index
        written = max(cursor.rowcount, 0)
    return written


def training_slots_sync_coordinates() -> int:
    """The slots' coordinates copied again from their communes, where they differ (a reference import moved
    communes with bulk writes, which send no signal): one UPDATE; returns the rows changed."""
    slots, communes = TrainingSlot._meta.db_table, Commune._meta.db_table
    differs = (
        f"c.id = {slots}.commune_id AND (COALESCE(c.latitude, 1000.0) <> COALESCE({slots}.latitude, 1000.0) "
        f"OR COALESCE(c.longitude, 1000.0) <> COALESCE({slots}.longitude, 1000.0))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {slots} SET latitude = (SELECT c.latitude FROM {communes} c WHERE c.id = {slots}.commune_id), "
            f"longitude = (SELECT c.longitude FROM {communes} c WHERE c.id = {slots}.commune_id) "
            f"WHERE EXISTS (SELECT 1 FROM {communes} c WHERE {differs})"
        )
        return max(cursor.rowcount, 0)


def training_slots_expected() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_source_sql(""))
        return {tuple(row) for row in cursor.fetchall()}


def training_slots_actual() -> set[tuple]:
    return set(TrainingSlot.objects.values_list(*[column.removesuffix("_id") for column in _COLUMNS]))


# Every ORM write through save()/delete()/the jobs' add/remove/set/clear (services, forms, admin, factories)
# refreshes the slots through these receivers; bulk_create/bulk_update/update() do not send signals: their callers
# (training_place_take/release, demo and bench generators) call the functions above themselves.


def _on_training_saved(sender: type, instance: Training, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        training_slots_refresh(training_ids=[instance.pk])


def _on_session_changed(sender: type, instance: TrainingSession, raw: bool = False, **kwargs: object) -> None:
    if not raw and Training.objects.filter(pk=instance.training_id).exists():  # not when cascading from it
        training_slots_refresh(training_ids=[instance.training_id])


def _on_jobs_changed(
    sender: type, instance: object, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: object
) -> None:
    if action == "pre_clear" and reverse:  # a job losing all its trainings: remember which, before
        instance._slot_training_ids = list(instance.trainings.values_list("pk", flat=True))  # type: ignore[attr-defined]
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        ids = [instance.pk]  # type: ignore[attr-defined]
    elif action == "post_clear":
        ids = getattr(instance, "_slot_training_ids", [])
    else:
        ids = list(pk_set or ())
    training_slots_refresh(training_ids=ids)


def _on_commune_saved(sender: type, instance: Commune, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        TrainingSlot.objects.filter(commune_id=instance.pk).exclude(
            latitude=instance.latitude, longitude=instance.longitude
        ).update(latitude=instance.latitude, longitude=instance.longitude)


def connect_slot_receivers() -> None:
    """Called once by TrainingsConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_training_saved, sender=Training, dispatch_uid="training_slots_training")
    post_save.connect(_on_session_changed, sender=TrainingSession, dispatch_uid="training_slots_session_saved")
    post_delete.connect(_on_session_changed, sender=TrainingSession, dispatch_uid="training_slots_session_deleted")
    m2m_changed.connect(_on_jobs_changed, sender=Training.rome_jobs.through, dispatch_uid="training_slots_jobs")
    post_save.connect(_on_commune_saved, sender=Commune, dispatch_uid="training_slots_commune")
