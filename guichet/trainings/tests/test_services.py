import threading
from datetime import date

import pytest
from django.db import connection, connections

from guichet.accounts.tests.factories import UserFactory
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.trainings.models import Training
from guichet.trainings.services import (
    TrainingError,
    training_create,
    training_place_release,
    training_place_take,
    training_session_add,
    training_update,
)
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory


@pytest.fixture
def staff_and_centre(db):
    membership = CentreMembershipFactory()
    return membership.user, membership.centre


@pytest.mark.django_db
def test_centre_staff_create_a_training_with_its_jobs_and_rhythm(staff_and_centre):
    staff, centre = staff_and_centre
    training = training_create(
        centre=centre,
        title="DEAS aide-soignant",
        commune=centre.commune,
        level=DiplomaLevel.objects.get(level=4),
        total_places=12,
        duration_months=12,
        rome_jobs=[RomeJob.objects.get(code="J1501")],
        rhythm="2 semaines au CFA, 2 semaines en entreprise",
        by=staff,
    )
    assert training.remaining_places == 12
    assert list(training.rome_jobs.values_list("code", flat=True)) == ["J1501"]


@pytest.mark.django_db
def test_someone_from_another_centre_cannot_change_its_trainings(staff_and_centre):
    training = TrainingFactory(centre=staff_and_centre[1])
    stranger = CentreMembershipFactory().user
    with pytest.raises(TrainingError, match="n'agissez pas"):
        training_update(training=training, by=stranger, total_places=20)
    with pytest.raises(TrainingError):
        training_session_add(training=training, starts_on=date(2027, 9, 1), ends_on=date(2029, 7, 1), by=stranger)


@pytest.mark.django_db
def test_changing_the_total_keeps_the_places_already_taken(staff_and_centre):
    staff, centre = staff_and_centre
    training = TrainingFactory(centre=centre, total_places=12, remaining_places=5)  # 7 taken
    training = training_update(training=training, by=staff, total_places=10)
    assert (training.total_places, training.remaining_places) == (10, 3)
    with pytest.raises(TrainingError, match="7 places sont déjà prises"):
        training_update(training=training, by=staff, total_places=6)
    training.refresh_from_db()
    assert training.total_places == 10


@pytest.mark.django_db
def test_a_session_must_end_after_it_starts(staff_and_centre):
    staff, centre = staff_and_centre
    training = TrainingFactory(centre=centre)
    with pytest.raises(TrainingError) as error:
        training_session_add(training=training, starts_on=date(2027, 9, 1), ends_on=date(2027, 9, 1), by=staff)
    assert error.value.field == "ends_on"


@pytest.mark.django_db
def test_places_are_taken_and_released_but_never_below_zero_nor_above_the_total():
    training = TrainingFactory(total_places=3, remaining_places=1)
    assert training_place_take(training=training) == 0
    with pytest.raises(TrainingError, match="plus assez de places"):
        training_place_take(training=training)
    assert training_place_release(training=training, count=3) == 3
    with pytest.raises(TrainingError, match="déjà libres"):
        training_place_release(training=training)
    training.refresh_from_db()
    assert training.remaining_places == 3


def _in_own_thread(function):
    """Run `function` in a new thread, hence on its own database connection (autocommit, outside the test's
    transaction), and return its result."""
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
def test_concurrent_requests_never_take_more_places_than_there_are():
    """Real concurrent transactions: 12 threads, each on its own connection, race for the last 5 places.

    The rows are committed from other threads (the test's own transaction would hide them) and deleted after.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write on one file lock: real concurrency is tested on PostgreSQL.")
    training = _in_own_thread(lambda: TrainingFactory(total_places=5, remaining_places=5))
    barrier = threading.Barrier(12)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            training_place_take(training=Training.objects.get(pk=training.pk))
            result = "taken"
        except TrainingError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    try:
        threads = [threading.Thread(target=worker) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        remaining = _in_own_thread(
            lambda: Training.objects.filter(pk=training.pk).values_list("remaining_places", flat=True).get()
        )
    finally:
        _in_own_thread(lambda: (training.delete(), training.centre.delete(), training.certification.delete()))
    assert outcomes.count("taken") == 5
    assert outcomes.count("refused") == 7
    assert remaining == 0


@pytest.mark.django_db
def test_only_staff_or_admins_manage_trainings():
    training = TrainingFactory()
    with pytest.raises(TrainingError):
        training_update(training=training, by=UserFactory(), title="Autre")
    admin = UserFactory(role="admin")
    assert training_update(training=training, by=admin, title="Autre").title == "Autre"
