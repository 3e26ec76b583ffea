"""Writes on young people's profiles and applications. Keyword-only, stable signatures:

Profiles
- candidate_profile_create(*, user, birth_date, commune, mobility_radius_km=20, driving_licence=False,
  current_level=None, wished_jobs=(), wished_level=None, available_from=None, rqth=False,
  visible_to_employers=False, today=None) -> CandidateProfile
- candidate_profile_update(*, profile, changes: ProfileChanges, today=None) -> CandidateProfile
  ProfileChanges: every field defaults to KEEP (unchanged); None empties an optional field (current_level,
  wished_level, available_from); wished_jobs=[] removes all wished jobs.
  Turning visibility on records the consent instant (visibility_consent_at); turning it off clears it.

Applications (workflow sent -> seen -> interview -> accepted -> contract_signed | refused | withdrawn)
- application_create(*, candidate, offer, message="", today=None) -> Application
- application_transition(*, application, to_status, by, reason="", note="", today=None) -> Application
  and the named shortcuts: application_mark_seen, application_propose_interview, application_accept,
  application_refuse(reason=...), application_withdraw, application_sign_contract (same keyword arguments).
- application_allowed_transitions(*, application, user) -> list[str]     what this user may do now
- application_process_silence(*, today=None) -> SilenceReport            periodic job (daily)

Every transition writes an ApplicationEvent (date, author; author None when the guichet acts alone), tells
the young person (in-app Notification + e-mail through the task runner) and, where useful, the employer.
Invalid transitions raise ApplicationError with a French message (nothing saved).

Employer silence (deadlines in jours ouvrés, guichet.core.calendar, counted from the sending day):
APPLICATION_REMINDER_WORKING_DAYS (5) -> reminder to the employer; APPLICATION_ESCALATION_WORKING_DAYS (10)
-> escalated to an advisor of the offer's zone d'emploi; APPLICATION_CLOSURE_WORKING_DAYS (15) -> refused
with the reason "sans réponse". When a contract is signed, the young person's other open applications are
withdrawn (reason "contrat signé pour une autre offre") and their employers thanked; when all the offer's
positions are signed, the offer is filled and its other open applications are closed politely.
Fairness: an offer with OFFER_PAUSE_PENDING_APPLICATIONS (20) pending applications accepts no new one.

Enrolments at a training centre (looking for an employer -> contract signed -> contract broken; withdrawn)
- enrolment_declare(*, candidate, training, session=None, today=None) -> Enrolment      by the young person
- enrolment_invite(*, by, email, training, session=None, today=None) -> Enrolment | None  by centre staff;
  None when no young person's profile has this e-mail (the page says the same either way); the young
  person confirms (enrolment_confirm: records the consent) or declines (enrolment_decline: deleted).
- enrolment_transition(*, enrolment, to_status, by, on=None, today=None) -> Enrolment, and the shortcuts
  enrolment_mark_signed, enrolment_report_broken(on=break date), enrolment_withdraw.
- enrolment_allowed_transitions(*, enrolment, user) -> list[str]
When an application reaches "contract signed", the young person's enrolments without an employer become
"contract signed" (same day, linked to the application). The centre sees an enrolment once confirmed only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import Enum
from typing import Any, Final

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from guichet.accounts.models import AdvisorAssignment, Role, User
from guichet.accounts.permissions import AnyUser, has_role, is_admin
from guichet.accounts.tasks import email_enqueue
from guichet.candidates.enums import (
    AWAITING_EMPLOYER,
    EMPLOYER_REFUSAL_REASONS,
    ENROLMENT_WITHOUT_EMPLOYER,
    FINAL_STATUSES,
    OPEN_STATUSES,
    ApplicationStatus,
    EnrolmentSource,
    EnrolmentStatus,
    EventKind,
    NotificationKind,
    RefusalReason,
    WithdrawalReason,
)
from guichet.candidates.models import Application, ApplicationEvent, CandidateProfile, Enrolment, Notification
from guichet.core.calendar import add_working_days
from guichet.jobs.models import DiplomaLevel, RomeJob
from guichet.offers import services as offer_services
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.rules.base import age_on
from guichet.territory.models import BasinGrid, BasinMembership, Commune
from guichet.trainings.models import Training, TrainingSession

S = ApplicationStatus
EMPLOYER, YOUNG, SYSTEM = "employer", "young", "system"

# (from, to) -> who may make the change.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.SENT, S.SEEN): frozenset({EMPLOYER}),
    (S.SENT, S.INTERVIEW): frozenset({EMPLOYER}),
    (S.SEEN, S.INTERVIEW): frozenset({EMPLOYER}),
    (S.SENT, S.ACCEPTED): frozenset({EMPLOYER}),
    (S.SEEN, S.ACCEPTED): frozenset({EMPLOYER}),
    (S.INTERVIEW, S.ACCEPTED): frozenset({EMPLOYER}),
    (S.ACCEPTED, S.CONTRACT_SIGNED): frozenset({EMPLOYER, YOUNG}),
    **{(status, S.REFUSED): frozenset({EMPLOYER, SYSTEM}) for status in OPEN_STATUSES},
    **{(status, S.WITHDRAWN): frozenset({YOUNG, SYSTEM}) for status in OPEN_STATUSES},
}
# First answers of an employer (the response rate counts them; "seen" is not an answer).
ANSWERS = frozenset({S.INTERVIEW, S.ACCEPTED, S.REFUSED})


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ProfileError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def reminder_working_days() -> int:
    return int(getattr(settings, "APPLICATION_REMINDER_WORKING_DAYS", 5))


def escalation_working_days() -> int:
    return int(getattr(settings, "APPLICATION_ESCALATION_WORKING_DAYS", 10))


def closure_working_days() -> int:
    return int(getattr(settings, "APPLICATION_CLOSURE_WORKING_DAYS", 15))


def pause_threshold() -> int:
    """Pending applications at which an offer is paused (hidden from search, no new application)."""
    return int(getattr(settings, "OFFER_PAUSE_PENDING_APPLICATIONS", 20))


# --- Profiles -------------------------------------------------------------------------------------------------


class Keep(Enum):
    """Marker of a profile field left as it is (`KEEP`), distinct from None, which empties an optional field."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP

