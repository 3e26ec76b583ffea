from django.contrib import admin
from django.http import HttpRequest

from guichet.core.models import AuditEvent


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
