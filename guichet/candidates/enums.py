"""Choices of the candidates app: application statuses, closing reasons, event kinds."""

from django.db import models


class ApplicationStatus(models.TextChoices):
    SENT = "sent", "Envoyée"
    SEEN = "seen", "Vue par l'employeur"
    INTERVIEW = "interview", "Entretien proposé"
    ACCEPTED = "accepted", "Acceptée"
    CONTRACT_SIGNED = "contract_signed", "Contrat signé"
    REFUSED = "refused", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"


# Applications still waiting for a decision (they count in the "pending" load of an offer).
OPEN_STATUSES = frozenset(
    {ApplicationStatus.SENT, ApplicationStatus.SEEN, ApplicationStatus.INTERVIEW, ApplicationStatus.ACCEPTED}
)
# Applications the employer has not answered yet (the silence rule applies to them).
AWAITING_EMPLOYER = frozenset({ApplicationStatus.SENT, ApplicationStatus.SEEN})
FINAL_STATUSES = frozenset({ApplicationStatus.CONTRACT_SIGNED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN})


class RefusalReason(models.TextChoices):
    """Why an application was refused or closed (the list an employer chooses from, plus the system's own)."""

    PROFILE = "profile", "Le profil ne correspond pas au poste"
    LEVEL = "level", "Le niveau de diplôme ne correspond pas"
    DISTANCE = "distance", "Le lieu de travail est trop éloigné"
    DATES = "dates", "Les dates ne conviennent pas"
    FILLED = "filled", "Le poste est déjà pourvu"
    NO_TRAINING = "no_training", "Aucune place en formation compatible"
    OTHER = "other", "Autre raison"
    NO_RESPONSE = "no_response", "Sans réponse de l'employeur"
    OFFER_CLOSED = "offer_closed", "L'offre n'est plus disponible"


# Reasons an employer may choose (the others are set by the guichet itself).
EMPLOYER_REFUSAL_REASONS = (
    RefusalReason.PROFILE,
    RefusalReason.LEVEL,
    RefusalReason.DISTANCE,
    RefusalReason.DATES,
    RefusalReason.FILLED,
    RefusalReason.NO_TRAINING,
    RefusalReason.OTHER,
)


class WithdrawalReason(models.TextChoices):
    YOUNG_CHOICE = "young_choice", "Retirée par le jeune"
    CONTRACT_ELSEWHERE = "contract_elsewhere", "Le jeune a signé un contrat pour une autre offre"


class EventKind(models.TextChoices):
    TRANSITION = "transition", "Changement de statut"
    REMINDER = "reminder", "Relance de l'employeur"
    ESCALATION = "escalation", "Transmise à un conseiller"


class NotificationKind(models.TextChoices):
    STATUS = "status", "Statut d'une candidature"
    REMINDER = "reminder", "Relance"
    ESCALATION = "escalation", "Transmission à un conseiller"
    CLOSURE = "closure", "Clôture"
    OFFER = "offer", "Offre"


class EnrolmentStatus(models.TextChoices):
    """Where a young person enrolled at a training centre stands with employers."""

    LOOKING = "looking", "Cherche un employeur"
    CONTRACT_SIGNED = "contract_signed", "Contrat signé"
    CONTRACT_BROKEN = "contract_broken", "Contrat rompu, cherche un employeur"
    WITHDRAWN = "withdrawn", "Inscription retirée"


# Enrolments of young people the centre helps to find an employer.
ENROLMENT_WITHOUT_EMPLOYER = frozenset({EnrolmentStatus.LOOKING, EnrolmentStatus.CONTRACT_BROKEN})
ENROLMENT_ACTIVE = frozenset(
    {EnrolmentStatus.LOOKING, EnrolmentStatus.CONTRACT_SIGNED, EnrolmentStatus.CONTRACT_BROKEN}
)


class EnrolmentSource(models.TextChoices):
    YOUNG = "young", "Déclarée par le jeune"
    CENTRE = "centre", "Déclarée par le centre de formation, confirmée par le jeune"
