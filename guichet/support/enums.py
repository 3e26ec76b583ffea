"""Choices of the support app: topics, requester profiles, statuses, audiences."""

from django.db import models


class Topic(models.TextChoices):
    FIND_EMPLOYER = "employeur", "Trouver un employeur"
    FIND_TRAINING = "formation", "Trouver une formation"
    CONTRACT = "contrat", "Le contrat et sa signature"
    PAY_AIDS = "remuneration", "La rémunération et les aides"
    DISABILITY = "handicap", "Le handicap"
    MOBILITY = "mobilite", "La mobilité, le logement, le transport"
    BREAK_UP = "rupture", "La rupture du contrat ou un litige"
    OTHER = "autre", "Autre question"


class RequesterProfile(models.TextChoices):
    YOUNG = "jeune", "Jeune"
    PARENT = "parent", "Parent ou proche"
    EMPLOYER = "employeur", "Employeur"
    TRAINING_CENTRE = "cfa", "Centre de formation (CFA)"
    OTHER = "autre", "Autre"


class ContactPreference(models.TextChoices):
    EMAIL = "email", "Par e-mail"
    PHONE = "telephone", "Par téléphone"


class RequestStatus(models.TextChoices):
    NEW = "new", "Nouvelle"
    ASSIGNED = "assigned", "Attribuée à un conseiller"
    WAITING_REQUESTER = "waiting_requester", "En attente de votre réponse"
    ANSWERED = "answered", "Répondue"
    CLOSED = "closed", "Clôturée"


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.WAITING_REQUESTER)
# Statuses in which the service owes the requester an answer (the deadline runs).
PENDING_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED)


class AuthorKind(models.TextChoices):
    REQUESTER = "requester", "Demandeur"
    ADVISOR = "advisor", "Conseiller"
    SYSTEM = "system", "Guichet"


class Audience(models.TextChoices):
    YOUNG = "jeunes", "Jeunes"
    FAMILIES = "familles", "Familles"
    COMPANIES = "entreprises", "Entreprises"
    TRAINING_CENTRES = "cfa", "Centres de formation (CFA)"


class CompanySize(models.TextChoices):
    UNDER_250 = "moins-250", "Moins de 250 salariés"
    FROM_250 = "250-et-plus", "250 salariés et plus"


class Situation(models.TextChoices):
    """What the person of the personalised guide is looking for."""

    LOOKING_EMPLOYER = "cherche-employeur", "Je cherche un employeur"
    LOOKING_TRAINING = "cherche-formation", "Je cherche une formation"
    LOOKING_BOTH = "cherche-tout", "Je cherche une formation et un employeur"
    HAS_BOTH = "a-tout", "J'ai une formation et un employeur"
    EMPLOYER_HIRING = "recrute", "Je suis employeur et je veux recruter un apprenti"
