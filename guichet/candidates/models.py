"""Young people's profiles (age, level, place, mobility, wishes, visibility), their applications and messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin
from guichet.candidates.enums import (
    ENROLMENT_ACTIVE,
    OPEN_STATUSES,
    ApplicationStatus,
    EnrolmentSource,
    EnrolmentStatus,
    EventKind,
    NotificationKind,
    RefusalReason,
    WithdrawalReason,
)


class CandidateProfileQuerySet(models.QuerySet["CandidateProfile"]):
    def visible_to(self, user: AnyUser) -> CandidateProfileQuerySet:
        """Young people see their own profile, advisors those of their zones, employers only the profiles
        made visible with consent, admins all; anyone else (anonymous, analysts) none."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.YOUNG):
            return self.filter(user=user)
        if has_role(user, Role.ADVISOR):
            return self.filter(in_advisor_zones(user, commune_field="commune"))
        if has_role(user, Role.EMPLOYER):
            return self.filter(visible_to_employers=True, visibility_consent_at__isnull=False)
        return self.none()


class CandidateProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="candidate_profile",
        verbose_name="utilisateur",
        help_text="Vide pour les profils fictifs de démonstration.",
    )
    birth_date = models.DateField("date de naissance")
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="candidates", verbose_name="commune de résidence"
    )
    mobility_radius_km = models.PositiveSmallIntegerField("rayon de mobilité (km)", default=20)
    driving_licence = models.BooleanField("permis B", default=False)
    current_level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="niveau de diplôme atteint",
    )
    wished_jobs = models.ManyToManyField(
        "jobs.RomeJob", related_name="candidates", blank=True, verbose_name="métiers souhaités"
    )
    wished_level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="niveau de diplôme visé",
    )
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    rqth = models.BooleanField("reconnaissance de la qualité de travailleur handicapé (RQTH)", default=False)
    visible_to_employers = models.BooleanField("profil visible des employeurs", default=False)
    visibility_consent_at = models.DateTimeField("consentement à la visibilité donné le", null=True, blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = CandidateProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "profil de candidat"
        verbose_name_plural = "profils de candidats"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visible_to_employers=False) | models.Q(visibility_consent_at__isnull=False),
                name="candidate_visible_needs_consent",
                violation_error_message="Un profil visible des employeurs exige le consentement du jeune.",
            ),
        ]

    def __str__(self) -> str:
        return f"Profil {self.pk}" + (" (données fictives)" if self.is_synthetic else "")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: AnyUser) -> ApplicationQuerySet:
        """Young people see their own applications; employers those sent to the offers of their establishments;
        training-centre staff those sent to offers they posted for a partner; advisors those of offers in their
        zones or escalated to them; admins all; anyone else none."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.YOUNG):
            return self.filter(candidate__user=user)
        if has_role(user, Role.EMPLOYER):
            return self.filter(offer__establishment__memberships__user=user).distinct()
        if has_role(user, Role.TRAINING_CENTRE):
            return self.filter(offer__posted_by_centre__memberships__user=user).distinct()
        if has_role(user, Role.ADVISOR):
            return self.filter(in_advisor_zones(user, commune_field="offer__commune") | models.Q(escalated_to=user))
        return self.none()


class Application(models.Model):
    """A young person's application to an offer; its history is in ApplicationEvent (see candidates.services)."""

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="applications", verbose_name="candidat"
    )
    offer = models.ForeignKey(
        "offers.Offer", on_delete=models.CASCADE, related_name="applications", verbose_name="offre"
    )
    status = models.CharField(
        "statut", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SENT, db_index=True
    )
    message = models.TextField("message du candidat", blank=True)
    reason = models.CharField(
        "motif de clôture",
        max_length=20,
        blank=True,
        choices=[*RefusalReason.choices, *WithdrawalReason.choices],
    )
    sent_on = models.DateField("envoyée le")
    answered_on = models.DateField("première réponse de l'employeur le", null=True, blank=True)
    reminded_on = models.DateField("employeur relancé le", null=True, blank=True)
    escalated_on = models.DateField("transmise à un conseiller le", null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_applications",
        verbose_name="conseiller saisi",
    )
    closed_on = models.DateField("clôturée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        ordering = ["-sent_on", "-pk"]
        indexes = [
            # offer + status + sent_on: the offer search counts each offer's pending and recent applications
            # from the index alone (guichet.matching.ranking), one probe per offer found
            models.Index(fields=["offer", "status", "sent_on"], name="application_offer_counts_idx"),
            models.Index(fields=["status", "sent_on"], name="application_status_sent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "offer"],
                condition=models.Q(status__in=["sent", "seen", "interview", "accepted"]),
                name="application_one_open_per_offer",
                violation_error_message="Vous avez déjà une candidature en cours pour cette offre.",
            ),
        ]

    def __str__(self) -> str:
        return f"Candidature {self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationEvent(models.Model):
    """One dated step of an application: a status change, a reminder or an escalation, with its author."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name="candidature"
    )
    kind = models.CharField("nature", max_length=12, choices=EventKind.choices, default=EventKind.TRANSITION)
    from_status = models.CharField("statut d'origine", max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20, choices=ApplicationStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
        help_text="Vide quand le guichet agit seul (relance, clôture automatique).",
    )
    on = models.DateField("date")
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)
    note = models.CharField("précision", max_length=500, blank=True)

    class Meta:
        verbose_name = "étape de candidature"
        verbose_name_plural = "étapes de candidature"
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.from_status}->{self.to_status} {self.on}"


class Notification(models.Model):
    """An in-app message for a user (the same text as the e-mail sent, kept to be read in the person's space)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="destinataire"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="candidature",
    )
    kind = models.CharField("nature", max_length=12, choices=NotificationKind.choices)
    title = models.CharField("titre", max_length=255)
    body = models.TextField("message")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        verbose_name = "message"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, user: AnyUser) -> EnrolmentQuerySet:
        """Young people see their own enrolments (confirmed or waiting for them); training-centre staff the
        CONFIRMED enrolments in the trainings of their centres; admins all; anyone else (employers, advisors,
        analysts, anonymous) none."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.YOUNG):
            return self.filter(candidate__user=user)
        if has_role(user, Role.TRAINING_CENTRE):
            return self.filter(training__centre__memberships__user=user, consent_at__isnull=False).distinct()
        return self.none()


class Enrolment(models.Model):
    """A young person enrolled in an apprenticeship training, shared with its centre to find an employer.

    Declared by the young person, or by the centre's staff and then confirmed by the young person: the centre
    sees it only once `consent_at` is set. Its status follows the contract (see candidates.services)."""

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="enrolments", verbose_name="jeune"
    )
    training = models.ForeignKey(
        "trainings.Training", on_delete=models.CASCADE, related_name="enrolments", verbose_name="formation"
    )
    session = models.ForeignKey(
        "trainings.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name="session",
    )
    status = models.CharField(
        "situation", max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.LOOKING, db_index=True
    )
    status_on = models.DateField("situation depuis le")
    source = models.CharField("déclarée par", max_length=10, choices=EnrolmentSource.choices)
    consent_at = models.DateTimeField(
        "partage avec le centre accepté le",
        null=True,
        blank=True,
        help_text="Vide tant que le jeune n'a pas confirmé une inscription déclarée par le centre.",
    )
    signed_application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="candidature du contrat signé",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription en formation"
        verbose_name_plural = "inscriptions en formation"
        ordering = ["-status_on", "-pk"]
        indexes = [models.Index(fields=["training", "status"], name="enrolment_training_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "training"],
                condition=models.Q(status__in=sorted(ENROLMENT_ACTIVE)),
                name="enrolment_one_active_per_training",
                violation_error_message="Cette inscription est déjà enregistrée.",
            ),
            models.CheckConstraint(
                condition=models.Q(source=EnrolmentSource.CENTRE) | models.Q(consent_at__isnull=False),
                name="enrolment_by_young_is_consented",
                violation_error_message="Une inscription déclarée par le jeune vaut accord de partage.",
            ),
        ]

    def __str__(self) -> str:
        return f"Inscription {self.pk} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.consent_at is not None
