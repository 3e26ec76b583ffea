"""Writes of the support app: requests (create, route, assign, answer, close, reopen, rate), reminders and
escalations, knowledge pages (save with a version, review)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tasks import email_enqueue
from guichet.core.calendar import DayKind, add_working_days
from guichet.support import clock
from guichet.support.attachments import MAX_FILES, AttachmentRefused, check_attachment
from guichet.support.deadlines import answer_deadline, topic_working_days
from guichet.support.enums import (
    OPEN_STATUSES,
    AuthorKind,
    ContactPreference,
    RequesterProfile,
    RequestStatus,
    Topic,
)
from guichet.support.formatting import french_date
from guichet.support.models import (
    Absence,
    Attachment,
    KnowledgePage,
    KnowledgePageVersion,
    RequestMessage,
    RoutingRule,
    SupportRequest,
    Team,
    TeamMember,
    TopicDeadline,
)
from guichet.support.search import page_search_fields, pages_reindex
from guichet.territory.models import Basin, BasinGrid, Commune
from guichet.territory.selectors import commune_basin

MESSAGE_MAX_LENGTH = 5000
REOPEN_WITHIN_DAYS = 30
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read on the phone


class SupportError(ValueError):
    """A rule of the support service refused the action; the message is for the person."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class UploadedFileLike(Protocol):
    name: str
    size: int

    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int) -> int: ...


@dataclass(frozen=True)
class CreatedRequest:
    request: SupportRequest
    token: str  # the secret of the follow-up link, shown once and e-mailed; only its hash is stored

    @property
    def follow_path(self) -> str:
        return follow_path(self.request, self.token)


# --- Secret links -------------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(support_request: SupportRequest, token: str) -> bool:
    return bool(token) and hmac.compare_digest(support_request.token_hash, token_hash(token))


def follow_path(support_request: SupportRequest, token: str) -> str:
    return reverse("support:follow", kwargs={"reference": support_request.reference, "token": token})


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "") or "http://localhost:8000").rstrip("/")


# --- Routing ------------------------------------------------------------------------------------------------


def rule_for(*, basin: Basin | None, topic: str) -> RoutingRule | None:
    """The routing rule for a zone d'emploi and a topic; a rule naming the topic beats one naming the zone,
    and one naming both beats every other (an empty zone or topic matches any)."""
    rules = RoutingRule.objects.filter(
        Q(basin__isnull=True) | Q(basin=basin) if basin else Q(basin__isnull=True),
        Q(topic="") | Q(topic=topic),
    ).select_related("team")
    return max(rules, key=lambda rule: 2 * bool(rule.topic) + bool(rule.basin_id), default=None)


def team_for(*, basin: Basin | None, topic: str) -> Team | None:
    rule = rule_for(basin=basin, topic=topic)
    return rule.team if rule else None


def advisor_loads(*, team: Team) -> dict[int, int]:
    """Open requests held by each member of the team who takes requests."""
    members = (
        User.objects.filter(support_memberships__team=team, support_memberships__takes_requests=True, is_active=True)
        .annotate(
            load=Count("assigned_support_requests", filter=Q(assigned_support_requests__status__in=OPEN_STATUSES))
        )
        .values_list("pk", "load")
    )
    return dict(members)


def advisor_pick(*, team: Team, today: date) -> User | None:
    """The least-loaded advisor of the team present today (ties: the lowest id, for a stable choice)."""
    loads = advisor_loads(team=team)
    absent = set(
        Absence.objects.filter(user_id__in=list(loads), starts_on__lte=today, ends_on__gte=today).values_list(
            "user_id", flat=True
        )
    )
    available = sorted((load, pk) for pk, load in loads.items() if pk not in absent)
    if not available:
        return None
    return User.objects.get(pk=available[0][1])


# --- Requests -----------------------------------------------------------------------------------------------


def _new_reference(today: date) -> str:
    while True:
        suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
        reference = f"GA-{today.year}-{suffix}"
        if not SupportRequest.objects.filter(reference=reference).exists():
            return reference


