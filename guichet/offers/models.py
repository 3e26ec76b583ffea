"""Apprenticeship offers published by establishments."""

from __future__ import annotations

from django.db import models

from guichet.offers.enums import OfferStatus


class Offer(models.Model):
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
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "offre d'apprentissage"
        verbose_name_plural = "offres d'apprentissage"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "starts_on"], name="offer_status_start_idx")]
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
