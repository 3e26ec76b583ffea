"""Answer deadlines in working days (jours ouvrés), per topic, from the shared calendar of public holidays."""

from __future__ import annotations

from datetime import date

from guichet.core.calendar import DayKind, add_working_days, working_days_between
from guichet.support.enums import Topic

# Defaults used when no TopicDeadline row exists for a topic (the rows are data an administrator edits).
DEFAULT_WORKING_DAYS: dict[str, int] = {
    Topic.FIND_EMPLOYER: 5,
    Topic.FIND_TRAINING: 5,
    Topic.CONTRACT: 3,
    Topic.PAY_AIDS: 3,
    Topic.DISABILITY: 3,
    Topic.MOBILITY: 5,
    Topic.BREAK_UP: 2,
    Topic.OTHER: 5,
}


def topic_working_days(topic: str) -> int:
    from guichet.support.models import TopicDeadline

    row = TopicDeadline.objects.filter(topic=topic).only("working_days").first()
    return row.working_days if row else DEFAULT_WORKING_DAYS.get(topic, 5)


def answer_deadline(*, received_on: date, working_days: int) -> date:
    """The last day to answer: `working_days` jours ouvrés after the day the request was received.

    The day of receipt is not counted (as for legal deadlines); weekends and French public holidays are
    skipped, so a request received on the Friday before Easter with 1 day is due on the Tuesday.
    """
    return add_working_days(received_on, working_days, kind=DayKind.WORKED)


def working_days_left(*, deadline: date, today: date) -> int:
    """Working days from today to the deadline (0 on the deadline itself, negative once it has passed)."""
    if deadline >= today:
        return working_days_between(today, deadline, kind=DayKind.WORKED)
    return -working_days_between(deadline, today, kind=DayKind.WORKED)