def _message_clean(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise SupportError("Écrivez votre message : il est vide.", field="message")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise SupportError(
            f"Votre message compte {len(body)} caractères : {MESSAGE_MAX_LENGTH} au maximum. Raccourcissez-le.",
            field="message",
        )
    return body


def attachments_check(files: list[UploadedFileLike]) -> list[tuple[UploadedFileLike, str, bytes]]:
    """Check every file by its content; returns (file, content type, content). Raises SupportError."""
    if len(files) > MAX_FILES:
        raise SupportError(f"Joignez {MAX_FILES} fichiers au plus.", field="attachments")
    checked = []
    for upload in files:
        upload.seek(0)
        content = upload.read() if upload.size <= 6 * 1024 * 1024 else upload.read(8)
        try:
            kind = check_attachment(name=upload.name, size=upload.size, head=content[:16], content=content)
        except AttachmentRefused as error:
            raise SupportError(str(error), field="attachments") from error
        checked.append((upload, kind.content_type, content))
    return checked


def _add_message(
    *,
    support_request: SupportRequest,
    author_kind: str,
    author: User | None,
    body: str,
    files: list[UploadedFileLike],
    now: datetime,
) -> RequestMessage:
    checked = attachments_check(files)
    message = RequestMessage.objects.create(
        request=support_request, author_kind=author_kind, author=author, body=body, created_at=now
    )
    saved: list[Attachment] = []
    try:
        for upload, content_type, content in checked:
            attachment = Attachment(
                message=message,
                original_name=(upload.name or "fichier")[-200:],
                content_type=content_type,
                size=upload.size,
            )
            attachment.file.save("piece", ContentFile(content), save=False)
            saved.append(attachment)
            attachment.save()
    except Exception:
        for attachment in saved:  # nothing half-saved: no orphan file on disk
            attachment.file.delete(save=False)
        raise
    return message


@transaction.atomic
def request_create(
    *,
    topic: str,
    profile: str,
    commune: Commune,
    name: str,
    email: str,
    message: str,
    phone: str = "",
    contact_preference: str = ContactPreference.EMAIL,
    files: list[UploadedFileLike] | None = None,
    requester: User | None = None,
    now: datetime | None = None,
) -> CreatedRequest:
    """Record a request, route it to the team of its zone d'emploi and topic, assign the least-loaded advisor
    present, set its deadline in working days and notify the requester and the advisor (after commit)."""
    now = now or clock.now()
    today = timezone.localdate(now)
    body = _message_clean(message)
    if topic not in Topic.values:
        raise SupportError("Choisissez le thème de votre question dans la liste.", field="topic")
    if profile not in RequesterProfile.values:
        raise SupportError("Indiquez qui vous êtes dans la liste.", field="profile")
    if contact_preference == ContactPreference.PHONE and not phone.strip():
        raise SupportError(
            "Indiquez votre numéro de téléphone, ou choisissez d'être recontacté par e-mail.", field="phone"
        )
    basin = commune_basin(commune=commune, grid=BasinGrid.ZONE_EMPLOI)
    team = team_for(basin=basin, topic=topic)
    advisor = advisor_pick(team=team, today=today) if team else None
    token = secrets.token_urlsafe(24)
    support_request = SupportRequest.objects.create(
        reference=_new_reference(today),
        topic=topic,
        profile=profile,
        commune=commune,
        basin=basin,
        requester=requester if requester and requester.is_authenticated else None,
        name=name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        contact_preference=contact_preference,
        status=RequestStatus.ASSIGNED if advisor else RequestStatus.NEW,
        team=team,
        advisor=advisor,
        token_hash=token_hash(token),
        created_at=now,
        received_on=today,
        deadline=answer_deadline(received_on=today, working_days=topic_working_days(topic)),
    )
    _add_message(
        support_request=support_request,
        author_kind=AuthorKind.REQUESTER,
        author=support_request.requester,
        body=body,
        files=list(files or []),
        now=now,
    )
    request_id = support_request.pk
    transaction.on_commit(lambda: notify_request_received(request_id=request_id, token=token))
    return CreatedRequest(request=support_request, token=token)


def advisor_can_act(*, support_request: SupportRequest, user: User) -> bool:
    from guichet.accounts.permissions import is_admin

    if is_admin(user):
        return True
    return SupportRequest.objects.visible_to(user).filter(pk=support_request.pk).exists()


@transaction.atomic
def request_answer(
    *,
    support_request: SupportRequest,
    advisor: User,
    body: str,
    files: list[UploadedFileLike] | None = None,
    ask_requester: bool = False,
    now: datetime | None = None,
) -> RequestMessage:
    """An advisor writes to the requester: an answer (status answered) or a question back (waiting for the
    requester). The first one sets the first-response time used by the dashboard."""
    now = now or clock.now()
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if support_request.status == RequestStatus.CLOSED:
        raise SupportError("La demande est clôturée : rouvrez-la avant de répondre.")
    if not advisor_can_act(support_request=support_request, user=advisor):
        raise SupportError("Cette demande ne relève pas de vos zones.")
    message = _add_message(
        support_request=support_request,
        author_kind=AuthorKind.ADVISOR,
        author=advisor,
        body=_message_clean(body),
        files=list(files or []),
        now=now,
    )
    update = ["status"]
    if support_request.advisor_id is None:
        support_request.advisor = advisor
        update.append("advisor")
    if support_request.first_response_at is None:
        support_request.first_response_at = now
        update.append("first_response_at")
    if ask_requester:
        support_request.status = RequestStatus.WAITING_REQUESTER
    else:
        support_request.status = RequestStatus.ANSWERED
        if support_request.answered_on is None:
            support_request.answered_on = timezone.localdate(now)
            update.append("answered_on")
    support_request.save(update_fields=update)
    message_id = message.pk
    transaction.on_commit(lambda: notify_advisor_message(message_id=message_id))
    return message


@transaction.atomic
def request_reply_by_requester(
    *,
    support_request: SupportRequest,
    body: str,
    files: list[UploadedFileLike] | None = None,
    author: User | None = None,
    now: datetime | None = None,
) -> RequestMessage:
    """The requester writes back: the request goes back to the advisor (a closed one must be reopened)."""
    now = now or clock.now()
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if support_request.status == RequestStatus.CLOSED:
        raise SupportError("Votre demande est clôturée : rouvrez-la pour écrire à nouveau.")
    message = _add_message(
        support_request=support_request,
        author_kind=AuthorKind.REQUESTER,
        author=author if author and author.is_authenticated else None,
        body=_message_clean(body),
        files=list(files or []),
        now=now,
    )
    if support_request.status in (RequestStatus.WAITING_REQUESTER, RequestStatus.ANSWERED):
        support_request.status = RequestStatus.ASSIGNED if support_request.advisor_id else RequestStatus.NEW
        support_request.save(update_fields=["status"])
    message_id = message.pk
    transaction.on_commit(lambda: notify_requester_message(message_id=message_id))
    return message


@transaction.atomic
def request_close(
    *, support_request: SupportRequest, rating: int | None = None, comment: str = "", now: datetime | None = None
) -> SupportRequest:
    """Close a request (the requester, or the advisor once answered), with an optional satisfaction rating."""
    now = now or clock.now()
    if support_request.status == RequestStatus.CLOSED:
        raise SupportError("La demande est déjà clôturée.")
    if rating is not None and not 1 <= rating <= 5:
        raise SupportError("Choisissez une note de 1 à 5.", field="rating")
    support_request.status = RequestStatus.CLOSED
    support_request.closed_at = now
    support_request.rating = rating
    support_request.rating_comment = comment.strip()[:2000]
    support_request.save(update_fields=["status", "closed_at", "rating", "rating_comment"])
    return support_request


def reopen_possible_until(support_request: SupportRequest) -> date | None:
    if support_request.closed_at is None:
        return None
    return timezone.localdate(support_request.closed_at) + timedelta(days=REOPEN_WITHIN_DAYS)


@transaction.atomic
def request_reopen(*, support_request: SupportRequest, now: datetime | None = None) -> SupportRequest:
    """Reopen a closed request within 30 days of its closing; a new deadline runs from today."""
    now = now or clock.now()
    today = timezone.localdate(now)
    if support_request.status != RequestStatus.CLOSED:
        raise SupportError("Seule une demande clôturée peut être rouverte.")
    limit = reopen_possible_until(support_request)
    if limit is None or today > limit:
        raise SupportError(
            f"Cette demande a été clôturée il y a plus de {REOPEN_WITHIN_DAYS} jours : posez une nouvelle question."
        )
    support_request.status = RequestStatus.ASSIGNED if support_request.advisor_id else RequestStatus.NEW
    support_request.closed_at = None
    support_request.rating = None
    support_request.rating_comment = ""
    support_request.received_on = today
    support_request.deadline = answer_deadline(
        received_on=today, working_days=topic_working_days(support_request.topic)
    )
    support_request.reminded_at = support_request.escalated_at = None
    support_request.save()
    return support_request


@transaction.atomic
def request_reassign(*, support_request: SupportRequest, advisor: User) -> SupportRequest:
    if not advisor.is_active or advisor.role != Role.ADVISOR:
        raise SupportError("Choisissez un conseiller actif.")
    support_request.advisor = advisor
    if support_request.status == RequestStatus.NEW:
        support_request.status = RequestStatus.ASSIGNED
    support_request.save(update_fields=["advisor", "status"])
    return support_request


# --- Reminders and escalations (periodic jobs) --------------------------------------------------------------


def _reminder_days(topic: str) -> int:
    row = TopicDeadline.objects.filter(topic=topic).only("reminder_days").first()
    return row.reminder_days if row else 1


def requests_remind(*, today: date) -> int:
    """Remind the advisor of each pending request whose deadline is near (once per request)."""
    sent = 0
    pending = SupportRequest.objects.filter(
        status__in=(RequestStatus.NEW, RequestStatus.ASSIGNED), reminded_at__isnull=True, deadline__gte=today
    ).select_related("advisor", "team")
    for support_request in pending:
        # Remind once the deadline is at most `reminder_days` working days away.
        if (
            add_working_days(today, _reminder_days(support_request.topic), kind=DayKind.WORKED)
            < support_request.deadline
        ):
            continue
        recipients = _advisor_recipients(support_request)
        if not recipients:
            continue
        email_enqueue(
            subject=f"[{support_request.reference}] À traiter avant le {french_date(support_request.deadline)}",
            body=(
                f"Bonjour,\n\nLa demande {support_request.reference} ({support_request.get_topic_display()}, "
                f"{support_request.commune.name}) attend une réponse au plus tard le "
                f"{french_date(support_request.deadline)}.\n\nOuvrez-la : "
                f"{site_url()}{reverse('support:advisor_detail', args=[support_request.reference])}\n"
            ),
            to=recipients,
        )
        support_request.reminded_at = clock.now()
        support_request.save(update_fields=["reminded_at"])
        sent += 1
    return sent


def requests_escalate(*, today: date) -> int:
    """Tell the team lead of each pending request whose deadline has passed (once per request)."""
    escalated = 0
    late = SupportRequest.objects.filter(
        status__in=(RequestStatus.NEW, RequestStatus.ASSIGNED), escalated_at__isnull=True, deadline__lt=today
    ).select_related("advisor", "team")
    for support_request in late:
        leads = _lead_recipients(support_request)
        if leads:
            advisor = support_request.advisor.get_full_name() if support_request.advisor else "personne"
            email_enqueue(
                subject=f"[{support_request.reference}] En retard depuis le {french_date(support_request.deadline)}",
                body=(
                    f"Bonjour,\n\nLa demande {support_request.reference} ({support_request.get_topic_display()}, "
                    f"{support_request.commune.name}) devait recevoir une réponse au plus tard le "
                    f"{french_date(support_request.deadline)}. Elle est attribuée à : {advisor}.\n\n"
                    f"Ouvrez-la : {site_url()}{reverse('support:advisor_detail', args=[support_request.reference])}\n"
                ),
                to=leads,
            )
        support_request.escalated_at = clock.now()
        support_request.save(update_fields=["escalated_at"])
        escalated += 1
    return escalated


def _advisor_recipients(support_request: SupportRequest) -> list[str]:
    if support_request.advisor and support_request.advisor.is_active:
        return [support_request.advisor.email]
    return _lead_recipients(support_request)


def _lead_recipients(support_request: SupportRequest) -> list[str]:
    if support_request.team is None:
        return list(User.objects.filter(role=Role.ADMIN, is_active=True).values_list("email", flat=True)[:5])
    leads = TeamMember.objects.filter(team=support_request.team, is_lead=True, user__is_active=True)
    emails = [member.user.email for member in leads.select_related("user")]
    return emails or ([support_request.team.email] if support_request.team.email else [])


# --- Notifications (e-mails through the task runner) --------------------------------------------------------


def notify_request_received(*, request_id: int, token: str) -> None:
    support_request = SupportRequest.objects.select_related("advisor", "commune", "team").get(pk=request_id)
    link = f"{site_url()}{follow_path(support_request, token)}"
    email_enqueue(
        subject=f"Votre question a bien été reçue : {support_request.reference}",
        body=(
            f"Bonjour {support_request.name},\n\n"
            f"Nous avons bien reçu votre question sur « {support_request.get_topic_display()} ».\n"
            f"Référence : {support_request.reference}\n"
            f"Un conseiller de la Région vous répond au plus tard le {french_date(support_request.deadline)} "
            "(délai compté en jours ouvrés : sans les samedis, dimanches et jours fériés).\n\n"
            f"Suivez votre demande et répondez au conseiller avec ce lien personnel (ne le partagez pas) :\n{link}\n\n"
            "Guichet Apprentissage, Région Hauts-de-France\n"
        ),
        to=[support_request.email],
    )
    if support_request.advisor:
        email_enqueue(
            subject=f"[{support_request.reference}] Nouvelle demande : {support_request.get_topic_display()}",
            body=(
                f"Bonjour,\n\nUne nouvelle demande vous est attribuée ({support_request.commune.name}). "
                f"Répondez au plus tard le {french_date(support_request.deadline)}.\n\n"
                f"{site_url()}{reverse('support:advisor_detail', args=[support_request.reference])}\n"
            ),
            to=[support_request.advisor.email],
        )


def notify_advisor_message(*, message_id: int) -> None:
    message = RequestMessage.objects.select_related("request").get(pk=message_id)
    support_request = message.request
    question = support_request.status == RequestStatus.WAITING_REQUESTER
    email_enqueue(
        subject=(f"{'Une question' if question else 'Une réponse'} de votre conseiller : {support_request.reference}"),
        body=(
            f"Bonjour {support_request.name},\n\n"
            f"Votre conseiller vous a écrit au sujet de votre demande {support_request.reference} :\n\n"
            f"{message.body}\n\n"
            "Pour lui répondre ou clôturer votre demande, ouvrez le lien personnel reçu avec l'accusé de réception"
            + (", ou connectez-vous à votre compte" if support_request.requester_id else "")
            + ".\n\nGuichet Apprentissage, Région Hauts-de-France\n"
        ),
        to=[support_request.email],
    )


def notify_requester_message(*, message_id: int) -> None:
    message = RequestMessage.objects.select_related("request", "request__advisor").get(pk=message_id)
    support_request = message.request
    recipients = _advisor_recipients(support_request)
    if recipients:
        email_enqueue(
            subject=f"[{support_request.reference}] Le demandeur a répondu",
            body=(
                f"Bonjour,\n\nLe demandeur a écrit au sujet de la demande {support_request.reference}.\n\n"
                f"{site_url()}{reverse('support:advisor_detail', args=[support_request.reference])}\n"
            ),
            to=recipients,
        )


# --- Knowledge base -----------------------------------------------------------------------------------------


@transaction.atomic
def page_save(
    *,
    page: KnowledgePage,
    changed_by: User | None,
    note: str,
    now: datetime | None = None,
    changed_by_label: str = "",
) -> KnowledgePage:
    """Save a page and record a version (who, when, what) when its text changed."""
    now = now or clock.now()
    if not page.title.strip() or not page.body.strip():
        raise SupportError("Une page a besoin d'un titre et d'un contenu.")
    if not page.sources.strip():
        raise SupportError("Citez au moins une source (texte de loi ou page officielle).", field="sources")
    page.__dict__.update(page_search_fields(title=page.title, summary=page.summary, body=page.body))
    page.full_clean(exclude=["owner", "slug", "search_vector"] if page.pk else ["owner", "search_vector"])
    page.save()
    pages_reindex(KnowledgePage.objects.filter(pk=page.pk))
    last = page.versions.order_by("-number").first()
    state = (page.title, page.summary, page.body, page.sources)
    if last is None or (last.title, last.summary, last.body, last.sources) != state:
        KnowledgePageVersion.objects.create(
            page=page,
            number=(last.number + 1) if last else 1,
            title=page.title,
            summary=page.summary,
            body=page.body,
            sources=page.sources,
            changed_by=changed_by,
            changed_by_label=changed_by_label or (str(changed_by) if changed_by else "Guichet (chargement)"),
            changed_at=now,
            note=note[:300] or "Modification",
        )
    return page


@transaction.atomic
def page_mark_reviewed(
    *, page: KnowledgePage, reviewer: User, next_review_on: date, today: date | None = None
) -> KnowledgePage:
    today = today or clock.today()
    if next_review_on <= today:
        raise SupportError("Choisissez une prochaine date de vérification dans le futur.", field="next_review_on")
    page.last_reviewed_on, page.next_review_on, page.review_flagged_at = today, next_review_on, None
    page.save(update_fields=["last_reviewed_on", "next_review_on", "review_flagged_at", "updated_at"])
    return page


def pages_flag_past_review(*, today: date) -> int:
    """E-mail each owner the pages past their review date (once per page until it is reviewed)."""
    pages = KnowledgePage.objects.past_review(today=today).filter(review_flagged_at__isnull=True)
    by_owner: dict[str, list[KnowledgePage]] = {}
    for page in pages.select_related("owner"):
        email = page.owner.email if page.owner and page.owner.is_active else ""
        by_owner.setdefault(email, []).append(page)
    flagged = 0
    for email, owned in by_owner.items():
        recipients = (
            [email]
            if email
            else list(User.objects.filter(role=Role.ADMIN, is_active=True).values_list("email", flat=True)[:5])
        )
        if recipients:
            lines = "\n".join(
                f"- {page.title} (à vérifier depuis le {french_date(page.next_review_on)}) : "
                f"{site_url()}{reverse('support:page', args=[page.slug])}"
                for page in owned
            )
            email_enqueue(
                subject=f"{len(owned)} page(s) d'information à vérifier",
                body=(
                    "Bonjour,\n\nCes pages ont dépassé leur date de vérification ; le public voit la mention "
                    f"« en cours de vérification » :\n\n{lines}\n\nTableau de bord : "
                    f"{site_url()}{reverse('support:editor_dashboard')}\n"
                ),
                to=recipients,
            )
        KnowledgePage.objects.filter(pk__in=[page.pk for page in owned]).update(review_flagged_at=clock.now())
        flagged += len(owned)
    return flagged


# --- Configuration data -------------------------------------------------------------------------------------


def topic_deadlines_ensure() -> int:
    """Create the default deadline rows an administrator then edits (idempotent)."""
    from guichet.support.deadlines import DEFAULT_WORKING_DAYS

    created = 0
    for topic, days in DEFAULT_WORKING_DAYS.items():
        _, was_created = TopicDeadline.objects.get_or_create(topic=topic, defaults={"working_days": days})
        created += was_created
    return created


def team_member_add(*, team: Team, user: User, is_lead: bool = False) -> TeamMember:
    try:
        with transaction.atomic():
            return TeamMember.objects.create(team=team, user=user, is_lead=is_lead)
    except IntegrityError as error:
        raise SupportError(f"{user} fait déjà partie de l'équipe {team}.") from error
