"""Background tasks of the accounts app, run by the django-q2 cluster (inline when Q_CLUSTER sync=True)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_q.tasks import async_task


def send_email_task(subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; an SMTP failure raises, so the task runner retries it."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)


def email_enqueue(*, subject: str, body: str, to: list[str]) -> str:
    """Queue an e-mail; the arguments are plain strings so that the queue never holds model objects."""
    return async_task("guichet.accounts.tasks.send_email_task", subject, body, list(to))
