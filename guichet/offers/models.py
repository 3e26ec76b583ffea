"""Apprenticeship offers published by establishments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin
from guichet.offers.enums import OfferStatus


class OfferQuerySet(models.QuerySet["Offer"]):
    def published(self) -> OfferQuerySet:
        return self.filter(status=OfferStatus.PUBLISHED)

    def visible_to(self, user: AnyUser) -> OfferQuerySet:
        """Published offers for everyone; employers also their own drafts and closed offers, training-centre staff
        those posted on behalf of their centres, advisors all offers of their zones, admins all."""
        if is_admin(user):
            return self.all()
        public = models.Q(status=OfferStatus.PUBLISHED)
        if has_role(user, Role.EMPLOYER):
            return self.filter(public | models.Q(establishment__memberships__user=user)).distinct()
        if has_role(user, Role.TRAINING_CENTRE):
            return self.filter(public | models.Q(posted_by_centre__memberships__user=user)).distinct()
        if has_role(user, Role.ADVISOR):
            return self.filter(public | in_advisor_zones(user, commune_field="commune"))
        return self.filter(public)

    def editable_by(self, user: AnyUser) -> OfferQuerySet:
        """Offers a user may change: those of the establishments they act for, or posted by their centre."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.EMPLOYER):
            return self.filter(establishment__memberships__user=user).distinct()
        if has_role(user, Role.TRAINING_CENTRE):
            return self.filter(posted_by_centre__memberships__user=user).distinct()
        return self.none()


class Offer(models.Model):
    """An apprenticeship offer: draft -> published -> filled | expired | withdrawn (see offers.services)."""

    establishment = models.ForeignKey(
        "employers.Establishment", on_delete=models.CASCADE, related_name="offers", verbose_name="établissement"
    )
    rome_job = models.ForeignKey(
        "jobs.RomeJob", on_delete=models.PROTECT, related_name="offers", verbose_name="métier"
    )
    appellation = models.ForeignKey(
        "jobs.Appellation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name="appellation",
    )
    title = models.CharField("intitulé du poste", max_length=255)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="offers", verbose_name="lieu de travail"
    )
    target_level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name="niveau de diplôme préparé",
    )
    starts_on = models.DateField("début du contrat")
    duration_months = models.PositiveSmallIntegerField("durée du contrat (mois)")
    weekly_hours = models.DecimalField("durée hebdomadaire (heures)", max_digits=4, decimal_places=1, default=35)
    positions = models.PositiveSmallIntegerField("nombre de postes", default=1)
    description = models.TextField("description", blank=True)
    driving_licence_required = models.BooleanField("permis B exigé", default=False)
    status = models.CharField("statut", max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    expiry_notice_sent_at = models.DateTimeField("avis d'expiration envoyé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    posted_by_centre = models.ForeignKey(
        "trainings.TrainingCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posted_offers",
        verbose_name="déposée par le centre de formation",
        help_text="Rempli quand un CFA dépose l'offre pour le compte d'une entreprise partenaire.",
    )
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)
    # Kept by the database itself (triggers on candidates_application, migration candidates 0005), read by the
    # offer search so that it does not count every offer's applications: never written by Django (see save()).
    pending_applications = models.PositiveIntegerField(
        "candidatures en attente",
        default=0,
        editable=False,
        help_text="Candidatures envoyées, vues, en entretien ou acceptées ; tenu à jour par la base.",
    )
    last_application_on = models.DateField(
        "dernière candidature envoyée le",
        null=True,
        blank=True,
        editable=False,
        help_text="La plus récente date d'envoi d'une candidature reçue (jamais reculée) ; tenu à jour par la base.",
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "offre d'apprentissage"
        verbose_name_plural = "offres d'apprentissage"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "starts_on"], name="offer_status_start_idx"),
            # The search: published offers of one ROME job in a set of communes (matching.offer_search).
            models.Index(fields=["rome_job", "status", "commune"], name="offer_rome_status_commune_idx"),
            models.Index(fields=["status", "updated_at"], name="offer_status_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_months__gte=6, duration_months__lte=36),
                name="offer_duration_6_to_36_months",
                violation_error_message="La durée du contrat va de 6 à 36 mois.",
            ),
            models.CheckConstraint(
                condition=models.Q(positions__gte=1),
                name="offer_at_least_one_position",
                violation_error_message="Une offre porte sur au moins un poste.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update never writes the application figures the database keeps (DATABASE_MAINTAINED): an offer
        read before an application arrived would otherwise write its stale count back."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in DATABASE_MAINTAINED
            ]
        super().save(*args, **kwargs)


# Offer fields written by the database's triggers only (migration candidates 0005).
DATABASE_MAINTAINED = frozenset({"pending_applications", "last_application_on"})
