"""The training slots stay exactly what the source tables say after every kind of change."""

import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from guichet.accounts.tests.factories import UserFactory
from guichet.employers.tests.factories import commune
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.territory.models import Commune
from guichet.trainings.models import Training, TrainingSession, TrainingSlot
from guichet.trainings.services import (
    TrainingError,
    training_create,
    training_place_release,
    training_place_take,
    training_session_add,
    training_session_delete,
    training_update,
)
from guichet.trainings.slots import (
    training_slots_actual,
    training_slots_expected,
    training_slots_rebuild,
    training_slots_refresh,
)
from guichet.trainings.tests.factories import TrainingCentreFactory, TrainingFactory, TrainingSessionFactory

SEPT, JAN = date(2027, 9, 6), date(2028, 1, 10)


def _exact() -> set[tuple]:
    actual = training_slots_actual()
    assert actual == training_slots_expected()
    return actual


@pytest.fixture
def admin(db):
    return UserFactory(role="admin")


@pytest.fixture
def jobs(db):
    return RomeJob.objects.get(code="J1501"), RomeJob.objects.get(code="D1102")


@pytest.mark.django_db
def test_the_services_keep_the_slots_exact_through_a_training_s_life(admin, jobs):
    nurse, baker = jobs
    centre = TrainingCentreFactory()
    training = training_create(
        centre=centre,
        title="DEAS",
        commune=centre.commune,
        level=DiplomaLevel.objects.get(level=4),
        total_places=12,
        duration_months=12,
        rome_jobs=[nurse, baker],
        by=admin,
    )
    assert _exact() == set()  # no session yet: nothing to offer
    session = training_session_add(training=training, starts_on=SEPT, ends_on=date(2028, 6, 30), by=admin)
    training_session_add(training=training, starts_on=JAN, ends_on=date(2028, 12, 20), by=admin)
    place = Commune.objects.get(pk=centre.commune_id)
    assert _exact() == {
        (training.pk, job.pk, day, place.pk, place.latitude, place.longitude, 4, 12)
        for job in (nurse, baker)
        for day in (SEPT, JAN)
    }
    elsewhere = commune("80001")
    training_update(
        training=training, by=admin, commune=elsewhere, level=DiplomaLevel.objects.get(level=3), remaining_places=7
    )
    rows = _exact()
    assert {(row[3], row[4], row[5], row[6], row[7]) for row in rows} == {
        (elsewhere.pk, elsewhere.latitude, elsewhere.longitude, 3, 7)
    }
    training_session_delete(session=session, by=admin)
    assert {row[2] for row in _exact()} == {JAN}
    training.delete()
    assert _exact() == set() and not TrainingSlot.objects.exists()


@pytest.mark.django_db
def test_places_taken_and_released_reach_the_slots(jobs):
    training = TrainingFactory(total_places=3, remaining_places=2)
    training.rome_jobs.add(jobs[0])
    TrainingSessionFactory(training=training, starts_on=SEPT)
    training_place_take(training=training, count=2)
    assert {row[7] for row in _exact()} == {0}
    with pytest.raises(TrainingError):
        training_place_take(training=training)
    assert {row[7] for row in _exact()} == {0}
    training_place_release(training=training)
    assert {row[7] for row in _exact()} == {1}


@pytest.mark.django_db
def test_jobs_added_removed_and_cleared_from_either_side_reach_the_slots(jobs):
    nurse, baker = jobs
    first, second = TrainingFactory(), TrainingFactory()
    for training in (first, second):
        TrainingSessionFactory(training=training, starts_on=SEPT)
    first.rome_jobs.add(nurse, baker)
    assert {(row[0], row[1]) for row in _exact()} == {(first.pk, nurse.pk), (first.pk, baker.pk)}
    nurse.trainings.add(second)
    assert {(row[0], row[1]) for row in _exact()} == {
        (first.pk, nurse.pk),
        (first.pk, baker.pk),
        (second.pk, nurse.pk),
    }
    first.rome_jobs.remove(baker)
    assert {(row[0], row[1]) for row in _exact()} == {(first.pk, nurse.pk), (second.pk, nurse.pk)}
    nurse.trainings.clear()
    assert _exact() == set()
    first.rome_jobs.set([baker])
    assert {(row[0], row[1]) for row in _exact()} == {(first.pk, baker.pk)}
    first.rome_jobs.clear()
    assert _exact() == set()


