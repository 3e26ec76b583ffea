"""Periodic jobs, declared by each app and written into django-q's schedule by `setup_schedules`.

Apps call `register_periodic()` in their AppConfig.ready(); core never imports them. The task worker
(`manage.py qcluster`) runs due jobs; the demo command starts it beside the web server.

Every schedule runs `run_periodic(name)`, which runs the job's function and keeps its state (`PeriodicRun`): a
start that never ended means the worker died during the job (killed, out of memory, stopped at TASK_TIMEOUT).
django-q2 hands such a task out again for ever (it counts only the attempts that returned), so after
`PERIODIC_MAX_CRASHES` (3) crashes in a row the job is refused, with an error in the log, until an administrator
re-arms it (admin: "Exécutions des tâches périodiques"). A job that raises has ended: django-q2 records the
failure and retries it at most `max_attempts` times.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from guichet.core.models import PeriodicRun

logger = logging.getLogger(__name__)
RUNNER = "guichet.core.scheduling.run_periodic"


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
        wanted = {"func": RUNNER, "args": repr(job.name), "schedule_type": job.schedule_type}
        schedule = Schedule.objects.filter(name=job.name).first()
        if schedule is None:
            Schedule.objects.create(name=job.name, next_run=now, **wanted)
            created += 1
        elif any(getattr(schedule, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(schedule, field, value)
            schedule.save(update_fields=list(wanted))
            updated += 1
    deleted, _ = Schedule.objects.exclude(name__in=list(_JOBS)).delete()
    return created, updated, deleted


def max_crashes() -> int:
    return int(getattr(settings, "PERIODIC_MAX_CRASHES", 3))


def run_periodic(name: str) -> object:
    """Run the periodic job `name` (what every schedule calls), unless its last starts crashed its worker."""
    job = _JOBS.get(name)
    if job is None:
        raise ValueError(f"Tâche périodique inconnue : {name}.")
    refused = periodic_start(name=name)
    if refused:
        return refused
    try:
        result = import_string(job.func)()
    except BaseException:
        # An exception ends the attempt (django-q2 records it and counts it): not a crash. A SIGKILL never gets here.
        PeriodicRun.objects.filter(name=name).update(running_since=None)
        raise
    PeriodicRun.objects.filter(name=name).update(running_since=None, crashes=0, last_finished_at=timezone.now())
    return result


def periodic_start(*, name: str) -> str | None:
    """Record the start of `name`, counting a previous start that never ended as a crash; the refusal message
    when the crashes reached PERIODIC_MAX_CRASHES, else None."""
    now = timezone.now()
    with transaction.atomic():
        run, _ = PeriodicRun.objects.select_for_update().get_or_create(name=name)
        if run.running_since is not None:  # started, never ended: the worker died during the job
            run.crashes += 1
            run.running_since = None
        if run.crashes >= max_crashes():
            run.refused_at = now
            run.save()
            logger.error(
                "Tâche périodique %s refusée : %s arrêts brutaux de suite ; réarmez-la dans l'administration après "
                "avoir trouvé la cause.",
                name,
                run.crashes,
            )
            return f"Refusée : {run.crashes} arrêts brutaux de suite, à réarmer dans l'administration."
        run.running_since = now
        run.save()
    return None


def periodic_rearm(*, name: str) -> None:
    """Let a refused job run again (after its cause was found)."""
    PeriodicRun.objects.filter(name=name).update(running_since=None, crashes=0, refused_at=None)
