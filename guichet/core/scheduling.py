"""Periodic jobs, declared by each app and written into django-q's schedule by `setup_schedules`.

Apps call `register_periodic()` in their AppConfig.ready(); core never imports them. The task worker
(`manage.py qcluster`) runs due jobs; the demo command starts it beside the web server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django_q.models import Schedule


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: str
    schedule_type: str  # one of Schedule.HOURLY, Schedule.DAILY, Schedule.WEEKLY...
    description: str


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic(*, name: str, func: str, schedule_type: str, description: str) -> None:
    if schedule_type not in dict(Schedule.TYPE):
        raise ValueError(f"Unknown schedule type {schedule_type!r}.")
    _JOBS[name] = PeriodicJob(name=name, func=func, schedule_type=schedule_type, description=description)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


@transaction.atomic
def schedules_sync(*, now: datetime) -> tuple[int, int, int]:
    """Create or update one Schedule per registered job; delete schedules of jobs no longer declared.

    Returns (created, updated, deleted).
    """
    created = updated = 0
    for job in periodic_jobs():
        schedule = Schedule.objects.filter(name=job.name).first()
        if schedule is None:
            Schedule.objects.create(name=job.name, func=job.func, schedule_type=job.schedule_type, next_run=now)
            created += 1
        elif (schedule.func, schedule.schedule_type) != (job.func, job.schedule_type):
            schedule.func, schedule.schedule_type = job.func, job.schedule_type
            schedule.save(update_fields=["func", "schedule_type"])
            updated += 1
    deleted, _ = Schedule.objects.exclude(name__in=list(_JOBS)).delete()
    return created, updated, deleted
