from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from guichet.core.audit import audit_record
from guichet.core.models import AuditEvent, PeriodicRun
from guichet.core.scheduling import periodic_rearm


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application (guichet.core.audit) and never edited."""

    list_display = ["when", "action", "actor_id", "actor_role", "object_type", "object_id", "ip"]
    list_filter = ["action", "actor_role"]
    search_fields = ["action", "object_type", "object_id", "=actor_id", "=ip"]
    date_hierarchy = "when"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest | None, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest | None, obj: object = None) -> bool:
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    """The periodic jobs' state; a job refused after crashing its worker is re-armed here (guichet.core.scheduling)."""

    list_display = ["name", "crashes", "running_since", "last_finished_at", "refused_at"]
    readonly_fields = [field.name for field in PeriodicRun._meta.fields]
    actions = ["rearm"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest | None, obj: object = None) -> bool:
        return False

    @admin.action(description="Réarmer les tâches choisies (après avoir trouvé la cause des arrêts)")
    def rearm(self, request: HttpRequest, queryset: QuerySet[PeriodicRun]) -> None:
        for run in queryset:
            periodic_rearm(name=run.name)
            audit_record(action="core.periodic_rearm", obj=run, request=request)
        self.message_user(request, f"{queryset.count()} tâche(s) réarmée(s).")
