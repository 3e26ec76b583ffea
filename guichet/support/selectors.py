"""Reads of the support app: requests visible to someone, the advisors' dashboard figures, knowledge pages."""

from __future__ import annotations

import difflib
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet

from guichet.accounts.permissions import AnyUser
from guichet.support.enums import PENDING_STATUSES, Audience, RequestStatus, Topic
from guichet.support.models import KnowledgePage, KnowledgePageVersion, SupportRequest, Team
from guichet.support.search import search_pages

# --- Requests -----------------------------------------------------------------------------------------------


def request_list_visible(*, user: AnyUser) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.visible_to(user).select_related("commune", "team", "advisor", "basin")


def request_get_visible(*, user: AnyUser, reference: str) -> SupportRequest | None:
    return request_list_visible(user=user).filter(reference=reference.strip().upper()).first()


def request_list_queue(*, user: AnyUser) -> QuerySet[SupportRequest]:
    """The advisor's own open requests, the nearest deadline first."""
    return (
        request_list_visible(user=user)
        .filter(advisor=user, status__in=(*PENDING_STATUSES, RequestStatus.WAITING_REQUESTER))
        .order_by("deadline", "created_at")
    )


def request_list_late(*, user: AnyUser, today: date) -> QuerySet[SupportRequest]:
    return request_list_visible(user=user).filter(status__in=PENDING_STATUSES, deadline__lt=today).order_by("deadline")


def request_list_unassigned(*, user: AnyUser) -> QuerySet[SupportRequest]:
    return request_list_visible(user=user).filter(status=RequestStatus.NEW, advisor__isnull=True)


