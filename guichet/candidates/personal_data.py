"""The candidates' part of the personal-data registry (core.personal_data): a young person's profile,
applications, enrolments at a training centre and messages; export, erasure, and retention of enrolments.

Registered from CandidatesConfig.ready(); docs/rgpd.md describes the processing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from guichet.accounts.models import User
from guichet.candidates.enums import ApplicationStatus, EnrolmentStatus
from guichet.candidates.models import Application, CandidateProfile, Enrolment, Notification
from guichet.rules.base import add_months

# Enrolments are kept one year after they are withdrawn or after the end of their session (the centre's
# follow-up of the school year, then nothing), three years after their last change when no session is known
# (the longest apprenticeship cycle).
ENROLMENT_RETENTION = timedelta(days=365)
ENROLMENT_WITHOUT_SESSION_RETENTION = timedelta(days=3 * 365)
# Refused or withdrawn applications are kept two years after they were closed (the time to answer a complaint
# about a refusal, and the employers' response-rate history), then deleted with their steps and messages.
CLOSED_APPLICATION_RETENTION_MONTHS = 24


def _enrolment_export(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "formation": enrolment.training.title,
        "centre_de_formation": enrolment.training.centre.display_name,
        "rentree": enrolment.session.starts_on if enrolment.session else None,
        "situation": enrolment.get_status_display(),
        "situation_depuis_le": enrolment.status_on,
        "declaree_par": enrolment.get_source_display(),
        "partage_avec_le_centre_accepte_le": enrolment.consent_at,
    }


def _application_export(application: Application) -> dict[str, Any]:
    return {
        "offre": application.offer.title,
        "employeur": application.offer.establishment.name,
        "statut": application.get_status_display(),
        "motif": application.get_reason_display() if application.reason else "",
        "envoyee_le": application.sent_on,
        "votre_message": application.message,
        "etapes": [
            {"date": event.on, "nature": event.get_kind_display(), "statut": event.get_to_status_display()}
            for event in application.events.all()
        ],
    }


def candidate_export(user: User) -> dict[str, Any]:
    profile = (
        CandidateProfile.objects.select_related("commune", "current_level", "wished_level")
        .prefetch_related("wished_jobs")
        .filter(user=user)
        .first()
    )
    notifications = [
        {"titre": n.title, "message": n.body, "recu_le": n.created_at, "lu_le": n.read_at}
        for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    ]
    if profile is None:
        return {"messages": notifications} if notifications else {}
    applications = (
        Application.objects.filter(candidate=profile)
        .select_related("offer__establishment")
        .prefetch_related("events")
        .order_by("sent_on", "pk")
    )
    enrolments = (
        Enrolment.objects.filter(candidate=profile)
        .select_related("training__centre", "session")
        .order_by("created_at", "pk")
    )
    return {
        "profil": {
            "date_de_naissance": profile.birth_date,
            "commune": f"{profile.commune.name} ({profile.commune.insee})",
            "rayon_de_mobilite_km": profile.mobility_radius_km,
            "permis_b": profile.driving_licence,
            "niveau_atteint": profile.current_level.level if profile.current_level else None,
            "metiers_souhaites": [f"{job.code} {job.title}" for job in profile.wished_jobs.order_by("code")],
            "niveau_vise": profile.wished_level.level if profile.wished_level else None,
            "disponible_a_partir_du": profile.available_from,
            "rqth": profile.rqth,
            "visible_des_employeurs": profile.visible_to_employers,
            "consentement_a_la_visibilite_le": profile.visibility_consent_at,
        },
        "candidatures": [_application_export(application) for application in applications],
        "inscriptions_en_formation": [_enrolment_export(enrolment) for enrolment in enrolments],
        "messages": notifications,
    }


def candidate_erase(user: User) -> dict[str, list[Any]]:
    """Delete the profile with its applications (and their steps) and enrolments, and the person's messages."""
    deleted: list[str] = []
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is not None:
        enrolments, _ = Enrolment.objects.filter(candidate=profile).delete()
        applications = Application.objects.filter(candidate=profile).count()
        profile.delete()
        deleted.append("Votre profil de candidat (date de naissance, commune, niveaux, métiers souhaités, RQTH)")
        if applications:
            deleted.append(f"Vos candidatures ({applications}) et leur historique")
        if enrolments:
            deleted.append("Vos inscriptions en formation partagées avec les centres de formation")
    if Notification.objects.filter(recipient=user).delete()[0]:
        deleted.append("Vos messages du guichet")
    return {"deleted": deleted}


def enrolments_retention_apply(*, today: date) -> int:
    """Delete the enrolments withdrawn, or whose session ended, more than a year ago (three years after the last
    change when no session is known). Returns how many were deleted."""
    expired = Enrolment.objects.filter(
        Q(status=EnrolmentStatus.WITHDRAWN, status_on__lt=today - ENROLMENT_RETENTION)
        | Q(session__ends_on__lt=today - ENROLMENT_RETENTION)
        | Q(session__isnull=True, status_on__lt=today - ENROLMENT_WITHOUT_SESSION_RETENTION)
    )
    count, _ = Enrolment.objects.filter(pk__in=list(expired.values_list("pk", flat=True))).delete()
    return count


def closed_applications_retention_apply(*, today: date) -> int:
    """Delete the applications refused or withdrawn more than two years ago (by the date they were closed, else
    the date they were sent), with their steps and notifications. Returns how many applications were deleted."""
    cutoff = add_months(today, -CLOSED_APPLICATION_RETENTION_MONTHS)
    expired = Application.objects.filter(status__in=[ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN]).filter(
        Q(closed_on__lt=cutoff) | Q(closed_on__isnull=True, sent_on__lt=cutoff)
    )
    pks = list(expired.values_list("pk", flat=True))
    Application.objects.filter(pk__in=pks).delete()
    return len(pks)
