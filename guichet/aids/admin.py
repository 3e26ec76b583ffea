"""Administration of the dated parameters: add rows, never rewrite them (history is kept).

A recorded row is shown read-only and cannot be deleted; the only change allowed is closing an open-ended
period (an aid rule or an exemption regime without end date). A new SMIC, a new grid, a new aid period:
add a new row with its validity date; the rules version changes and past simulations keep theirs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.aids.models import (
    AidBudget,
    AidProgramme,
    AidRule,
    ContributionRate,
    ExemptionRegime,
    IncomeTaxCeiling,
    PayGridRate,
    PaymentRule,
    RulesSnapshot,
    Simulation,
    SmicRate,
)


class AppendOnlyAdmin(admin.ModelAdmin):
    """Rows can be added; once saved they are read-only, except an empty end date that may be set once."""

    closable: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["recorded_at"] if "recorded_at" in self._field_names() else []
        return [
            name for name in self._field_names() if not (name in self.closable and getattr(obj, name, None) is None)
        ]

    def _field_names(self) -> list[str]:
        return [field.name for field in self.model._meta.concrete_fields if field.name != "id"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SmicRate)
class SmicRateAdmin(AppendOnlyAdmin):
    list_display = ["effective_on", "territory", "hourly", "monthly", "reference", "to_confirm"]
    list_filter = ["territory", "to_confirm"]


@admin.register(PayGridRate)
class PayGridRateAdmin(AppendOnlyAdmin):
    list_display = ["valid_from", "age_band", "contract_year", "rate_percent", "reference"]
    list_filter = ["valid_from", "age_band"]


@admin.register(ExemptionRegime)
class ExemptionRegimeAdmin(AppendOnlyAdmin):
    closable = ("concluded_to",)
    list_display = ["code", "concluded_from", "concluded_to", "threshold_percent_smic", "csg_crds_due", "to_confirm"]


@admin.register(ContributionRate)
class ContributionRateAdmin(AppendOnlyAdmin):
    list_display = ["code", "valid_from", "rate_percent", "base_percent", "to_confirm"]


@admin.register(IncomeTaxCeiling)
class IncomeTaxCeilingAdmin(AppendOnlyAdmin):
    list_display = ["year", "amount", "to_confirm"]


@admin.register(PaymentRule)
class PaymentRuleAdmin(AppendOnlyAdmin):
    list_display = ["code", "concluded_from", "reference"]


class AidRuleInline(admin.StackedInline):
    model = AidRule
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["recorded_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AidProgramme)
class AidProgrammeAdmin(admin.ModelAdmin):
    """The programme's description may be edited (wording); its dated rules are added in "Règles d'aide"."""

    list_display = ["name", "scope", "beneficiary", "payment", "to_confirm", "accepts_applications"]
    list_filter = ["scope", "beneficiary", "to_confirm", "accepts_applications"]
    search_fields = ["name", "code"]
    readonly_fields = ["recorded_at"]
    inlines = [AidRuleInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["recorded_at"]
        return ["code", "scope", "beneficiary", "payment", "exclusive_group", "recorded_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AidRule)
class AidRuleAdmin(AppendOnlyAdmin):
    closable = ("concluded_to",)
    list_display = [
        "programme",
        "priority",
        "concluded_from",
        "concluded_to",
        "amount",
        "amounts_by_year",
        "to_confirm",
    ]
    list_filter = ["programme__scope", "programme", "to_confirm"]


@admin.register(RulesSnapshot)
class RulesSnapshotAdmin(admin.ModelAdmin):
    list_display = ["version", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Simulation)
class SimulationAdmin(RulesSnapshotAdmin):
    list_display = ["kind", "channel", "rules_version", "created_at"]
    list_filter = ["kind", "channel"]


@admin.register(AidBudget)
class AidBudgetAdmin(admin.ModelAdmin):
    """Budgets are opened here; commitments and payments move only through the instruction services."""

    list_display = ["programme", "year", "amount", "committed_amount", "paid_amount"]
    readonly_fields = ["committed_amount", "paid_amount"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