@dataclass
class ResponseFigures:
    """How reactive the service is over a group of requests."""

    label: str
    received: int = 0
    answered: int = 0
    answered_in_time: int = 0
    late_pending: int = 0
    hours: list[float] = field(default_factory=list)

    @property
    def median_first_response_hours(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    @property
    def share_in_time(self) -> float | None:
        """Share of the answered requests answered by their deadline (0-100)."""
        return 100 * self.answered_in_time / self.answered if self.answered else None


def _count(
    figures: ResponseFigures,
    created_at: datetime,
    first_response_at: datetime | None,
    answered_on: date | None,
    deadline: date,
    status: str,
    *,
    today: date,
) -> None:
    """Count one request (its `_TIMES` columns, in that order) into `figures`."""
    figures.received += 1
    if first_response_at is not None:
        figures.hours.append((first_response_at - created_at).total_seconds() / 3600)
    if answered_on is not None:
        figures.answered += 1
        figures.answered_in_time += answered_on <= deadline
    elif status in PENDING_STATUSES and deadline < today:
        figures.late_pending += 1


_TIMES = ("created_at", "first_response_at", "answered_on", "deadline", "status")


def response_figures(*, requests: QuerySet[SupportRequest], today: date, group_by: str) -> list[ResponseFigures]:
    """Median first-response time and share answered within the deadline, per team or per topic.

    `group_by`: "team" or "topic". The first-response time is measured in clock hours from the request to the
    advisor's first message; "answered within the deadline" compares the day of the first answer with the
    deadline in working days.
    """
    groups: dict[str, ResponseFigures] = {}
    labels = dict(Topic.choices)
    for team_name, topic, *times in requests.values_list("team__name", "topic", *_TIMES):
        key = (team_name or "Sans équipe") if group_by == "team" else labels.get(topic, topic)
        _count(groups.setdefault(key, ResponseFigures(label=key)), *times, today=today)
    return sorted(groups.values(), key=lambda figures: figures.label)


def response_figures_by_commune(
    *, requests: QuerySet[SupportRequest], today: date
) -> dict[int | None, ResponseFigures]:
    """The same figures per commune of the request (None: no commune), in one query: the observatory adds them
    up per area."""
    groups: dict[int | None, ResponseFigures] = {}
    for commune_id, *times in requests.values_list("commune_id", *_TIMES):
        figures = groups.setdefault(commune_id, ResponseFigures(label=str(commune_id)))
        _count(figures, *times, today=today)
    return groups


def response_add(total: ResponseFigures, figures: ResponseFigures) -> None:
    """Add `figures` into `total` (the median is then that of every request of both)."""
    total.received += figures.received
    total.answered += figures.answered
    total.answered_in_time += figures.answered_in_time
    total.late_pending += figures.late_pending
    total.hours.extend(figures.hours)


def response_totals(*, requests: QuerySet[SupportRequest], today: date) -> ResponseFigures:
    total = ResponseFigures(label="Total")
    for figures in response_figures(requests=requests, today=today, group_by="team"):
        response_add(total, figures)
    return total


def support_kpis(*, today: date) -> dict[str, object]:
    """Region-wide figures for the observatory: by team and by topic, over every request (no personal data)."""
    requests = SupportRequest.objects.all()
    return {
        "total": response_totals(requests=requests, today=today),
        "by_team": response_figures(requests=requests, today=today, group_by="team"),
        "by_topic": response_figures(requests=requests, today=today, group_by="topic"),
    }


def team_for_zone_list() -> QuerySet[Team]:
    return Team.objects.prefetch_related("members__user", "rules__basin")


# --- Knowledge base -----------------------------------------------------------------------------------------


def page_list_public(*, audience: str = "") -> QuerySet[KnowledgePage]:
    pages = KnowledgePage.objects.published()
    if audience:
        # JSON containment is not available on SQLite: the audience list is small, compare its text.
        pages = pages.filter(audiences__icontains=f'"{audience}"')
    return pages.order_by("title")


def page_get_public(*, slug: str) -> KnowledgePage | None:
    return KnowledgePage.objects.published().filter(slug=slug).select_related("owner").first()


def page_search(*, q: str, audience: str = "") -> list[KnowledgePage]:
    return search_pages(page_list_public(audience=audience), q=q)


def page_list_for_profile(
    *, audience: str, age: int | None = None, disability: bool = False, company_size: str = "", topics: list[str]
) -> list[KnowledgePage]:
    """Pages for one person: their audience, their topics, and whose profile conditions they meet."""
    pages = page_list_public(audience=audience)
    if age is not None:
        pages = pages.filter(
            Q(min_age__isnull=True) | Q(min_age__lte=age), Q(max_age__isnull=True) | Q(max_age__gte=age)
        )
    if not disability:
        pages = pages.filter(disability_only=False)
    if company_size:
        pages = pages.filter(Q(company_size="") | Q(company_size=company_size))
    return [page for page in pages if not topics or set(page.topics) & set(topics)]


def page_list_past_review(*, today: date) -> QuerySet[KnowledgePage]:
    return KnowledgePage.objects.past_review(today=today).select_related("owner").order_by("next_review_on")


def page_list_due_soon(*, today: date, days: int = 30) -> QuerySet[KnowledgePage]:
    from datetime import timedelta

    return (
        KnowledgePage.objects.filter(next_review_on__gte=today, next_review_on__lte=today + timedelta(days=days))
        .select_related("owner")
        .order_by("next_review_on")
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same", "gap"
    text: str


def version_diff(*, old: KnowledgePageVersion, new: KnowledgePageVersion) -> list[DiffLine]:
    """Line by line differences between two versions (title, summary, text and sources)."""

    def lines(version: KnowledgePageVersion) -> list[str]:
        return [
            f"Titre : {version.title}",
            f"Résumé : {version.summary}",
            "",
            *version.body.splitlines(),
            "",
            "Sources :",
            *version.sources.splitlines(),
        ]

    result: list[DiffLine] = []
    for line in difflib.unified_diff(lines(old), lines(new), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            result.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            result.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("removed", line[1:]))
        else:
            result.append(DiffLine("same", line[1:]))
    return result


AUDIENCE_LABELS = dict(Audience.choices)
