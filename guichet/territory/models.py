"""Communes, departments, regions and employment-basin grids (INSEE zones d'emploi, France Travail BMO basins)."""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région")
    geometry = models.JSONField("contour (GeoJSON)", null=True, blank=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneKind(models.TextChoices):
    COMMUNE = "commune-actuelle", "Commune"
    ARRONDISSEMENT = "arrondissement-municipal", "Arrondissement municipal"


class Commune(models.Model):
    insee = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField("nom pour la recherche", max_length=100, db_index=True)
    kind = models.CharField("type", max_length=30, choices=CommuneKind.choices, default=CommuneKind.COMMUNE)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrondissements",
        verbose_name="commune parente",
    )
    postcodes = models.CharField("codes postaux", max_length=200, blank=True, help_text="Séparés par des espaces.")
    population = models.PositiveIntegerField("population légale", null=True, blank=True)
    latitude = models.FloatField("latitude du centre", null=True, blank=True)
    longitude = models.FloatField("longitude du centre", null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["insee"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_lat_lon_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()


class BasinGrid(models.TextChoices):
    ZONE_EMPLOI = "ze2020", "Zone d'emploi INSEE 2020"
    BMO = "bmo", "Bassin d'emploi France Travail (BMO)"


class Basin(models.Model):
    """One area of a grid of employment basins; each commune belongs to at most one basin per grid."""

    grid = models.CharField("maillage", max_length=10, choices=BasinGrid.choices)
    code = models.CharField("code", max_length=10)
    name = models.CharField("nom", max_length=100)
    interregional = models.BooleanField("à cheval sur plusieurs régions", default=False)
    geometry = models.JSONField("contour (GeoJSON)", null=True, blank=True)
    communes = models.ManyToManyField(Commune, through="BasinMembership", related_name="basins")

    class Meta:
        verbose_name = "bassin d'emploi"
        ordering = ["grid", "code"]
        constraints = [models.UniqueConstraint(fields=["grid", "code"], name="basin_unique_grid_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class BasinMembership(models.Model):
    grid = models.CharField("maillage", max_length=10, choices=BasinGrid.choices)
    basin = models.ForeignKey(Basin, on_delete=models.CASCADE, related_name="memberships")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="basin_memberships")

    class Meta:
        verbose_name = "appartenance à un bassin"
        constraints = [models.UniqueConstraint(fields=["grid", "commune"], name="membership_one_basin_per_grid")]

    def __str__(self) -> str:
        return f"{self.commune_id} -> {self.basin_id}"