@pytest.mark.django_db
def test_a_commune_moved_moves_its_slots(jobs):
    training = TrainingFactory()
    training.rome_jobs.add(jobs[0])
    TrainingSessionFactory(training=training, starts_on=SEPT)
    place = Commune.objects.get(pk=training.commune_id)
    place.latitude, place.longitude = 50.0, 2.5
    place.save()
    assert {(row[4], row[5]) for row in _exact()} == {(50.0, 2.5)}


def test_a_reference_import_that_moves_communes_moves_their_slots(jobs):
    from guichet.core.reference import load_reference_data

    training = TrainingFactory()
    training.rome_jobs.add(jobs[0])
    TrainingSessionFactory(training=training, starts_on=SEPT)
    real = Commune.objects.values_list("latitude", "longitude").get(pk=training.commune_id)
    Commune.objects.filter(pk=training.commune_id).update(latitude=50.0, longitude=2.5)  # bulk: no signal
    training_slots_refresh(training_ids=[training.pk])
    assert {(row[4], row[5]) for row in _exact()} == {(50.0, 2.5)}
    load_reference_data(only=["territory"])  # writes the real coordinates back with bulk updates
    assert {(row[4], row[5]) for row in _exact()} == {real}


@pytest.mark.django_db
def test_bulk_loads_are_caught_up_by_a_refresh_or_a_rebuild_and_the_check_command_sees_the_gap(jobs):
    trainings = Training.objects.bulk_create(
        [TrainingFactory.build(centre=TrainingCentreFactory(), certification=None, title="CAP") for _ in range(3)]
    )
    links = Training.rome_jobs.through
    links.objects.bulk_create([links(training_id=training.pk, romejob_id=jobs[1].pk) for training in trainings])
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(training=t, starts_on=day, ends_on=date(2029, 7, 2))
            for t in trainings
            for day in (SEPT, JAN)
        ]
    )
    Training.objects.filter(pk=trainings[0].pk).update(remaining_places=1)
    assert training_slots_actual() == set()
    with pytest.raises(CommandError, match="6 manquants"):
        call_command("rebuild_training_slots", "--check")
    assert training_slots_refresh(training_ids=[trainings[0].pk, trainings[0].pk]) == 2
    assert len(training_slots_actual()) == 2
    call_command("rebuild_training_slots")
    assert len(_exact()) == 6
    assert {row[7] for row in training_slots_actual() if row[0] == trainings[0].pk} == {1}
    call_command("rebuild_training_slots", "--check")
    TrainingSlot.objects.filter(training=trainings[1]).update(remaining_places=0)
    with pytest.raises(CommandError, match="2 manquants, 2 en trop"):
        call_command("rebuild_training_slots", "--check")
    assert training_slots_rebuild() == 6
    _exact()


def _in_own_thread(function):
    """Run `function` on its own connection (autocommit, outside the test's transaction); return its result."""
    result: list = []

    def run() -> None:
        try:
            result.append(function())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0] if result else None


@pytest.mark.django_db
def test_concurrent_place_decrements_leave_the_slots_equal_to_the_training(jobs):
    """12 threads on their own connections race for 5 places of a training with 2 jobs x 2 sessions."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write on one file lock: real concurrency is tested on PostgreSQL.")

    def create() -> Training:
        training = TrainingFactory(total_places=5, remaining_places=5)
        training.rome_jobs.add(*jobs)
        for day in (SEPT, JAN):
            TrainingSessionFactory(training=training, starts_on=day)
        return training

    training = _in_own_thread(create)
    barrier = threading.Barrier(12)

    def worker() -> None:
        try:
            barrier.wait()
            training_place_take(training=Training.objects.get(pk=training.pk))
        except TrainingError:
            pass
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=worker) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        places = _in_own_thread(
            lambda: (
                Training.objects.get(pk=training.pk).remaining_places,
                sorted(
                    TrainingSlot.objects.filter(training_id=training.pk).values_list("remaining_places", flat=True)
                ),
            )
        )
    finally:
        _in_own_thread(lambda: (training.delete(), training.centre.delete(), training.certification.delete()))
    assert places == (0, [0, 0, 0, 0])


@pytest.mark.django_db
def test_the_demo_population_and_its_market_leave_the_slots_exact():
    """The demo generator bulk-creates trainings, links and sessions, then opens places: no signal fires."""
    from guichet.contracts.demo.generator import delete_synthetic_population, generate_demo_population

    generate_demo_population(seed=3, fraction=0.02, today=date(2026, 11, 25))
    assert len(_exact()) > 0
    delete_synthetic_population()
    _exact()
