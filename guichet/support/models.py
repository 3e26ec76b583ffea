"""The single point of contact: teams, routing rules, requests and their thread; the knowledge base."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin
from guichet.support.enums import (
    Audience,
    AuthorKind,
    CompanySize,
    ContactPreference,
    RequesterProfile,
    RequestStatus,
    Topic,
)

# --- Teams and routing --------------------------------------------------------------------------------------


class Team(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    email = models.EmailField("adresse e-mail de l'équipe", blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "équipe de conseillers"
        verbose_name_plural = "équipes de conseillers"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def leads(self) -> list:
        return [member.user for member in self.members.all() if member.is_lead and member.user.is_active]


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name="équipe")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="support_memberships",
        verbose_name="conseiller",
    )
    is_lead = models.BooleanField("responsable de l'équipe", default=False)
    takes_requests = models.BooleanField(
        "reçoit des demandes", default=True, help_text="Décochez pour un responsable qui ne traite pas de demandes."
    )

    class Meta:
        verbose_name = "membre d'équipe"
        verbose_name_plural = "membres d'équipe"
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="support_member_unique_team_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.team}"


class Absence(models.Model):
    """An advisor is away from `starts_on` to `ends_on` (both included): no new request is assigned to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_absences", verbose_name="conseiller"
    )
    starts_on = models.DateField("premier jour d'absence")
    ends_on = models.DateField("dernier jour d'absence")
    reason = models.CharField("motif", max_length=120, blank=True)

    class Meta:
        verbose_name = "absence"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="support_absence_ends_after_start",
                violation_error_message="Le dernier jour d'absence doit suivre le premier.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} : {self.starts_on} -> {self.ends_on}"


