"""Users log in with their e-mail address and hold one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    YOUNG = "jeune", "Jeune"
    EMPLOYER = "employeur", "Employeur"
    TRAINING_CENTRE = "cfa", "Centre de formation (CFA)"
    ADVISOR = "conseiller", "Conseiller de la Région"
    ANALYST = "analyste", "Analyste"
    ADMIN = "admin", "Administrateur"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.YOUNG)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)
    terms_accepted_at = models.DateTimeField("conditions d'utilisation acceptées le", null=True, blank=True)
    # Set when the "your unused account will be deleted" e-mail is sent; cleared by the next login.
    inactivity_warned_at = models.DateTimeField("prévenu de la suppression pour inactivité le", null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class AdvisorAssignment(models.Model):
    """A Region advisor covers one zone d'emploi, for all topics or for the listed ones."""

    advisor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name="conseiller")
    basin = models.ForeignKey(
        "territory.Basin", on_delete=models.PROTECT, related_name="advisor_assignments", verbose_name="zone d'emploi"
    )
    topics = models.JSONField("thèmes", default=list, blank=True, help_text="Vide : tous les thèmes.")

    class Meta:
        verbose_name = "affectation de conseiller"
        constraints = [models.UniqueConstraint(fields=["advisor", "basin"], name="assignment_unique_advisor_basin")]

    def __str__(self) -> str:
        return f"{self.advisor} · {self.basin}"