# Fields a young person may leave empty (None empties them); the others always hold a value.
OPTIONAL_PROFILE_FIELDS = frozenset({"current_level", "wished_level", "available_from"})


@dataclass(frozen=True)
class ProfileChanges:
    """Fields to change on a profile. Every field defaults to KEEP (left as it is); for the optional fields
    (current_level, wished_level, available_from) None empties the field; wished_jobs=[] removes every
    wished job; booleans take False to switch off (driving licence, RQTH, visibility).

        ProfileChanges(available_from=None, rqth=False)   # empty the date, remove the RQTH, keep the rest
    """

    birth_date: date | Keep = KEEP
    commune: Commune | Keep = KEEP
    mobility_radius_km: int | Keep = KEEP
    driving_licence: bool | Keep = KEEP
    current_level: DiplomaLevel | Keep | None = KEEP
    wished_jobs: list[RomeJob] | Keep = KEEP
    wished_level: DiplomaLevel | Keep | None = KEEP
    available_from: date | Keep | None = KEEP
    rqth: bool | Keep = KEEP
    visible_to_employers: bool | Keep = KEEP

    def as_dict(self) -> dict[str, Any]:
        """The fields to write (KEEP ones left out); None only for the optional fields, else ProfileError."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not KEEP}
        for name, value in values.items():
            if value is None and name not in OPTIONAL_PROFILE_FIELDS:
                label = CandidateProfile._meta.get_field(name).verbose_name
                raise ProfileError(f"Le champ « {label} » ne peut pas être vidé : indiquez une valeur.", field=name)
        return values


def _check_profile(*, birth_date: date, mobility_radius_km: int, today: date) -> None:
    age = age_on(birth_date, today)
    if birth_date > today or age < 14:
        raise ProfileError(
            "L'apprentissage commence à 15 ans (ou 14 ans si vous avez fini la 3e) : vérifiez la date de naissance.",
            field="birth_date",
        )
    if age > 100:
        raise ProfileError("Vérifiez l'année de naissance.", field="birth_date")
    if not 1 <= mobility_radius_km <= 200:
        raise ProfileError("Le rayon de mobilité va de 1 à 200 km.", field="mobility_radius_km")


@transaction.atomic
def candidate_profile_create(
    *,
    user: User,
    birth_date: date,
    commune: Commune,
    mobility_radius_km: int = 20,
    driving_licence: bool = False,
    current_level: DiplomaLevel | None = None,
    wished_jobs: Iterable[RomeJob] = (),
    wished_level: DiplomaLevel | None = None,
    available_from: date | None = None,
    rqth: bool = False,
    visible_to_employers: bool = False,
    today: date | None = None,
) -> CandidateProfile:
    today = today or timezone.localdate()
    if user.role != Role.YOUNG:
        raise ProfileError("Seul un compte « jeune » peut créer un profil de candidat.")
    if CandidateProfile.objects.filter(user=user).exists():
        raise ProfileError("Vous avez déjà un profil : modifiez-le plutôt.")
    _check_profile(birth_date=birth_date, mobility_radius_km=mobility_radius_km, today=today)
    profile = CandidateProfile.objects.create(
        user=user,
        birth_date=birth_date,
        commune=commune,
        mobility_radius_km=mobility_radius_km,
        driving_licence=driving_licence,
        current_level=current_level,
        wished_level=wished_level,
        available_from=available_from,
        rqth=rqth,
        visible_to_employers=visible_to_employers,
        visibility_consent_at=timezone.now() if visible_to_employers else None,
    )
    profile.wished_jobs.set(list(wished_jobs))
    return profile


@transaction.atomic
def candidate_profile_update(
    *, profile: CandidateProfile, changes: ProfileChanges, today: date | None = None
) -> CandidateProfile:
    today = today or timezone.localdate()
    values = changes.as_dict()
    wished_jobs = values.pop("wished_jobs", KEEP)
    visible = values.pop("visible_to_employers", KEEP)
    for name, value in values.items():
        setattr(profile, name, value)
    _check_profile(birth_date=profile.birth_date, mobility_radius_km=profile.mobility_radius_km, today=today)
    if visible is True and not profile.visible_to_employers:
        profile.visible_to_employers, profile.visibility_consent_at = True, timezone.now()
    elif visible is False:
        profile.visible_to_employers, profile.visibility_consent_at = False, None
    profile.save()
    if wished_jobs is not KEEP:
        profile.wished_jobs.set(wished_jobs)
    return profile


# --- Notifications --------------------------------------------------------------------------------------------


def _employer_users(offer: Offer) -> list[User]:
    users = User.objects.filter(is_active=True).filter(
        Q(establishment_memberships__establishment_id=offer.establishment_id)
        | (Q(centre_memberships__centre_id=offer.posted_by_centre_id) if offer.posted_by_centre_id else Q(pk=None))
    )
    return list(users.distinct().order_by("email"))


def _notify(
    users: Iterable[User | None], *, application: Application | None, kind: str, title: str, body: str
) -> None:
    """An in-app message per user and the same text by e-mail, queued after the commit."""
    recipients = [user for user in users if user is not None and user.is_active]
    if not recipients:
        return
    Notification.objects.bulk_create(
        [
            Notification(recipient=user, application=application, kind=kind, title=title, body=body)
            for user in recipients
        ]
    )
    to = sorted({user.email for user in recipients})
    text = f"Bonjour,\n\n{body}\n\nL'équipe du Guichet Apprentissage"
    transaction.on_commit(lambda: email_enqueue(subject=title, body=text, to=to))


def _young(application: Application) -> list[User | None]:
    return [application.candidate.user]


def _offer_label(offer: Offer) -> str:
    return f"« {offer.title} » ({offer.establishment.name})"


# --- Applications ---------------------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *, candidate: CandidateProfile, offer: Offer, message: str = "", today: date | None = None
) -> Application:
    today = today or timezone.localdate()
    offer = Offer.objects.select_for_update().select_related("establishment").get(pk=offer.pk)
    if offer.status != OfferStatus.PUBLISHED:
        raise ApplicationError(
            f"Cette offre est {offer.get_status_display().lower()} : elle ne reçoit plus de candidatures.",
            field="offer",
        )
    if Application.objects.filter(candidate=candidate, offer=offer, status__in=list(OPEN_STATUSES)).exists():
        raise ApplicationError("Vous avez déjà une candidature en cours pour cette offre.", field="offer")
    # The offer row was just locked: its pending count (kept by the database) is the current one.
    if offer.pending_applications >= pause_threshold():
        raise ApplicationError(
            "Cette offre a déjà reçu beaucoup de candidatures en attente : elle est en pause. "
            "Consultez des offres proches qui en ont reçu moins.",
            field="offer",
        )
    if len(message) > 5000:
        raise ApplicationError("Votre message ne doit pas dépasser 5 000 caractères.", field="message")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=candidate, offer=offer, status=S.SENT, message=message.strip(), sent_on=today
            )
    except IntegrityError as error:
        raise ApplicationError("Vous avez déjà une candidature en cours pour cette offre.", field="offer") from error
    ApplicationEvent.objects.create(
        application=application, kind=EventKind.TRANSITION, to_status=S.SENT, author=candidate.user, on=today
    )
    _notify(
        _young(application),
        application=application,
        kind=NotificationKind.STATUS,
        title=f"Candidature envoyée : {offer.title}",
        body=f"Votre candidature à l'offre {_offer_label(offer)} est envoyée le {today:%d/%m/%Y}. "
        f"Sans réponse de l'employeur sous {reminder_working_days()} jours ouvrés, nous le relançons.",
    )
    _notify(
        _employer_users(offer),
        application=application,
        kind=NotificationKind.STATUS,
        title=f"Nouvelle candidature : {offer.title}",
        body=f"Vous avez reçu une candidature pour l'offre « {offer.title} ». Répondez depuis votre espace employeur "
        f"sous {reminder_working_days()} jours ouvrés : les jeunes attendent votre réponse.",
    )
    return application


def _actor_roles(*, application: Application, by: AnyUser | None) -> set[str]:
    if by is None:
        return {SYSTEM}
    roles: set[str] = set()
    if is_admin(by):
        return {EMPLOYER, YOUNG}
    if has_role(by, Role.YOUNG) and application.candidate.user_id == by.pk:
        roles.add(YOUNG)
    if has_role(by, Role.EMPLOYER) and application.offer.establishment.memberships.filter(user=by).exists():
        roles.add(EMPLOYER)
    if (
        has_role(by, Role.TRAINING_CENTRE)
        and application.offer.posted_by_centre_id
        and application.offer.posted_by_centre.memberships.filter(user=by).exists()
    ):
        roles.add(EMPLOYER)
    return roles


def application_allowed_transitions(*, application: Application, user: AnyUser | None) -> list[str]:
    roles = _actor_roles(application=application, by=user)
    return [to for (origin, to), who in TRANSITIONS.items() if origin == application.status and who & roles]


_YOUNG_MESSAGES = {
    S.SEEN: ("Candidature vue", "L'employeur a consulté votre candidature à l'offre {offer}."),
    S.INTERVIEW: (
        "Entretien proposé",
        "L'employeur vous propose un entretien pour l'offre {offer}. Il va vous contacter ; consultez votre espace.",
    ),
    S.ACCEPTED: (
        "Candidature acceptée",
        "Bonne nouvelle : l'employeur accepte votre candidature à l'offre {offer}. Préparez le contrat ensemble.",
    ),
    S.CONTRACT_SIGNED: ("Contrat signé", "Le contrat d'apprentissage pour l'offre {offer} est signé. Félicitations !"),
    S.REFUSED: (
        "Candidature non retenue",
        "Votre candidature à l'offre {offer} n'est pas retenue ({reason}). D'autres offres vous attendent : "
        "relancez une recherche.",
    ),
    S.WITHDRAWN: ("Candidature retirée", "Votre candidature à l'offre {offer} est retirée ({reason})."),
}


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_status: str,
    by: AnyUser | None,
    reason: str = "",
    note: str = "",
    today: date | None = None,
) -> Application:
    """Move an application to `to_status` if the workflow allows it for this author (None = the guichet)."""
    today = today or timezone.localdate()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("offer__establishment", "candidate__user")
        .get(pk=application.pk)
    )
    origin = application.status
    if to_status not in S.values:
        raise ApplicationError("Statut inconnu.", field="status")
    target = S(to_status)
    allowed = TRANSITIONS.get((origin, target))
    if origin in FINAL_STATUSES:
        raise ApplicationError(
            f"Cette candidature est déjà close ({S(origin).label.lower()}) : son statut ne peut plus changer."
        )
    if allowed is None:
        raise ApplicationError(
            f"Une candidature « {S(origin).label.lower()} » ne peut pas passer à « {target.label.lower()} »."
        )
    roles = _actor_roles(application=application, by=by)
    if not allowed & roles:
        who = "l'employeur" if EMPLOYER in allowed else "le jeune"
        raise ApplicationError(f"Seul {who} peut faire passer cette candidature à « {target.label.lower()} ».")
    if target == S.REFUSED:
        valid = set(EMPLOYER_REFUSAL_REASONS) if SYSTEM not in roles else set(RefusalReason.values)
        if reason not in valid:
            raise ApplicationError(
                "Choisissez le motif du refus dans la liste : il est communiqué au candidat.", field="reason"
            )
    elif target == S.WITHDRAWN:
        reason = reason or WithdrawalReason.YOUNG_CHOICE
        if reason not in WithdrawalReason.values:
            raise ApplicationError("Motif de retrait inconnu.", field="reason")
    elif reason:
        raise ApplicationError("Un motif ne s'indique que pour un refus ou un retrait.", field="reason")
    application.status = target
    application.reason = reason
    if target in ANSWERS and application.answered_on is None and SYSTEM not in roles:
        application.answered_on = today
    if target in FINAL_STATUSES:
        application.closed_on = today
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        kind=EventKind.TRANSITION,
        from_status=origin,
        to_status=target,
        author=by if by is not None else None,
        on=today,
        note=note[:500],
    )
    offer = application.offer
    title, body = _YOUNG_MESSAGES[target]
    reason_label = dict(application._meta.get_field("reason").choices).get(reason, "")
    _notify(
        _young(application),
        application=application,
        kind=NotificationKind.CLOSURE if SYSTEM in roles else NotificationKind.STATUS,
        title=f"{title} : {offer.title}",
        body=body.format(offer=_offer_label(offer), reason=str(reason_label).lower()),
    )
    if target == S.WITHDRAWN and YOUNG in roles:
        _notify(
            _employer_users(offer),
            application=application,
            kind=NotificationKind.STATUS,
            title=f"Candidature retirée : {offer.title}",
            body=f"Un candidat a retiré sa candidature à l'offre « {offer.title} ».",
        )
    if target == S.CONTRACT_SIGNED:
        _after_contract_signed(application, today=today)
        _enrolments_after_contract_signed(application, today=today)
    return application


def _after_contract_signed(application: Application, *, today: date) -> None:
    others = Application.objects.filter(candidate_id=application.candidate_id, status__in=list(OPEN_STATUSES)).exclude(
        pk=application.pk
    )
    for other in others.select_related("offer__establishment"):
        application_transition(
            application=other,
            to_status=S.WITHDRAWN,
            by=None,
            reason=WithdrawalReason.CONTRACT_ELSEWHERE,
            note="Clôture automatique : contrat signé pour une autre offre.",
            today=today,
        )
        _notify(
            _employer_users(other.offer),
            application=other,
            kind=NotificationKind.CLOSURE,
            title=f"Candidature close : {other.offer.title}",
            body=f"Un candidat à votre offre « {other.offer.title} » a signé un contrat d'apprentissage pour une "
            "autre offre : sa candidature est close. Merci de l'attention que vous lui avez portée.",
        )
    offer = application.offer
    signed = Application.objects.filter(offer=offer, status=S.CONTRACT_SIGNED).count()
    if offer.status == OfferStatus.PUBLISHED and signed >= offer.positions:
        offer_services.offer_fill(offer=offer, today=today)


def _close_for_offer(offer: Offer, today: date) -> None:
    """Hook of offers.services: the offer left "published"; close its open applications politely."""
    for application in Application.objects.filter(offer=offer, status__in=list(OPEN_STATUSES)):
        application_transition(
            application=application,
            to_status=S.REFUSED,
            by=None,
            reason=RefusalReason.OFFER_CLOSED,
            note=f"Clôture automatique : offre {offer.get_status_display().lower()}.",
            today=today,
        )


if _close_for_offer not in offer_services.OFFER_CLOSED_HOOKS:
    offer_services.OFFER_CLOSED_HOOKS.append(_close_for_offer)


def application_mark_seen(*, application: Application, by: AnyUser, today: date | None = None) -> Application:
    return application_transition(application=application, to_status=S.SEEN, by=by, today=today)


def application_propose_interview(
    *, application: Application, by: AnyUser, note: str = "", today: date | None = None
) -> Application:
    return application_transition(application=application, to_status=S.INTERVIEW, by=by, note=note, today=today)


def application_accept(*, application: Application, by: AnyUser, today: date | None = None) -> Application:
    return application_transition(application=application, to_status=S.ACCEPTED, by=by, today=today)


def application_refuse(
    *, application: Application, by: AnyUser, reason: str, note: str = "", today: date | None = None
) -> Application:
    return application_transition(
        application=application, to_status=S.REFUSED, by=by, reason=reason, note=note, today=today
    )


def application_withdraw(*, application: Application, by: AnyUser, today: date | None = None) -> Application:
    return application_transition(
        application=application, to_status=S.WITHDRAWN, by=by, reason=WithdrawalReason.YOUNG_CHOICE, today=today
    )


def application_sign_contract(*, application: Application, by: AnyUser, today: date | None = None) -> Application:
    return application_transition(application=application, to_status=S.CONTRACT_SIGNED, by=by, today=today)


# --- Enrolments at a training centre -------------------------------------------------------------------------

E = EnrolmentStatus
CENTRE = "centre"

# (from, to) -> who may make the change.
ENROLMENT_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (E.LOOKING, E.CONTRACT_SIGNED): frozenset({YOUNG, CENTRE, SYSTEM}),
    (E.CONTRACT_BROKEN, E.CONTRACT_SIGNED): frozenset({YOUNG, CENTRE, SYSTEM}),
    (E.CONTRACT_SIGNED, E.CONTRACT_BROKEN): frozenset({YOUNG, CENTRE}),
    **{
        (status, E.WITHDRAWN): frozenset({YOUNG, CENTRE})
        for status in (E.LOOKING, E.CONTRACT_SIGNED, E.CONTRACT_BROKEN)
    },
}


class EnrolmentError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _is_centre_staff(user: AnyUser, training: Training) -> bool:
    return has_role(user, Role.TRAINING_CENTRE) and training.centre.memberships.filter(user=user).exists()


def _enrolment_roles(*, enrolment: Enrolment, by: AnyUser | None) -> set[str]:
    if by is None:
        return {SYSTEM}
    if is_admin(by):
        return {YOUNG, CENTRE}
    roles: set[str] = set()
    if has_role(by, Role.YOUNG) and enrolment.candidate.user_id == by.pk:
        roles.add(YOUNG)
    if enrolment.consent_at is not None and _is_centre_staff(by, enrolment.training):
        roles.add(CENTRE)
    return roles


def _check_session(*, training: Training, session: TrainingSession | None, today: date) -> None:
    if session is None:
        return
    if session.training_id != training.pk:
        raise EnrolmentError("Cette session n'appartient pas à la formation choisie.", field="session")
    if session.ends_on < today:
        raise EnrolmentError(
            "Cette session est terminée : choisissez une session en cours ou à venir.", field="session"
        )


def _active_enrolment(*, candidate: CandidateProfile, training: Training) -> Enrolment | None:
    return (
        Enrolment.objects.select_for_update()
        .filter(candidate=candidate, training=training)
        .exclude(status=E.WITHDRAWN)
        .first()
    )


@transaction.atomic
def enrolment_declare(
    *,
    candidate: CandidateProfile,
    training: Training,
    session: TrainingSession | None = None,
    today: date | None = None,
) -> Enrolment:
    """The young person says "I am enrolled in this training and I am looking for an employer"; declaring it
    is their agreement that the centre sees it (consent recorded now)."""
    today = today or timezone.localdate()
    _check_session(training=training, session=session, today=today)
    existing = _active_enrolment(candidate=candidate, training=training)
    if existing is not None and existing.consent_at is not None:
        raise EnrolmentError(
            "Vous avez déjà déclaré cette inscription : elle figure dans votre espace.", field="training"
        )
    if existing is not None:  # the centre declared it first: declaring it too confirms it
        existing.consent_at = timezone.now()
        existing.session = session or existing.session
        existing.save(update_fields=["consent_at", "session", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                candidate=candidate,
                training=training,
                session=session,
                status=E.LOOKING,
                status_on=today,
                source=EnrolmentSource.YOUNG,
                consent_at=timezone.now(),
            )
    except IntegrityError as error:
        raise EnrolmentError("Vous avez déjà déclaré cette inscription.", field="training") from error


@transaction.atomic
def enrolment_invite(
    *,
    by: User,
    email: str,
    training: Training,
    session: TrainingSession | None = None,
    today: date | None = None,
) -> Enrolment | None:
    """Centre staff declare a young person enrolled in one of their trainings, found by the e-mail of their
    account. The young person is asked to confirm; until then the centre sees nothing of them. Returns None
    when no young person's profile has this e-mail, or the existing enrolment (nothing duplicated)."""
    today = today or timezone.localdate()
    if not (is_admin(by) or _is_centre_staff(by, training)):
        raise EnrolmentError(
            "Vous ne pouvez déclarer des inscrits que dans les formations de vos centres.", field="training"
        )
    _check_session(training=training, session=session, today=today)
    email = email.strip().lower()
    if not email or "@" not in email:
        raise EnrolmentError(
            "Saisissez l'adresse e-mail du compte du jeune, par exemple nom@exemple.fr.", field="email"
        )
    candidate = (
        CandidateProfile.objects.filter(user__email__iexact=email, user__role=Role.YOUNG, user__is_active=True)
        .select_related("user")
        .first()
    )
    if candidate is None:
        return None
    existing = _active_enrolment(candidate=candidate, training=training)
    if existing is not None:
        return existing
    enrolment = Enrolment.objects.create(
        candidate=candidate,
        training=training,
        session=session,
        status=E.LOOKING,
        status_on=today,
        source=EnrolmentSource.CENTRE,
    )
    centre = training.centre.display_name
    _notify(
        [candidate.user],
        application=None,
        kind=NotificationKind.STATUS,
        title=f"Confirmez votre inscription : {training.title}",
        body=f"Le centre de formation {centre} indique que vous êtes inscrit(e) à la formation « {training.title} » "
        "et que vous cherchez un employeur. Confirmez-le dans votre espace pour que le centre vous propose des "
        "offres ; sans confirmation, il ne voit rien de vous.",
    )
    return enrolment


