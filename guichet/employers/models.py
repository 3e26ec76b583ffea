"""Companies, their establishments (SIRET), NAF activities, who acts for them, and the INSEE establishment census."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin
from guichet.employers.enums import HeadcountBand, NafLevel
from guichet.employers.validators import validate_siren, validate_siret


class NafActivity(models.Model):
    """An entry of the INSEE NAF rév. 2 nomenclature (division, groupe, classe or sous-classe)."""

    code = models.CharField("code NAF", max_length=6, unique=True)
    label = models.CharField("libellé", max_length=255)
    level = models.CharField("niveau", max_length=12, choices=NafLevel.choices)

    class Meta:
        verbose_name = "activité NAF"
        verbose_name_plural = "activités NAF"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Company(models.Model):
    """A legal unit (SIREN)."""

    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[validate_siren])
    name = models.CharField("raison sociale", max_length=255)
    headcount_band = models.CharField(
        "tranche d'effectif de l'entreprise", max_length=8, choices=HeadcountBand.choices, blank=True
    )
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "entreprise"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"


class EstablishmentQuerySet(models.QuerySet["Establishment"]):
    def visible_to(self, user: AnyUser) -> EstablishmentQuerySet:
        """Employers see the establishments they act for, advisors those of their zones, admins all."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.EMPLOYER):
            return self.filter(memberships__user=user).distinct()
        if has_role(user, Role.ADVISOR):
            return self.filter(in_advisor_zones(user, commune_field="commune"))
        return self.none()


class Establishment(models.Model):
    """An establishment (SIRET) of a company: the employer that signs apprenticeship contracts."""

    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="establishments", verbose_name="entreprise"
    )
    name = models.CharField("nom (enseigne)", max_length=255)
    naf = models.ForeignKey(
        NafActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="establishments",
        verbose_name="activité principale (NAF)",
        limit_choices_to={"level": NafLevel.SUBCLASS},
    )
    headcount_band = models.CharField("tranche d'effectif", max_length=8, choices=HeadcountBand.choices, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="establishments", verbose_name="commune"
    )
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        verbose_name = "établissement"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"

    @property
    def siren(self) -> str:
        return self.siret[:9]


class EstablishmentMembership(models.Model):
    """A user (employer role) acting for an establishment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="establishment_memberships",
        verbose_name="utilisateur",
    )
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="memberships", verbose_name="établissement"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "rattachement à un établissement"
        verbose_name_plural = "rattachements à un établissement"
        constraints = [
            models.UniqueConstraint(fields=["user", "establishment"], name="establishment_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.establishment}"


class EstablishmentCensus(models.Model):
    """INSEE count of establishments of one commune in one size band (the denominator of signing rates)."""

    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.CASCADE, related_name="establishment_census", verbose_name="commune"
    )
    headcount_band = models.CharField("tranche d'effectif", max_length=8, choices=HeadcountBand.choices)
    vintage = models.PositiveSmallIntegerField("millésime", default=2014)
    count = models.PositiveIntegerField("nombre d'établissements")

    class Meta:
        verbose_name = "recensement des établissements"
        verbose_name_plural = "recensements des établissements"
        ordering = ["commune", "headcount_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["vintage", "commune", "headcount_band"], name="establishment_census_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.headcount_band} ({self.vintage}) : {self.count}"
