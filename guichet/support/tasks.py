"""Periodic jobs of the support app, run by the django-q2 cluster (registered in apps.py)."""

from __future__ import annotations

from guichet.support import clock
from guichet.support.services import pages_flag_past_review, requests_escalate, requests_remind


def send_deadline_reminders() -> int:
    return requests_remind(today=clock.today())


def escalate_late_requests() -> int:
    return requests_escalate(today=clock.today())


def flag_pages_past_review() -> int:
    return pages_flag_past_review(today=clock.today())
