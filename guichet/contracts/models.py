"""The register of apprenticeship contracts (no names, only what the statistics and the rules need), and the
contract drafts an employer and a young person prepare together before filling in the official form."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from guichet.contracts.enums import AgeBand, BreakReason, ContractKind, EmployerSector, Sex
from guichet.employers.enums import HeadcountBand
from guichet.trainings.validators import validate_uai

# Code diplôme (CFD) of the Education ministry: 8 digits or capital letters. One pattern for the model, the
# importer's Python and SQL checks.
CFD_PATTERN = r"^[0-9A-Z]{8}$"
validate_cfd = RegexValidator(
    CFD_PATTERN,
    "Le code diplôme (CFD) doit comporter 8 caractères, chiffres ou lettres majuscules, par exemple 50022141.",
    code="cfd_format",
)


def is_valid_cfd(value: str) -> bool:
    return re.match(CFD_PATTERN, value) is not None


class Contract(models.Model):
    """A row of the register. Foreign keys to reference tables that no query filters on carry no index
    (`db_index=False`): each index costs every bulk import (docs/benchmarks/observatory.md)."""

    contract_number = models.CharField("numéro de contrat", max_length=30)
    birth_year = models.PositiveSmallIntegerField("année de naissance de l'apprenti")
    birth_date = models.DateField(
        "date de naissance de l'apprenti",
        null=True,
        blank=True,
        help_text="Facultative : quand elle est connue, la tranche d'âge au début du contrat en tient compte.",
    )
    age_band = models.CharField("âge au début du contrat", max_length=5, choices=AgeBand.choices)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name="niveau préparé",
        db_index=False,
    )
    rome_job = models.ForeignKey(
        "jobs.RomeJob",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name="métier",
        db_index=False,  # contract_job_start_idx starts with it
    )
    certification = models.ForeignKey(
        "trainings.Certification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="certification préparée",
        db_index=False,
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
        db_index=False,
    )
    headcount_band = models.CharField(
        "tranche d'effectif de l'employeur", max_length=8, choices=HeadcountBand.choices, blank=True
    )
    workplace_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune du lieu de travail",
        db_index=False,
    )
    training_centre = models.ForeignKey(
        "trainings.TrainingCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="centre de formation",
    )
    training_centre_uai = models.CharField(
        "code UAI du centre de formation", max_length=8, blank=True, validators=[validate_uai]
    )
    training_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune du lieu de formation",
        db_index=False,
    )
    diploma_cfd = models.CharField("code du diplôme (CFD)", max_length=8, blank=True, validators=[validate_cfd])
    contract_kind = models.CharField("type de contrat", max_length=3, choices=ContractKind.choices, blank=True)
    rqth = models.BooleanField(
        "l'apprenti bénéficie d'une RQTH", null=True, blank=True, help_text="Vide quand l'information manque."
    )
    employer_sector = models.CharField(
        "secteur de l'employeur", max_length=6, choices=EmployerSector.choices, blank=True
    )
    concluded_on = models.DateField("date de conclusion")
    starts_on = models.DateField("début d'exécution")
    planned_end_on = models.DateField("fin prévue")
    break_on = models.DateField("date de rupture", null=True, blank=True)
    break_reason = models.CharField("motif de rupture", max_length=20, choices=BreakReason.choices, blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False)

    class Meta:
        verbose_name = "contrat d'apprentissage"
        verbose_name_plural = "contrats d'apprentissage"
        ordering = ["-starts_on", "contract_number"]
        indexes = [
            models.Index(fields=["starts_on"], name="contract_starts_on_idx"),
            # A job's contracts since a date, with their establishment and NAF code, from the index alone: the
            # "companies likely to recruit" signals (matching.search). It replaces the foreign key's own index.
            models.Index(fields=["rome_job", "starts_on", "establishment", "naf"], name="contract_job_start_idx"),
            # "Is there any synthetic contract?" without scanning a register of real ones.
            models.Index(
                fields=["is_synthetic"], condition=models.Q(is_synthetic=True), name="contract_synthetic_idx"
            ),
        ]
        constraints = [
            # A constraint rather than unique=True: same unique index, without the second LIKE index.
            models.UniqueConstraint(
                fields=["contract_number"],
                name="contract_number_unique",
                violation_error_message="Un contrat porte déjà ce numéro.",
            ),
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


class ContractDraft(models.Model):
    """A draft of the official apprenticeship contract form (CERFA FA13), prepared from an accepted application.

    Each side fills in its own part (the employer: employer, maître d'apprentissage, training and contract; the
    young person: the apprentice part) and validates the whole; any later change clears both validations. Once
    both have validated, the employer declares the contract signed: the application moves to "contrat signé"
    and a row without names is added to the register (`Contract`). Only the apprentice's data that the form
    needs and that helps prepare it are kept here; the social security number, nationality and place of birth
    are written directly on the official form, never stored (see `guichet.contracts.drafts.APPRENTICE_FIELDS_WHY`).
    """

    application = models.OneToOneField(
        "candidates.Application", on_delete=models.CASCADE, related_name="contract_draft", verbose_name="candidature"
    )
    training = models.ForeignKey(
        "trainings.Training",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contract_drafts",
        verbose_name="formation suivie",
    )
    # Employer (section "L'employeur")
    employer_name = models.CharField("dénomination de l'employeur", max_length=255)
    employer_siret = models.CharField("SIRET de l'établissement d'exécution du contrat", max_length=14)
    employer_naf = models.CharField("code d'activité (NAF)", max_length=6, blank=True)
    employer_headcount = models.PositiveIntegerField("effectif salarié de l'entreprise", null=True, blank=True)
    employer_idcc = models.CharField("code IDCC de la convention collective", max_length=4, blank=True)
    employer_address = models.CharField("adresse de l'établissement", max_length=255, blank=True)
    employer_postcode = models.CharField("code postal de l'établissement", max_length=5, blank=True)
    employer_commune = models.CharField("commune de l'établissement", max_length=255, blank=True)
    employer_phone = models.CharField("téléphone de l'employeur", max_length=20, blank=True)
    employer_email = models.EmailField("courriel de l'employeur", blank=True)
    # Apprentice (section "L'apprenti(e)")
    apprentice_last_name = models.CharField("nom de naissance de l'apprenti", max_length=150, blank=True)
    apprentice_first_name = models.CharField("prénom de l'apprenti", max_length=150, blank=True)
    apprentice_birth_date = models.DateField("date de naissance de l'apprenti", null=True, blank=True)
    apprentice_sex = models.CharField("sexe de l'apprenti", max_length=1, choices=Sex.choices, blank=True)
    apprentice_address = models.CharField("adresse de l'apprenti", max_length=255, blank=True)
    apprentice_postcode = models.CharField("code postal de l'apprenti", max_length=5, blank=True)
    apprentice_commune = models.CharField("commune de l'apprenti", max_length=255, blank=True)
    apprentice_phone = models.CharField("téléphone de l'apprenti", max_length=20, blank=True)
    apprentice_email = models.EmailField("courriel de l'apprenti", blank=True)
    apprentice_rqth = models.BooleanField("l'apprenti bénéficie d'une RQTH", default=False)
    apprentice_highest_level = models.PositiveSmallIntegerField(
        "niveau du diplôme le plus élevé obtenu", null=True, blank=True
    )
    apprentice_last_diploma = models.CharField("dernier diplôme ou titre préparé", max_length=255, blank=True)
    legal_representative = models.CharField(
        "représentant légal (apprenti mineur) : nom, prénom et adresse", max_length=500, blank=True
    )
    # Maître d'apprentissage
    master_last_name = models.CharField("nom du maître d'apprentissage", max_length=150, blank=True)
    master_first_name = models.CharField("prénom du maître d'apprentissage", max_length=150, blank=True)
    master_birth_date = models.DateField("date de naissance du maître d'apprentissage", null=True, blank=True)
    master_job_title = models.CharField("emploi occupé par le maître d'apprentissage", max_length=255, blank=True)
    master_highest_diploma = models.CharField(
        "diplôme le plus élevé du maître d'apprentissage", max_length=255, blank=True
    )
    master_email = models.EmailField("courriel du maître d'apprentissage", blank=True)
    # Training (section "La formation")
    cfa_name = models.CharField("dénomination du CFA", max_length=255, blank=True)
    cfa_uai = models.CharField("numéro UAI du CFA", max_length=8, blank=True)
    cfa_siret = models.CharField("SIRET du CFA", max_length=14, blank=True)
    cfa_commune = models.CharField("commune du CFA", max_length=255, blank=True)
    diploma_title = models.CharField("diplôme ou titre visé", max_length=500, blank=True)
    diploma_level = models.PositiveSmallIntegerField("niveau du diplôme visé", null=True, blank=True)
    diploma_cfd = models.CharField("code du diplôme (CFD)", max_length=8, blank=True)
    rncp = models.CharField("code RNCP", max_length=12, blank=True)
    training_starts_on = models.DateField("début de la formation au CFA", null=True, blank=True)
    training_ends_on = models.DateField("fin des épreuves ou examens", null=True, blank=True)
    training_hours = models.PositiveIntegerField("durée de la formation (heures)", null=True, blank=True)
    # Contract (section "Le contrat")
    concluded_on = models.DateField("date de conclusion", null=True, blank=True)
    starts_on = models.DateField("date de début d'exécution du contrat", null=True, blank=True)
    practical_starts_on = models.DateField(
        "date de début de la formation pratique chez l'employeur", null=True, blank=True
    )
    ends_on = models.DateField("date de fin du contrat", null=True, blank=True)
    weekly_hours = models.DecimalField(
        "durée hebdomadaire de travail (heures)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    job_title = models.CharField("intitulé du poste", max_length=255, blank=True)
    # Validation and signature
    employer_validated_at = models.DateTimeField("validé par l'employeur le", null=True, blank=True)
    employer_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé pour l'employeur par",
    )
    apprentice_validated_at = models.DateTimeField("validé par l'apprenti le", null=True, blank=True)
    signed_at = models.DateTimeField("déclaré signé le", null=True, blank=True)
    contract = models.OneToOneField(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name="contrat enregistré",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "projet de contrat d'apprentissage"
        verbose_name_plural = "projets de contrat d'apprentissage"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True)
                | models.Q(employer_validated_at__isnull=False, apprentice_validated_at__isnull=False),
                name="contract_draft_signed_after_both_validations",
                violation_error_message="Le contrat ne peut être signé qu'après la validation des deux parties.",
            ),
        ]

    def __str__(self) -> str:
        return f"Projet de contrat {self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def both_validated(self) -> bool:
        return self.employer_validated_at is not None and self.apprentice_validated_at is not None