@transaction.atomic
def enrolment_confirm(*, enrolment: Enrolment, by: AnyUser) -> Enrolment:
    """The young person agrees that the centre sees an enrolment it declared (consent recorded now)."""
    enrolment = Enrolment.objects.select_for_update().select_related("candidate").get(pk=enrolment.pk)
    if not (is_admin(by) or (has_role(by, Role.YOUNG) and enrolment.candidate.user_id == by.pk)):
        raise EnrolmentError("Seul le jeune concerné peut confirmer cette inscription.")
    if enrolment.consent_at is None:
        enrolment.consent_at = timezone.now()
        enrolment.save(update_fields=["consent_at", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_decline(*, enrolment: Enrolment, by: AnyUser) -> None:
    """The young person refuses an enrolment declared by a centre: it is deleted, the centre never saw it."""
    enrolment = Enrolment.objects.select_for_update().select_related("candidate").get(pk=enrolment.pk)
    if not (is_admin(by) or (has_role(by, Role.YOUNG) and enrolment.candidate.user_id == by.pk)):
        raise EnrolmentError("Seul le jeune concerné peut refuser cette inscription.")
    if enrolment.consent_at is not None:
        raise EnrolmentError("Cette inscription est déjà confirmée : retirez-la plutôt.")
    enrolment.delete()


def enrolment_allowed_transitions(*, enrolment: Enrolment, user: AnyUser | None) -> list[str]:
    roles = _enrolment_roles(enrolment=enrolment, by=user)
    if enrolment.consent_at is None:
        return []
    return [to for (origin, to), who in ENROLMENT_TRANSITIONS.items() if origin == enrolment.status and who & roles]


@transaction.atomic
def enrolment_transition(
    *,
    enrolment: Enrolment,
    to_status: str,
    by: AnyUser | None,
    on: date | None = None,
    application: Application | None = None,
    today: date | None = None,
) -> Enrolment:
    """Change an enrolment's situation if allowed for this author (None = the guichet). `on`: the day it
    happened (a contract broken last week), today by default; never in the future nor before the previous one."""
    today = today or timezone.localdate()
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("candidate", "training__centre")
        .get(pk=enrolment.pk)
    )
    if to_status not in E.values:
        raise EnrolmentError("Situation inconnue.", field="status")
    target, origin = E(to_status), E(enrolment.status)
    if enrolment.consent_at is None:
        raise EnrolmentError("Cette inscription attend la confirmation du jeune.")
    allowed = ENROLMENT_TRANSITIONS.get((origin, target))
    if origin == E.WITHDRAWN:
        raise EnrolmentError("Cette inscription est retirée : sa situation ne peut plus changer.")
    if allowed is None:
        raise EnrolmentError(
            f"Une inscription « {origin.label.lower()} » ne peut pas passer à « {target.label.lower()} »."
        )
    if not allowed & _enrolment_roles(enrolment=enrolment, by=by):
        raise EnrolmentError("Seuls le jeune et son centre de formation peuvent changer cette situation.")
    on = on or today
    if on > today:
        raise EnrolmentError("La date ne peut pas être dans le futur.", field="on")
    if on < enrolment.status_on:
        raise EnrolmentError(
            f"La date ne peut pas précéder la situation précédente ({enrolment.status_on:%d/%m/%Y}).", field="on"
        )
    enrolment.status, enrolment.status_on = target, on
    if target == E.CONTRACT_SIGNED:
        enrolment.signed_application = application
    enrolment.save(update_fields=["status", "status_on", "signed_application", "updated_at"])
    return enrolment


def enrolment_mark_signed(
    *, enrolment: Enrolment, by: AnyUser, on: date | None = None, today: date | None = None
) -> Enrolment:
    return enrolment_transition(enrolment=enrolment, to_status=E.CONTRACT_SIGNED, by=by, on=on, today=today)


def enrolment_report_broken(
    *, enrolment: Enrolment, by: AnyUser, on: date | None = None, today: date | None = None
) -> Enrolment:
    return enrolment_transition(enrolment=enrolment, to_status=E.CONTRACT_BROKEN, by=by, on=on, today=today)


def enrolment_withdraw(*, enrolment: Enrolment, by: AnyUser, today: date | None = None) -> Enrolment:
    return enrolment_transition(enrolment=enrolment, to_status=E.WITHDRAWN, by=by, today=today)


def _enrolments_after_contract_signed(application: Application, *, today: date) -> None:
    """The young person signed a contract: their enrolments without an employer now have one."""
    waiting = Enrolment.objects.filter(
        candidate_id=application.candidate_id, status__in=sorted(ENROLMENT_WITHOUT_EMPLOYER)
    )
    # Not yet confirmed by the young person (the centre sees nothing of them): kept true for when they confirm.
    waiting.filter(consent_at__isnull=True).update(
        status=E.CONTRACT_SIGNED, status_on=today, signed_application=application, updated_at=timezone.now()
    )
    for enrolment in waiting.filter(consent_at__isnull=False):
        enrolment_transition(
            enrolment=enrolment,
            to_status=E.CONTRACT_SIGNED,
            by=None,
            on=max(today, enrolment.status_on),
            application=application,
            today=max(today, enrolment.status_on),
        )


# --- Employer silence -----------------------------------------------------------------------------------------


@dataclass
class SilenceReport:
    reminded: int = 0
    escalated: int = 0
    closed: int = 0

    def as_text(self) -> str:
        return (
            f"{self.reminded} employeurs relancés, {self.escalated} candidatures transmises à un conseiller, "
            f"{self.closed} candidatures closes sans réponse."
        )


def silence_deadlines(*, sent_on: date) -> tuple[date, date, date]:
    """(reminder, escalation, closure) days of an application sent on `sent_on`, in jours ouvrés."""
    return (
        add_working_days(sent_on, reminder_working_days()),
        add_working_days(sent_on, escalation_working_days()),
        add_working_days(sent_on, closure_working_days()),
    )


def advisor_for_commune(*, commune_id: int) -> User | None:
    """An advisor of the commune's zone d'emploi: the one with the fewest open escalations, then by e-mail."""
    commune = Commune.objects.filter(pk=commune_id).values_list("pk", "parent_id").first()
    if commune is None:
        return None
    zone = (
        BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI, commune_id=commune[1] or commune[0])
        .values_list("basin_id", flat=True)
        .first()
    )
    if zone is None:
        return None
    advisor_ids = AdvisorAssignment.objects.filter(basin_id=zone, advisor__is_active=True).values("advisor_id")
    return (
        User.objects.filter(pk__in=advisor_ids, role=Role.ADVISOR)
        .annotate(
            load=Count("escalated_applications", filter=Q(escalated_applications__status__in=list(OPEN_STATUSES)))
        )
        .order_by("load", "email")
        .first()
    )


