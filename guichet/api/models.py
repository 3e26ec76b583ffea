"""Partner API keys: a secret shown once, stored as a SHA-256 hash, looked up by its public prefix.

A key reads `ga_<prefix>_<secret>`: the prefix (10 characters) identifies the key in the logs, the admin and
the audit log; the secret (43 characters, 256 bits) is never stored. Keys are created and revoked by an
administrator (admin or `manage.py partner_key`), see guichet/api/keys.py and docs/api.md.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models


class PartnerScope(models.TextChoices):
    """The fixed list of what a key may open (documented in docs/api.md and in the OpenAPI schema)."""

    PUBLIC_READ = "public.read", "Données publiques avec une limite de débit plus haute"
    OBSERVATORY_READ = "observatory.read", "Observatoire : indicateurs, objectifs, écarts et scénarios"
    OBSERVATORY_EXPORT = "observatory.export", "Observatoire : exports CSV des tableaux"


# Scopes whose every use is written to the audit log (public.read only raises a rate limit).
PRIVILEGED_SCOPES = frozenset({PartnerScope.OBSERVATORY_READ, PartnerScope.OBSERVATORY_EXPORT})


class PartnerKey(models.Model):
    name = models.CharField("nom de la clé", max_length=100, help_text="Par exemple « Tableau de bord OPCO EP ».")
    organisation = models.CharField("organisme partenaire", max_length=150)
    contact_email = models.EmailField("e-mail du contact technique")
    scopes = models.JSONField("portées", default=list, help_text="Liste de codes de PartnerScope.")
    prefix = models.CharField("préfixe", max_length=10, unique=True, editable=False)
    key_hash = models.CharField("empreinte SHA-256", max_length=64, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    expires_on = models.DateField("expire le", help_text="Dernier jour de validité.")
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="révoquée par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    class Meta:
        verbose_name = "clé d'API partenaire"
        verbose_name_plural = "clés d'API partenaires"
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.organisation} : {self.name} (ga_{self.prefix}_…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def is_expired(self, *, today: date) -> bool:
        return today > self.expires_on

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def status_label(self, *, today: date) -> str:
        if self.is_revoked:
            return "révoquée"
        if self.is_expired(today=today):
            return "expirée"
        return "active"
