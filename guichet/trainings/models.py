"""Training centres (UAI, SIRET), the certifications they prepare, their apprenticeship trainings and sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin
from guichet.employers.validators import validate_siret
from guichet.trainings.enums import CentreNature
from guichet.trainings.validators import validate_uai


class TrainingCentreQuerySet(models.QuerySet["TrainingCentre"]):
    def visible_to(self, user: AnyUser) -> TrainingCentreQuerySet:
        """Centres whose records a user may manage: staff their own, advisors those of their zones, admins all."""
        if is_admin(user):
            return self.all()
        if has_role(user, Role.TRAINING_CENTRE):
            return self.filter(memberships__user=user).distinct()
        if has_role(user, Role.ADVISOR):
            return self.filter(in_advisor_zones(user, commune_field="commune"))
        return self.none()


class TrainingCentre(models.Model):
    """An apprenticeship training organisation (CFA, lycée with an apprenticeship unit...), one per SIRET."""

    uai = models.CharField("UAI", max_length=8, db_index=True, validators=[validate_uai])
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField("raison sociale", max_length=255)
    sign = models.CharField("enseigne", max_length=255, blank=True)
    nature = models.CharField("nature", max_length=25, choices=CentreNature.choices, default=CentreNature.UNKNOWN)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="training_centres", verbose_name="commune"
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    is_lycee = models.BooleanField("lycée", default=False, help_text="Déduit du nom de l'organisme.")
    prepa_apprentissage = models.BooleanField("programme Prépa apprentissage", default=False)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    objects = TrainingCentreQuerySet.as_manager()

    class Meta:
        verbose_name = "centre de formation"
        verbose_name_plural = "centres de formation"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.sign or self.name


class CentreMembership(models.Model):
    """A user (training-centre role) acting for a centre."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="centre_memberships",
        verbose_name="utilisateur",
    )
    centre = models.ForeignKey(
        TrainingCentre, on_delete=models.CASCADE, related_name="memberships", verbose_name="centre de formation"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "rattachement à un centre de formation"
        verbose_name_plural = "rattachements à un centre de formation"
        constraints = [models.UniqueConstraint(fields=["user", "centre"], name="centre_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.centre}"


class Certification(models.Model):
    """A diploma or professional title (Certif Info, Réseau des Carif-Oref) with its ROME jobs."""

    code_certifinfo = models.CharField("code Certif Info", max_length=10, unique=True)
    title = models.CharField("intitulé", max_length=500)
    diploma_type = models.CharField("type de diplôme", max_length=255, blank=True)
    level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
        verbose_name="niveau",
    )
    cfd = models.CharField("code formation diplôme (CFD)", max_length=8, blank=True, db_index=True)
    rncp = models.CharField("code RNCP", max_length=12, blank=True, db_index=True)
    rome_jobs = models.ManyToManyField(
        "jobs.RomeJob", related_name="certifications", blank=True, verbose_name="métiers ROME"
    )
    apprenticeship_access = models.BooleanField("accessible par l'apprentissage", default=False)

    class Meta:
        verbose_name = "certification"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Training(models.Model):
    """An apprenticeship training offered by a centre, with its places."""

    centre = models.ForeignKey(
        TrainingCentre, on_delete=models.CASCADE, related_name="trainings", verbose_name="centre de formation"
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name="certification préparée",
    )
    title = models.CharField("intitulé", max_length=500)
    level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name="niveau",
    )
    rome_jobs = models.ManyToManyField(
        "jobs.RomeJob", related_name="trainings", blank=True, verbose_name="métiers ROME"
    )
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="trainings", verbose_name="lieu de formation"
    )
    total_places = models.PositiveIntegerField("places")
    remaining_places = models.PositiveIntegerField("places restantes")
    duration_months = models.PositiveSmallIntegerField("durée (mois)")
    rhythm = models.CharField("rythme de l'alternance", max_length=255, blank=True)
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "formation en apprentissage"
        verbose_name_plural = "formations en apprentissage"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remaining_places__gte=0, remaining_places__lte=models.F("total_places")),
                name="training_remaining_places_within_total",
                violation_error_message="Les places restantes vont de 0 au nombre de places.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions", verbose_name="formation")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="training_session_ends_after_start",
                violation_error_message="La fin de la session doit être postérieure à son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} ({self.starts_on:%m/%Y})"


class TrainingSlot(models.Model):
    """Derived rows, never edited by hand: one per training x ROME job x session start, with the training's
    commune coordinates, level and places copied, so that "the trainings of this job near this place" is one
    index range (job, latitude) like the offers' search. Kept exact by `guichet.trainings.slots`, called by
    every write on a training, its places, its jobs or its sessions; `manage.py rebuild_training_slots` after
    a bulk load (or a commune import that moves coordinates)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="slots", verbose_name="formation")
    rome_job = models.ForeignKey(
        "jobs.RomeJob", on_delete=models.CASCADE, related_name="training_slots", verbose_name="métier ROME"
    )
    starts_on = models.DateField("début de session")
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.CASCADE, related_name="training_slots", verbose_name="lieu de formation"
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    level = models.ForeignKey(
        "jobs.DiplomaLevel",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_slots",
        verbose_name="niveau",
    )
    remaining_places = models.PositiveIntegerField("places restantes")

    class Meta:
        verbose_name = "créneau de formation (index de recherche)"
        verbose_name_plural = "créneaux de formation (index de recherche)"
        constraints = [
            models.UniqueConstraint(fields=["training", "rome_job", "starts_on"], name="training_slot_unique"),
        ]
        indexes = [
            # Every column the offer ranking reads, in the key: an index-only range scan on PostgreSQL (and a
            # covering index on SQLite), whatever the physical order of the rows.
            models.Index(
                fields=[
                    "rome_job",
                    "latitude",
                    "longitude",
                    "starts_on",
                    "remaining_places",
                    "training",
                    "commune",
                    "level",
                ],
                name="training_slot_search_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_id} · {self.rome_job_id} · {self.starts_on}"
