"""The register of apprenticeship contracts: no names, only what the statistics and the rules need."""

from __future__ import annotations

from django.db import models

from guichet.contracts.enums import AgeBand, BreakReason, Sex
from guichet.employers.enums import HeadcountBand


class Contract(models.Model):
    contract_number = models.CharField("numéro de contrat", max_length=30, unique=True)
    birth_year = models.PositiveSmallIntegerField("année de naissance de l'apprenti")
    age_band = models.CharField("âge au début du contrat", max_length=5, choices=AgeBand.choices)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    level = models.ForeignKey(
        "jobs.DiplomaLevel", on_delete=models.PROTECT, related_name="contracts", verbose_name="niveau préparé"
    )
    rome_job = models.ForeignKey(
        "jobs.RomeJob", on_delete=models.PROTECT, related_name="contracts", verbose_name="métier"
    )
    certification = models.ForeignKey(
        "trainings.Certification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="certification préparée",
    )
    establishment = models.ForeignKey(
        "employers.Establishment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="établissement employeur",
    )
    naf = models.ForeignKey(
        "employers.NafActivity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="activité de l'employeur (NAF)",
    )
    headcount_band = models.CharField(
        "tranche d'effectif de l'employeur", max_length=8, choices=HeadcountBand.choices, blank=True
    )
    workplace_commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune du lieu de travail"
    )
    training_centre = models.ForeignKey(
        "trainings.TrainingCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="centre de formation",
    )
    training_commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune du lieu de formation"
    )
    concluded_on = models.DateField("date de conclusion")
    starts_on = models.DateField("début d'exécution")
    planned_end_on = models.DateField("fin prévue")
    break_on = models.DateField("date de rupture", null=True, blank=True)
    break_reason = models.CharField("motif de rupture", max_length=20, choices=BreakReason.choices, blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "contrat d'apprentissage"
        verbose_name_plural = "contrats d'apprentissage"
        ordering = ["-starts_on", "contract_number"]
        indexes = [models.Index(fields=["starts_on"], name="contract_starts_on_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message="La fin prévue du contrat doit être postérieure à son début.",
            ),
            models.CheckConstraint(
                condition=models.Q(break_on__isnull=True) | models.Q(break_on__gte=models.F("starts_on")),
                name="contract_break_after_start",
                violation_error_message="La rupture ne peut précéder le début du contrat.",
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number
