"""The support app's clock: views and jobs ask it for "now", services take `now`/`today` as parameters.

Kept in one place so that a browser journey can fix the date the whole server sees (to cross a given
public holiday) without freezing Python's clock.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())
