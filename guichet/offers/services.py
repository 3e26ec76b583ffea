"""Writes on offers: creation, update and the life cycle draft -> published -> filled | expired | withdrawn.

Signatures (keyword-only, stable; every rule takes `today` so tests need no frozen clock):

- offer_create(*, establishment, rome_job, title, commune, target_level, starts_on, duration_months,
  appellation=None, weekly_hours=Decimal("35"), positions=1, description="", driving_licence_required=False,
  created_by=None, posted_by_centre=None, today=None) -> Offer          (a draft)
- offer_update(*, offer, changes: OfferChanges, today=None) -> Offer     (draft or published offers)
- offer_publish(*, offer, today=None) -> Offer
- offer_withdraw(*, offer, today=None) -> Offer
- offer_fill(*, offer, today=None) -> Offer
- offer_expire_stale(*, today=None) -> int              periodic: published offers not updated for
  OFFER_EXPIRY_DAYS (setting, 60 by default) become expired; the employer is told.
- offer_send_expiry_notices(*, today=None) -> int       periodic: OFFER_EXPIRY_NOTICE_DAYS (7) days before,
  one e-mail per offer to the people acting for the establishment.
- offer_expiry_date(*, offer) -> date | None            when a published offer will expire if left untouched.

Every refusal raises OfferError(message, field=...) with a French sentence saying what to do; nothing is saved.
Closing an offer (filled, withdrawn, expired) closes its open applications politely (candidates app listens
through `guichet.offers.services.OFFER_CLOSED_HOOKS`, since offers cannot import candidates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import User
from guichet.accounts.tasks import email_enqueue
from guichet.employers.models import Establishment
from guichet.jobs.models import Appellation, DiplomaLevel, RomeJob
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.territory.models import Commune
from guichet.trainings.models import TrainingCentre

MIN_DURATION_MONTHS, MAX_DURATION_MONTHS = 6, 36
MIN_WEEKLY_HOURS, MAX_WEEKLY_HOURS = Decimal("1"), Decimal("48")

# Functions called with (offer, today) after an offer leaves the "published" status, inside the transaction.
OFFER_CLOSED_HOOKS: list[Callable[[Offer, date], None]] = []


class OfferError(Exception):
    """An offer change refused for a reason the person can fix; `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def expiry_days() -> int:
    return int(getattr(settings, "OFFER_EXPIRY_DAYS", 60))


def expiry_notice_days() -> int:
    return int(getattr(settings, "OFFER_EXPIRY_NOTICE_DAYS", 7))


@dataclass(frozen=True)
class OfferChanges:
    """Fields to change on an offer; None leaves a field as it is."""

    rome_job: RomeJob | None = None
    appellation: Appellation | None = None
    title: str | None = None
    commune: Commune | None = None
    target_level: DiplomaLevel | None = None
    starts_on: date | None = None
    duration_months: int | None = None
    weekly_hours: Decimal | None = None
    positions: int | None = None
    description: str | None = None
    driving_licence_required: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def offer_validate(
    *,
    rome_job: RomeJob | None,
    appellation: Appellation | None,
    title: str,
    commune: Commune | None,
    target_level: DiplomaLevel | None,
    starts_on: date | None,
    duration_months: int | None,
    weekly_hours: Decimal | int | float | None,
    positions: int | None,
    today: date,
) -> None:
    """Raise OfferError on the first rule broken (pure: no database access)."""
    if rome_job is None:
        raise OfferError("Choisissez le métier dans la liste (code ROME connu).", field="rome_job")
    if appellation is not None and appellation.job_id != rome_job.pk:
        raise OfferError(
            f"L'appellation « {appellation.title} » ne relève pas du métier {rome_job.code} : choisissez une "
            "appellation de ce métier.",
            field="appellation",
        )
    if not (title or "").strip():
        raise OfferError("Saisissez l'intitulé du poste.", field="title")
    if commune is None:
        raise OfferError("Choisissez la commune du lieu de travail.", field="commune")
    if target_level is None or not 3 <= target_level.level <= 7:
        raise OfferError("Choisissez le niveau du diplôme préparé (niveau 3 à 7).", field="target_level")
    if starts_on is None:
        raise OfferError("Saisissez la date de début du contrat.", field="starts_on")
    if starts_on < today:
        raise OfferError(
            f"La date de début du contrat ({starts_on:%d/%m/%Y}) est déjà passée : choisissez une date à partir "
            f"d'aujourd'hui ({today:%d/%m/%Y}).",
            field="starts_on",
        )
    if duration_months is None or not MIN_DURATION_MONTHS <= duration_months <= MAX_DURATION_MONTHS:
        raise OfferError(
            "La durée du contrat d'apprentissage va de 6 à 36 mois : saisissez une durée dans cet intervalle.",
            field="duration_months",
        )
    if weekly_hours is None or not MIN_WEEKLY_HOURS <= Decimal(str(weekly_hours)) <= MAX_WEEKLY_HOURS:
        raise OfferError("La durée hebdomadaire va de 1 à 48 heures.", field="weekly_hours")
    if positions is None or positions < 1:
        raise OfferError("Une offre porte sur au moins un poste : indiquez 1 ou plus.", field="positions")
    if positions > 100:
        raise OfferError("Indiquez au plus 100 postes par offre.", field="positions")


@transaction.atomic
def offer_create(
    *,
    establishment: Establishment,
    rome_job: RomeJob | None,
    title: str,
    commune: Commune | None,
    target_level: DiplomaLevel | None,
    starts_on: date | None,
    duration_months: int | None,
    appellation: Appellation | None = None,
    weekly_hours: Decimal = Decimal("35"),
    positions: int | None = 1,
    description: str = "",
    driving_licence_required: bool = False,
    created_by: User | None = None,
    posted_by_centre: TrainingCentre | None = None,
    today: date | None = None,
) -> Offer:
    """Create a draft offer after checking every rule; nothing is saved when one fails."""
    today = today or timezone.localdate()
    offer_validate(
        rome_job=rome_job,
        appellation=appellation,
        title=title,
        commune=commune,
        target_level=target_level,
        starts_on=starts_on,
        duration_months=duration_months,
        weekly_hours=weekly_hours,
        positions=positions,
        today=today,
    )
    return Offer.objects.create(
        establishment=establishment,
        rome_job=rome_job,
        appellation=appellation,
        title=title.strip(),
        commune=commune,
        target_level=target_level,
        starts_on=starts_on,
        duration_months=duration_months,
        weekly_hours=weekly_hours,
        positions=positions,
        description=description.strip(),
        driving_licence_required=driving_licence_required,
        status=OfferStatus.DRAFT,
        created_by=created_by,
        posted_by_centre=posted_by_centre,
    )


@transaction.atomic
def offer_update(*, offer: Offer, changes: OfferChanges, today: date | None = None) -> Offer:
    """Change a draft or published offer; updating a published offer restarts its expiry delay."""
    today = today or timezone.localdate()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status not in (OfferStatus.DRAFT, OfferStatus.PUBLISHED):
        raise OfferError(
            f"Cette offre est {offer.get_status_display().lower()} : elle ne peut plus être modifiée. "
            "Créez une nouvelle offre."
        )
    values = changes.as_dict()
    merged = {
        name: values.get(name, getattr(offer, name))
        for name in (
            "rome_job",
            "appellation",
            "title",
            "commune",
            "target_level",
            "starts_on",
            "duration_months",
            "weekly_hours",
            "positions",
        )
    }
    if "rome_job" in values and "appellation" not in values and offer.appellation_id:
        merged["appellation"] = None  # an appellation of the former job no longer applies
    # An unchanged start date of a published offer may lie in the past only if it was already there.
    check_today = today if "starts_on" in values else min(today, merged["starts_on"])
    offer_validate(**merged, today=check_today)
    for name, value in {**values, "appellation": merged["appellation"]}.items():
        setattr(offer, name, value)
    offer.expiry_notice_sent_at = None
    offer.save()
    return offer


@transaction.atomic
def offer_publish(*, offer: Offer, today: date | None = None) -> Offer:
    today = today or timezone.localdate()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.DRAFT:
        raise OfferError(
            f"Seule une offre en brouillon peut être publiée ; celle-ci est {offer.get_status_display().lower()}."
        )
    offer_validate(
        rome_job=offer.rome_job,
        appellation=offer.appellation,
        title=offer.title,
        commune=offer.commune,
        target_level=offer.target_level,
        starts_on=offer.starts_on,
        duration_months=offer.duration_months,
        weekly_hours=offer.weekly_hours,
        positions=offer.positions,
        today=today,
    )
    offer.status, offer.published_at, offer.expiry_notice_sent_at = OfferStatus.PUBLISHED, timezone.now(), None
    offer.save()
    return offer


def _close(offer: Offer, *, status: OfferStatus, allowed: tuple[OfferStatus, ...], today: date) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status not in allowed:
        labels = " ou ".join(str(s.label).lower() for s in allowed)
        raise OfferError(
            f"Cette offre est {offer.get_status_display().lower()} : seule une offre {labels} peut passer "
            f"au statut « {status.label.lower()} »."
        )
    was_published = offer.status == OfferStatus.PUBLISHED
    offer.status, offer.closed_at = status, timezone.now()
    offer.save(update_fields=["status", "closed_at", "updated_at"])
    if was_published:
        for hook in OFFER_CLOSED_HOOKS:
            hook(offer, today)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, today: date | None = None) -> Offer:
    return _close(
        offer,
        status=OfferStatus.WITHDRAWN,
        allowed=(OfferStatus.DRAFT, OfferStatus.PUBLISHED),
        today=today or timezone.localdate(),
    )


@transaction.atomic
def offer_fill(*, offer: Offer, today: date | None = None) -> Offer:
    return _close(
        offer, status=OfferStatus.FILLED, allowed=(OfferStatus.PUBLISHED,), today=today or timezone.localdate()
    )


def offer_expiry_date(*, offer: Offer) -> date | None:
    """The day a published offer expires if nobody updates it (None for other statuses)."""
    if offer.status != OfferStatus.PUBLISHED:
        return None
    return timezone.localdate(offer.updated_at) + timedelta(days=expiry_days())


def _stale_before(today: date, days: int) -> datetime:
    """Offers last updated before the returned instant reach the given age (in days) on `today`."""
    limit = today - timedelta(days=days - 1)
    return timezone.make_aware(datetime.combine(limit, datetime.min.time()))


def _recipients(offer: Offer) -> list[str]:
    emails = list(
        offer.establishment.memberships.filter(user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    if offer.posted_by_centre_id:
        emails += list(
            offer.posted_by_centre.memberships.filter(user__is_active=True)
            .order_by("user__email")
            .values_list("user__email", flat=True)
        )
    return sorted(set(emails))


def offer_expire_stale(*, today: date | None = None) -> int:
    """Expire the published offers not updated for OFFER_EXPIRY_DAYS days; returns how many expired."""
    today = today or timezone.localdate()
    stale = Offer.objects.filter(
        status=OfferStatus.PUBLISHED, updated_at__lt=_stale_before(today, expiry_days())
    ).select_related("establishment")
    count = 0
    for offer in stale.iterator(chunk_size=500):
        with transaction.atomic():
            offer = _close(offer, status=OfferStatus.EXPIRED, allowed=(OfferStatus.PUBLISHED,), today=today)
            to = _recipients(offer)
            if to:
                subject = f"Votre offre « {offer.title} » a expiré"
                body = (
                    f"Bonjour,\n\nVotre offre d'apprentissage « {offer.title} » n'avait pas été mise à jour depuis "
                    f"{expiry_days()} jours : elle n'est plus visible des jeunes depuis le {today:%d/%m/%Y}.\n"
                    "Si le poste est toujours à pourvoir, publiez une nouvelle offre depuis votre espace "
                    "employeur.\n\nL'équipe du Guichet Apprentissage"
                )
                transaction.on_commit(lambda s=subject, b=body, t=to: email_enqueue(subject=s, body=b, to=t))
        count += 1
    return count


def offer_send_expiry_notices(*, today: date | None = None) -> int:
    """Tell employers OFFER_EXPIRY_NOTICE_DAYS days ahead that an untouched offer will expire; once per offer."""
    today = today or timezone.localdate()
    notice_age = max(1, expiry_days() - expiry_notice_days())
    due = Offer.objects.filter(
        status=OfferStatus.PUBLISHED,
        expiry_notice_sent_at__isnull=True,
        updated_at__lt=_stale_before(today, notice_age),
    ).select_related("establishment")
    count = 0
    for offer in due.iterator(chunk_size=500):
        expires_on = offer_expiry_date(offer=offer)
        to = _recipients(offer)
        Offer.objects.filter(pk=offer.pk).update(expiry_notice_sent_at=timezone.now())  # keeps updated_at
        if to and expires_on:
            subject = f"Votre offre « {offer.title} » expire le {expires_on:%d/%m/%Y}"
            body = (
                f"Bonjour,\n\nVotre offre d'apprentissage « {offer.title} » n'a pas été mise à jour depuis "
                f"{expiry_days() - expiry_notice_days()} jours. Sans mise à jour, elle expirera le "
                f"{expires_on:%d/%m/%Y} et ne sera plus visible des jeunes.\n"
                "Le poste est toujours à pourvoir ? Ouvrez l'offre dans votre espace employeur et enregistrez-la. "
                "Il est pourvu ? Indiquez-le : les candidats en attente seront prévenus.\n\n"
                "L'équipe du Guichet Apprentissage"
            )
            email_enqueue(subject=subject, body=body, to=to)
        count += 1
    return count
