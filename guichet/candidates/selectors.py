"""Reads on profiles, applications and messages. Keyword-only, stable signatures:

- candidate_profile_for_user(*, user) -> CandidateProfile | None          the young person's own profile
- candidate_profile_list_visible(*, user) -> QuerySet[CandidateProfile]    CandidateProfile.visible_to
- application_list_for_user(*, user, statuses=None, offer=None) -> QuerySet[Application]   Application.visible_to
- application_get_for_user(*, user, pk) -> Application | None
- application_events(*, application) -> QuerySet[ApplicationEvent]        dated history with authors
- application_board(*, user, offer=None) -> dict[str, list[Application]]  columns by status (employer board)
- offer_list_with_application_counts(*, user) -> QuerySet[Offer]          the user's offers annotated with
  `applications_total`, `applications_pending`, `applications_unanswered`
- notification_list(*, user, unread_only=False) -> QuerySet[Notification]
- response_stats_by_establishment(*, establishment_ids=None, since=None, until=None) -> dict[int, ResponseStats]
- response_stats_by_zone(*, since=None, until=None) -> dict[str, ResponseStats]   keyed by zone d'emploi code

Enrolments at a training centre (Enrolment.visible_to: the young person's own; the centre's confirmed ones)
- enrolment_list_for_user(*, user, statuses=None) -> QuerySet[Enrolment]
- enrolment_get_for_user(*, user, pk) -> Enrolment | None
- enrolment_pending_count_for_centres(*, user) -> int     declared by the user's centres, not yet confirmed
- enrolment_display_name(*, enrolment) -> str              "Camille D." (first name and initial), no more
- training_list_for_declaration(*, query, today, limit=20) -> list[Training]   trainings a young person may pick

Response rate: applications answered by the employer (interview, accepted or refused by the employer; "seen"
is not an answer) / applications received, leaving out those the young person withdrew before any answer.
Delay: jours ouvrés between sending and the first answer (median). Closures "sans réponse" count as received,
not answered.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from guichet.accounts.permissions import AnyUser
from guichet.candidates.enums import AWAITING_EMPLOYER, OPEN_STATUSES, ApplicationStatus
from guichet.candidates.models import Application, ApplicationEvent, CandidateProfile, Enrolment, Notification
from guichet.core.calendar import working_days_between
from guichet.offers.models import Offer
from guichet.territory.models import Basin, BasinGrid, BasinMembership
from guichet.trainings.models import Training, TrainingCentre, TrainingSession


def candidate_profile_for_user(*, user: AnyUser) -> CandidateProfile | None:
    if not user.is_authenticated:
        return None
    return (
        CandidateProfile.objects.select_related("commune", "current_level", "wished_level")
        .prefetch_related("wished_jobs")
        .filter(user=user)
        .first()
    )


def candidate_profile_list_visible(*, user: AnyUser) -> QuerySet[CandidateProfile]:
    return CandidateProfile.objects.visible_to(user).select_related("commune", "current_level", "wished_level")


def application_list_for_user(
    *, user: AnyUser, statuses: Iterable[str] | None = None, offer: Offer | None = None
) -> QuerySet[Application]:
    queryset = Application.objects.visible_to(user).select_related(
        "offer__establishment", "offer__commune", "offer__rome_job", "candidate__commune", "candidate__user"
    )
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    if offer is not None:
        queryset = queryset.filter(offer=offer)
    return queryset.order_by("-sent_on", "-pk")


def application_get_for_user(*, user: AnyUser, pk: int) -> Application | None:
    return application_list_for_user(user=user).filter(pk=pk).first()


def application_events(*, application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("author").order_by("created_at", "pk")


def application_board(*, user: AnyUser, offer: Offer | None = None) -> dict[str, list[Application]]:
    board: dict[str, list[Application]] = {status: [] for status in ApplicationStatus.values}
    for application in application_list_for_user(user=user, offer=offer):
        board[application.status].append(application)
    return board


def offer_list_with_application_counts(*, user: AnyUser) -> QuerySet[Offer]:
    return (
        Offer.objects.editable_by(user)
        .select_related("establishment", "rome_job", "commune", "target_level")
        .annotate(
            applications_total=Count("applications", distinct=True),
            applications_pending=Count(
                "applications", filter=Q(applications__status__in=list(OPEN_STATUSES)), distinct=True
            ),
            applications_unanswered=Count(
                "applications", filter=Q(applications__status__in=list(AWAITING_EMPLOYER)), distinct=True
            ),
        )
        .order_by("status", "-updated_at", "-pk")
    )


def notification_list(*, user: AnyUser, unread_only: bool = False) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient=user)
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


# --- Response rate and delay ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseStats:
    received: int
    answered: int
    median_delay_working_days: float | None

    @property
    def rate(self) -> float | None:
        """Share of the received applications the employer answered (0 to 1), None when none received."""
        return self.answered / self.received if self.received else None


def _stats(rows: list[tuple[date, date | None, str, str]]) -> ResponseStats:
    received = answered = 0
    delays: list[int] = []
    for sent_on, answered_on, status, reason in rows:
        if answered_on is None and status == ApplicationStatus.WITHDRAWN and reason == "young_choice":
            continue  # withdrawn by the young person before any answer: the employer had nothing to answer
        received += 1
        if answered_on is not None:
            answered += 1
            delays.append(working_days_between(sent_on, answered_on))
    return ResponseStats(
        received=received,
        answered=answered,
        median_delay_working_days=float(statistics.median(delays)) if delays else None,
    )


def _rows(since: date | None, until: date | None, extra: Q) -> QuerySet[Application]:
    queryset = Application.objects.filter(extra)
    if since is not None:
        queryset = queryset.filter(sent_on__gte=since)
    if until is not None:
        queryset = queryset.filter(sent_on__lte=until)
    return queryset


def response_stats_by_establishment(
    *, establishment_ids: Iterable[int] | None = None, since: date | None = None, until: date | None = None
) -> dict[int, ResponseStats]:
    extra = Q() if establishment_ids is None else Q(offer__establishment_id__in=list(establishment_ids))
    grouped: dict[int, list[tuple[date, date | None, str, str]]] = defaultdict(list)
    for establishment_id, *row in _rows(since, until, extra).values_list(
        "offer__establishment_id", "sent_on", "answered_on", "status", "reason"
    ):
        grouped[establishment_id].append(tuple(row))  # type: ignore[arg-type]
    return {key: _stats(rows) for key, rows in grouped.items()}


def response_stats_by_zone(*, since: date | None = None, until: date | None = None) -> dict[str, ResponseStats]:
    """Per zone d'emploi (INSEE 2020 code) of the offer's workplace."""
    zone_of = dict(BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI).values_list("commune_id", "basin_id"))
    codes = dict(Basin.objects.filter(grid=BasinGrid.ZONE_EMPLOI).values_list("pk", "code"))
    grouped: dict[str, list[tuple[date, date | None, str, str]]] = defaultdict(list)
    for commune_id, parent_id, *row in _rows(since, until, Q()).values_list(
        "offer__commune_id", "offer__commune__parent_id", "sent_on", "answered_on", "status", "reason"
    ):
        basin_id = zone_of.get(commune_id) or zone_of.get(parent_id)
        if basin_id is not None:
            grouped[codes[basin_id]].append(tuple(row))  # type: ignore[arg-type]
    return {code: _stats(rows) for code, rows in sorted(grouped.items())}


# --- Enrolments -----------------------------------------------------------------------------------------------


def enrolment_list_for_user(*, user: AnyUser, statuses: Iterable[str] | None = None) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.visible_to(user).select_related(
        "candidate__user", "candidate__commune", "training__centre", "training__commune", "session"
    )
    if statuses is not None:
        queryset = queryset.filter(status__in=sorted(statuses))
    return queryset.order_by("training__title", "-status_on", "pk")


def enrolment_get_for_user(*, user: AnyUser, pk: int) -> Enrolment | None:
    return enrolment_list_for_user(user=user).filter(pk=pk).first()


def enrolment_pending_count_for_centres(*, user: AnyUser) -> int:
    """Enrolments declared in the user's centres still waiting for the young person (a count, no identity)."""
    centres = TrainingCentre.objects.visible_to(user)
    return Enrolment.objects.filter(training__centre__in=centres, consent_at__isnull=True).count()


def enrolment_display_name(*, enrolment: Enrolment) -> str:
    """What a centre reads of a young person: first name and the initial of the last name."""
    user = enrolment.candidate.user
    if user is None:
        return f"Jeune n° {enrolment.candidate_id} (fictif)"
    initial = f" {user.last_name.strip()[0].upper()}." if user.last_name.strip() else ""
    return f"{user.first_name.strip() or 'Jeune'}{initial}"


def training_list_for_declaration(*, query: str, today: date, limit: int = 20) -> list[Training]:
    """Trainings whose title, centre or commune contains every word of `query` (at least 2 letters), with
    their sessions not yet ended."""
    words = [word for word in query.split() if len(word) >= 2][:5]
    if not words:
        return []
    queryset = Training.objects.all()
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(centre__name__icontains=word)
            | Q(centre__sign__icontains=word)
            | Q(commune__name__icontains=word)
        )
    return list(
        queryset.select_related("centre", "commune", "level")
        .prefetch_related(
            Prefetch("sessions", queryset=TrainingSession.objects.filter(ends_on__gte=today).order_by("starts_on"))
        )
        .order_by("title", "centre__name", "pk")[:limit]
    )
