from datetime import UTC, datetime

import pytest
from django_q.models import Schedule

from guichet.core.scheduling import periodic_jobs, register_periodic, schedules_sync

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
