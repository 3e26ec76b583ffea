"""Administrators edit the plans and their targets here (several plans are kept), read the glossary and the
proposals to centres with their history (their steps are taken on the observatory's pages)."""

from django.contrib import admin

from guichet.observatory.models import Indicator, Plan, Proposal, ProposalEvent, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1
    fields = ["indicator", "label", "baseline_year", "baseline_value", "target_year", "target_value", "note"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "adopted_year", "is_current"]
    list_filter = ["is_current"]
    inlines = [TargetInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "unit", "measure", "refreshed"]
    search_fields = ["code", "label"]


class ProposalEventInline(admin.TabularInline):
    """The dated steps, read-only: steps are taken on the proposal's page, which checks and audits them."""

    model = ProposalEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "kind", "actor", "actor_role", "status_before", "status_after", "places", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["centre", "rome_job", "action", "places", "status", "updated_at"]
    list_filter = ["status", "action"]
    raw_id_fields = ["centre", "rome_job"]
    # The life cycle goes through the pages (guichet/observatory/proposals.py): dated, authored and audited.
    readonly_fields = ["status", "answer", "counter_action", "counter_places", "created_by", "reasons"]
    inlines = [ProposalEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # created from a recommendation, on the needs page