class RoutingRule(models.Model):
    """Zone d'emploi x topic -> team. An empty zone or topic matches any; the most specific rule wins."""

    basin = models.ForeignKey(
        "territory.Basin",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_rules",
        verbose_name="zone d'emploi",
        help_text="Vide : toutes les zones.",
    )
    topic = models.CharField("thème", max_length=20, choices=Topic.choices, blank=True, help_text="Vide : tous.")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rules", verbose_name="équipe")

    class Meta:
        verbose_name = "règle d'orientation"
        verbose_name_plural = "règles d'orientation"
        constraints = [
            models.UniqueConstraint(
                fields=["basin", "topic"], name="support_rule_unique_basin_topic", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        zone = self.basin.name if self.basin else "toutes les zones"
        topic = self.get_topic_display() if self.topic else "tous les thèmes"
        return f"{zone} · {topic} -> {self.team}"


class TopicDeadline(models.Model):
    """How many working days (jours ouvrés) the service gives itself to answer, per topic."""

    topic = models.CharField("thème", max_length=20, choices=Topic.choices, unique=True)
    working_days = models.PositiveSmallIntegerField("délai de réponse (jours ouvrés)")
    reminder_days = models.PositiveSmallIntegerField("rappel au conseiller (jours ouvrés avant l'échéance)", default=1)

    class Meta:
        verbose_name = "délai par thème"
        verbose_name_plural = "délais par thème"
        ordering = ["topic"]
        constraints = [
            models.CheckConstraint(condition=Q(working_days__gte=1), name="support_deadline_at_least_one_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} : {self.working_days} jours ouvrés"


# --- Requests -----------------------------------------------------------------------------------------------


class SupportRequestQuerySet(models.QuerySet["SupportRequest"]):
    def visible_to(self, user: AnyUser) -> SupportRequestQuerySet:
        """Admins see all; advisors the requests of their zones d'emploi and those assigned to them or their
        team (as lead); a signed-in requester their own; anyone else nothing (anonymous requesters use the
        secret link, checked apart)."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.ADVISOR):
            return self.filter(
                in_advisor_zones(user, commune_field="commune")
                | Q(advisor=user)
                | Q(team__members__user=user, team__members__is_lead=True)
            ).distinct()
        if user.is_authenticated:
            return self.filter(requester=user)
        return self.none()


class SupportRequest(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True)
    topic = models.CharField("thème", max_length=20, choices=Topic.choices)
    profile = models.CharField("vous êtes", max_length=20, choices=RequesterProfile.choices)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="support_requests", verbose_name="commune"
    )
    basin = models.ForeignKey(
        "territory.Basin",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name="zone d'emploi",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name="compte du demandeur",
    )
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse e-mail")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    contact_preference = models.CharField(
        "être recontacté", max_length=20, choices=ContactPreference.choices, default=ContactPreference.EMAIL
    )
    status = models.CharField("statut", max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests", verbose_name="équipe"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_support_requests",
        verbose_name="conseiller",
    )
    token_hash = models.CharField("empreinte du lien secret", max_length=64, db_index=True)
    created_at = models.DateTimeField("créée le")
    received_on = models.DateField("reçue le", help_text="Le jour à partir duquel le délai est compté.")
    deadline = models.DateField("répondre au plus tard le")
    first_response_at = models.DateTimeField("première réponse le", null=True, blank=True)
    answered_on = models.DateField("répondue le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    escalated_at = models.DateTimeField("signalée au responsable le", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("satisfaction (1 à 5)", null=True, blank=True)
    rating_comment = models.TextField("commentaire de satisfaction", blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "deadline"], name="support_req_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="support_request_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def is_late(self, *, today: date) -> bool:
        return self.status in (RequestStatus.NEW, RequestStatus.ASSIGNED) and self.deadline < today

    @property
    def answered_within_deadline(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.deadline


class RequestMessage(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField("auteur", max_length=20, choices=AuthorKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField("message")
    created_at = models.DateTimeField("envoyé le")

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_author_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random name in a private folder: the original name is kept in the row, never in the path."""
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.content_type, "bin")
    return f"private/support/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file joined to a message, stored under the media storage (never served as static), read through a
    view that checks who asks."""

    message = models.ForeignKey(RequestMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=50)
    size = models.PositiveIntegerField("taille (octets)")

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


# --- Knowledge base -----------------------------------------------------------------------------------------


class KnowledgePageQuerySet(models.QuerySet["KnowledgePage"]):
    def published(self) -> KnowledgePageQuerySet:
        return self.filter(is_published=True)

    def past_review(self, *, today: date) -> KnowledgePageQuerySet:
        return self.filter(next_review_on__lt=today)


class KnowledgePage(models.Model):
    slug = models.SlugField("adresse", max_length=120, unique=True)
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=400)
    body = models.TextField("contenu (Markdown)")
    sources = models.TextField("sources", help_text="Les textes de loi et pages officielles, un par ligne.")
    audiences = models.JSONField("publics", default=list, help_text=f"Parmi : {', '.join(Audience.values)}.")
    topics = models.JSONField("thèmes", default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_knowledge_pages",
        verbose_name="responsable",
    )
    owner_label = models.CharField("service responsable", max_length=150, blank=True)
    last_reviewed_on = models.DateField("dernière vérification")
    next_review_on = models.DateField("prochaine vérification")
    # Optional profile conditions: the page is suggested only to people matching them.
    min_age = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    company_size = models.CharField(
        "taille d'entreprise", max_length=20, choices=CompanySize.choices, blank=True, help_text="Vide : toutes."
    )
    disability_only = models.BooleanField("seulement en situation de handicap", default=False)
    is_published = models.BooleanField("publiée", default=True)
    review_flagged_at = models.DateTimeField("responsable prévenu le", null=True, blank=True)
    search_title = models.CharField("titre pour la recherche", max_length=200, blank=True, editable=False)
    search_text = models.TextField("texte pour la recherche (sans accents)", blank=True, editable=False)
    # PostgreSQL only (GIN-indexed, French configuration); stays empty on SQLite, where the fallback searches.
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = KnowledgePageQuerySet.as_manager()

    class Meta:
        verbose_name = "page d'information"
        verbose_name_plural = "pages d'information"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gte=models.F("last_reviewed_on")),
                name="support_page_review_after_last",
                violation_error_message="La prochaine vérification doit suivre la dernière.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_past_review(self, *, today: date) -> bool:
        return self.next_review_on < today

    @property
    def source_list(self) -> list[str]:
        return [line.strip().lstrip("-* ").strip() for line in self.sources.splitlines() if line.strip()]


class KnowledgePageVersion(models.Model):
    """One saved state of a page: who changed it, when, and what (the full text, to compare two versions)."""

    page = models.ForeignKey(KnowledgePage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=400)
    body = models.TextField("contenu (Markdown)")
    sources = models.TextField("sources")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_label = models.CharField("modifiée par", max_length=150)
    changed_at = models.DateTimeField("modifiée le")
    note = models.CharField("nature de la modification", max_length=300)

    class Meta:
        verbose_name = "version de page"
        ordering = ["page", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="support_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.page.slug} v{self.number}"
