from datetime import UTC, datetime

import pytest
from django_q.models import Schedule

from guichet.core.models import PeriodicRun
from guichet.core.scheduling import (
    RUNNER,
    periodic_jobs,
    periodic_rearm,
    periodic_start,
    register_periodic,
    run_periodic,
    schedules_sync,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_unknown_schedule_type_is_refused():
    with pytest.raises(ValueError, match="Unknown schedule type"):
        register_periodic(name="x", func="x.y", schedule_type="every blue moon", description="")


@pytest.mark.django_db
def test_schedules_sync_writes_every_declared_job_once_and_removes_stale_ones():
    Schedule.objects.create(name="obsolete.job", func="guichet.core.tasks.clear_expired_sessions")
    created, _updated, deleted = schedules_sync(now=NOW)
    assert created == len(periodic_jobs())
    assert deleted == 1
    assert set(Schedule.objects.values_list("name", flat=True)) == {job.name for job in periodic_jobs()}
    assert schedules_sync(now=NOW) == (0, 0, 0)


@pytest.mark.django_db
def test_clear_expired_sessions_runs_through_the_task_runner():
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django_q.tasks import async_task, result

    store = SessionStore()
    store.set_expiry(-1)
    store.save()
    assert Session.objects.filter(session_key=store.session_key).exists()
    task_id = async_task("guichet.core.tasks.clear_expired_sessions")  # synchronous in tests
    assert result(task_id) == "Sessions expirées supprimées."
    assert not Session.objects.filter(session_key=store.session_key).exists()


@pytest.mark.django_db
def test_every_schedule_runs_its_job_through_the_guard():
    schedules_sync(now=NOW)
    for schedule in Schedule.objects.all():
        assert (schedule.func, schedule.args) == (RUNNER, repr(schedule.name))
    Schedule.objects.filter(name="core.clear_expired_sessions").update(
        func="guichet.core.tasks.clear_expired_sessions"
    )
    assert schedules_sync(now=NOW) == (0, 1, 0)  # schedules written by an earlier version are rewritten


_CALLS: list[str] = []


def _job() -> str:
    _CALLS.append("ran")
    return "fait"


def _failing_job() -> str:
    raise RuntimeError("panne")


@pytest.fixture
def jobs(monkeypatch):
    from guichet.core import scheduling

    monkeypatch.setitem(scheduling._JOBS, "test.job", scheduling.PeriodicJob("test.job", f"{__name__}._job", "D", ""))
    monkeypatch.setitem(
        scheduling._JOBS, "test.failing", scheduling.PeriodicJob("test.failing", f"{__name__}._failing_job", "D", "")
    )
    _CALLS.clear()


@pytest.mark.django_db
def test_a_job_that_keeps_killing_its_worker_is_refused_after_three_crashes_until_rearmed(jobs, caplog):
    assert run_periodic("test.job") == "fait" and _CALLS == ["ran"]
    run = PeriodicRun.objects.get(name="test.job")
    assert (run.running_since, run.crashes) == (None, 0) and run.last_finished_at is not None
    periodic_start(name="test.job")  # a delivery whose worker dies during the job: the end is never recorded
    assert run_periodic("test.job") == "fait"  # the next delivery counts the crash, runs...
    assert PeriodicRun.objects.get(name="test.job").crashes == 0  # ...and its end clears the count
    for _ in range(3):  # deliveries that all die: the 2nd and 3rd count crashes 1 and 2
        periodic_start(name="test.job")
    _CALLS.clear()
    assert run_periodic("test.job").startswith("Refusée : 3 arrêts brutaux") and _CALLS == []  # crash 3: refused
    assert "test.job refusée" in caplog.text
    assert PeriodicRun.objects.get(name="test.job").refused_at is not None
    assert run_periodic("test.job").startswith("Refusée") and _CALLS == []  # and stays refused
    periodic_rearm(name="test.job")
    assert run_periodic("test.job") == "fait" and _CALLS == ["ran"]


@pytest.mark.django_db
def test_a_job_that_raises_has_ended_and_is_not_a_crash(jobs):
    for _ in range(4):
        with pytest.raises(RuntimeError, match="panne"):
            run_periodic("test.failing")
    run = PeriodicRun.objects.get(name="test.failing")
    assert (run.running_since, run.crashes, run.refused_at) == (None, 0, None)
    with pytest.raises(ValueError, match="inconnue"):
        run_periodic("nothing.here")


@pytest.mark.django_db
def test_django_q_s_scheduler_runs_a_due_job_through_the_guard(jobs):
    from django_q.brokers import get_broker
    from django_q.scheduler import scheduler

    schedules_sync(now=NOW)
    Schedule.objects.exclude(name="core.clear_expired_sessions").delete()
    scheduler(broker=get_broker())  # the cluster's own scheduler: the task runs synchronously in the tests
    run = PeriodicRun.objects.get(name="core.clear_expired_sessions")
    assert (run.running_since, run.crashes) == (None, 0) and run.last_finished_at is not None
