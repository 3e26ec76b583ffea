"""Core models: the audit log of sensitive actions, append-only from the application."""

from __future__ import annotations

from typing import Any

from django.db import connections, models, transaction


class AuditLogError(Exception):
    """Raised on any attempt to change or delete an audit event from the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogError("Le journal d'audit ne peut pas être modifié.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogError("Le journal d'audit ne peut pas être supprimé (purge de conservation seulement).")

    def purge_expired(self, *, today: Any) -> int:
        """The one way events leave the log: their retention date has passed (guichet.core.audit).

        On PostgreSQL a trigger refuses any UPDATE or DELETE on the table (migration 0002) unless the
        transaction sets guichet.audit_purge, which only this method does."""
        expired = self.model.objects.filter(keep_until__lt=today)
        with transaction.atomic(using=expired.db):
            connection = connections[expired.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL guichet.audit_purge = 'on'")
            count = expired._raw_delete(expired.db)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL guichet.audit_purge = 'off'")
        return count


class AuditEvent(models.Model):
    """Who did what to which object, when and from where. Written by guichet.core.audit.audit_record."""

    when = models.DateTimeField("date et heure", db_index=True)
    # A plain id, not a foreign key: the event outlives the account (the log keeps no e-mail or name).
    actor_id = models.BigIntegerField("compte auteur (id)", null=True, blank=True, db_index=True)
    actor_role = models.CharField("rôle de l'auteur", max_length=30, blank=True)
    action = models.CharField("action", max_length=60, db_index=True)
    object_type = models.CharField("type d'objet", max_length=60, blank=True)
    object_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    keep_until = models.DateField("conservé jusqu'au", db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-when", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditLogError("Le journal d'audit ne peut pas être modifié.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogError("Le journal d'audit ne peut pas être supprimé.")


class PeriodicRun(models.Model):
    """The state of a periodic job between its start and its end (guichet.core.scheduling.run_periodic): a start
    that never ended is a crash of its worker (killed, out of memory, stopped by the task timeout)."""

    name = models.CharField("tâche", max_length=100, unique=True)
    running_since = models.DateTimeField("en cours depuis", null=True, blank=True)
    crashes = models.PositiveSmallIntegerField("arrêts brutaux de suite", default=0)
    last_finished_at = models.DateTimeField("dernière fin", null=True, blank=True)
    refused_at = models.DateTimeField("dernier refus", null=True, blank=True)

    class Meta:
        verbose_name = "exécution de tâche périodique"
        verbose_name_plural = "exécutions des tâches périodiques"

    def __str__(self) -> str:
        return self.name
