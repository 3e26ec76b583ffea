"""Young people's profiles: age, level, place, mobility, wishes and visibility to employers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, in_advisor_zones, is_admin


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
