"""ROME jobs (France Travail), their job titles (appellations) and the national diploma levels."""

from django.db import models


class ProfessionalDomain(models.Model):
    """A ROME 'domaine professionnel' (e.g. D11 Commerce alimentaire) inside a 'grand domaine' (letter)."""

    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("libellé", max_length=200)
    major_code = models.CharField("grand domaine", max_length=1)
    major_name = models.CharField("libellé du grand domaine", max_length=200)

    class Meta:
        verbose_name = "domaine professionnel"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FutureFamily(models.TextChoices):
    HEALTH = "sante", "Santé"
    EARLY_CHILDHOOD = "petite_enfance", "Petite enfance"
    ELDERLY_CARE = "grand_age", "Grand âge et Silver économie"


class RomeJob(models.Model):
    code = models.CharField("code ROME", max_length=5, unique=True)
    title = models.CharField("intitulé", max_length=200)
    search_title = models.CharField("intitulé pour la recherche", max_length=200)
    domain = models.ForeignKey(
        ProfessionalDomain, on_delete=models.PROTECT, related_name="jobs", verbose_name="domaine professionnel"
    )
    ogr_code = models.PositiveIntegerField("code OGR de la fiche", null=True, blank=True)
    future_family = models.CharField(
        "famille de métiers d'avenir",
        max_length=20,
        choices=FutureFamily.choices,
        blank=True,
        help_text="Vide si le métier n'est pas dans les familles prioritaires de la Région.",
    )
    transition_eco = models.BooleanField("transition écologique", default=False)
    transition_num = models.BooleanField("transition numérique", default=False)
    transition_demo = models.BooleanField("transition démographique", default=False)
    regulated = models.BooleanField("emploi réglementé", default=False)

    class Meta:
        verbose_name = "métier ROME"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_future(self) -> bool:
        return bool(self.future_family)


class Appellation(models.Model):
    ogr_code = models.PositiveIntegerField("code OGR", unique=True)
    title = models.CharField("appellation", max_length=255)
    search_title = models.CharField("appellation pour la recherche", max_length=255)
    job = models.ForeignKey(RomeJob, on_delete=models.CASCADE, related_name="appellations", verbose_name="métier")

    class Meta:
        verbose_name = "appellation"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class DiplomaLevel(models.Model):
    """Level of the national qualifications framework (décret n° 2019-14), 3 (CAP) to 8 (doctorate)."""

    level = models.PositiveSmallIntegerField("niveau", primary_key=True)
    label = models.CharField("libellé", max_length=200)
    old_name = models.CharField("ancien niveau (nomenclature de 1969)", max_length=3)
    examples = models.CharField("exemples de diplômes", max_length=255)

    class Meta:
        verbose_name = "niveau de diplôme"
        ordering = ["level"]

    def __str__(self) -> str:
        return f"Niveau {self.level} ({self.label})"
