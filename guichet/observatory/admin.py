"""Administrators edit the plans and their targets here (several plans are kept), and read the glossary."""

from django.contrib import admin

from guichet.observatory.models import Indicator, Plan, Proposal, Target


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


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["centre", "rome_job", "action", "places", "status", "updated_at"]
    list_filter = ["status", "action"]
    raw_id_fields = ["centre", "rome_job"]