def _remind(application: Application, *, today: date) -> None:
    offer = application.offer
    application.reminded_on = today
    application.save(update_fields=["reminded_on", "updated_at"])
    ApplicationEvent.objects.create(
        application=application, kind=EventKind.REMINDER, on=today, note="Relance de l'employeur (sans réponse)."
    )
    _, escalation_on, _ = silence_deadlines(sent_on=application.sent_on)
    _notify(
        _employer_users(offer),
        application=application,
        kind=NotificationKind.REMINDER,
        title=f"Un jeune attend votre réponse : {offer.title}",
        body=f"Une candidature à votre offre « {offer.title} » attend votre réponse depuis le "
        f"{application.sent_on:%d/%m/%Y}. Répondez depuis votre espace employeur avant le {escalation_on:%d/%m/%Y} ; "
        "sans réponse, un conseiller de la Région sera saisi.",
    )
    _notify(
        _young(application),
        application=application,
        kind=NotificationKind.REMINDER,
        title=f"Nous avons relancé l'employeur : {offer.title}",
        body=f"L'employeur n'a pas encore répondu à votre candidature à l'offre {_offer_label(offer)} : "
        "nous l'avons relancé aujourd'hui.",
    )


def _escalate(application: Application, *, today: date) -> None:
    offer = application.offer
    advisor = advisor_for_commune(commune_id=offer.commune_id)
    application.escalated_on, application.escalated_to = today, advisor
    application.save(update_fields=["escalated_on", "escalated_to", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        kind=EventKind.ESCALATION,
        on=today,
        note=f"Transmise à {advisor.get_full_name() or advisor.email}."
        if advisor
        else "Aucun conseiller affecté à la zone d'emploi de l'offre.",
    )
    _, _, closure_on = silence_deadlines(sent_on=application.sent_on)
    if advisor is not None:
        _notify(
            [advisor],
            application=application,
            kind=NotificationKind.ESCALATION,
            title=f"Employeur sans réponse : {offer.title}",
            body=f"L'établissement {offer.establishment.name} n'a pas répondu à une candidature envoyée le "
            f"{application.sent_on:%d/%m/%Y} malgré une relance. Contactez-le avant le {closure_on:%d/%m/%Y}, date "
            "à laquelle la candidature sera close sans réponse.",
        )
    _notify(
        _young(application),
        application=application,
        kind=NotificationKind.ESCALATION,
        title=f"Un conseiller suit votre candidature : {offer.title}",
        body=f"L'employeur n'a toujours pas répondu à votre candidature à l'offre {_offer_label(offer)}. "
        "Un conseiller de la Région le contacte. En attendant, continuez à postuler à d'autres offres.",
    )


def application_process_silence(*, today: date | None = None) -> SilenceReport:
    """Remind, escalate, then close the applications employers leave unanswered (periodic job, idempotent)."""
    today = today or timezone.localdate()
    report = SilenceReport()
    earliest = min(reminder_working_days(), escalation_working_days(), closure_working_days())
    # Working days are never fewer than calendar days: only applications at least `earliest` days old qualify.
    waiting = (
        Application.objects.filter(status__in=list(AWAITING_EMPLOYER), sent_on__lte=today - timedelta(days=earliest))
        .select_related("offer__establishment", "candidate__user")
        .order_by("sent_on", "pk")
    )
    for application in waiting.iterator(chunk_size=500):
        reminder_on, escalation_on, closure_on = silence_deadlines(sent_on=application.sent_on)
        with transaction.atomic():
            if application.reminded_on is None and today >= reminder_on:
                _remind(application, today=today)
                report.reminded += 1
            if application.escalated_on is None and today >= escalation_on:
                _escalate(application, today=today)
                report.escalated += 1
            if today >= closure_on:
                application_transition(
                    application=application,
                    to_status=S.REFUSED,
                    by=None,
                    reason=RefusalReason.NO_RESPONSE,
                    note="Clôture automatique : pas de réponse de l'employeur.",
                    today=today,
                )
                report.closed += 1
    return report


def notification_mark_read(*, notification: Notification, user: AnyUser) -> Notification:
    if notification.recipient_id != getattr(user, "pk", None):
        raise ApplicationError("Ce message ne vous est pas adressé.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
