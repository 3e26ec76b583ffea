"""Load the dated parameters of data/reference/aids/parametres.json into the aids tables.

Rows are matched on their natural keys. A missing row is created; an identical row is left alone; a row
whose values changed is REJECTED (nothing is saved), because past parameters are never rewritten: add a new
dated row instead. The only accepted change is closing an open-ended period (an end date where there was
none). Rows added by an administrator and absent from the file are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from guichet.aids.models import (
    AidProgramme,
    AidRule,
    ContributionRate,
    ExemptionRegime,
    IncomeTaxCeiling,
    PayGridRate,
    PaymentRule,
    SmicRate,
)
from guichet.core.importing import ImportRejected, ImportReport
from guichet.rules.parameters import REFERENCE_FILE, load_reference_data, ruleset_from_dict

CLOSABLE = {"concluded_to"}


def _value(field: models.Field, raw: Any) -> Any:
    if raw in (None, "") and field.null:
        return None
    if isinstance(field, models.DateField) and raw is not None:
        return date.fromisoformat(str(raw))
    if isinstance(field, models.DecimalField) and raw is not None:
        return Decimal(str(raw))
    if isinstance(field, models.JSONField):
        return [str(item) for item in raw or []]
    if isinstance(field, models.BooleanField):
        return bool(raw)
    if raw is None and field.has_default():
        return field.get_default()
    return raw


def _sync(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    report: ImportReport,
    extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    fields = {field.name: field for field in model._meta.concrete_fields}
    for number, raw in enumerate(rows, start=1):
        report.read += 1
        values = {name: _value(fields[name], value) for name, value in raw.items() if name in fields}
        if extra:
            values.update(extra(raw))
        lookup = {name: values[name] for name in key}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            model.objects.create(**values)
            report.created += 1
            continue
        changed = {name for name, value in values.items() if getattr(obj, name) != value}
        if not changed:
            report.unchanged += 1
        elif changed <= CLOSABLE and all(getattr(obj, name) is None for name in changed):
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=sorted(changed))
            report.updated += 1
        else:
            label = ", ".join(sorted(changed))
            report.reject(
                number,
                f"{model._meta.verbose_name} {lookup} : valeur déjà enregistrée différente ({label}). Les paramètres "
                "passés ne sont jamais réécrits : ajoutez une nouvelle ligne datée.",
            )


def load_aids(*, path: Path = REFERENCE_FILE) -> list[ImportReport]:
    """Load the parameters, all or nothing; one report for the whole file."""
    data = load_reference_data(path)
    report = ImportReport(source=f"aids/{path.name}")
    try:
        ruleset_from_dict(data)
    except (KeyError, ValueError) as error:
        report.reject(0, f"fichier de paramètres invalide : {error}")
        return [report]
    try:
        with transaction.atomic():
            _sync(SmicRate, data["smic"], key=("territory", "effective_on"), report=report)
            _sync(PayGridRate, data["pay_grid"], key=("valid_from", "age_band", "contract_year"), report=report)
            _sync(ExemptionRegime, data["exemptions"], key=("code",), report=report)
            _sync(ContributionRate, data["contribution_rates"], key=("code", "valid_from"), report=report)
            _sync(IncomeTaxCeiling, data["income_tax_ceilings"], key=("year",), report=report)
            _sync(PaymentRule, data.get("payment_rules", []), key=("code", "concluded_from"), report=report)
            programmes = [{k: v for k, v in item.items() if k != "rules"} for item in data["programmes"]]
            _sync(AidProgramme, programmes, key=("code",), report=report)
            ids = dict(AidProgramme.objects.values_list("code", "pk"))
            rules = [
                {**rule, "priority": rule.get("priority") or 0, "_programme": item["code"]}
                for item in data["programmes"]
                for rule in item["rules"]
            ]
            _sync(
                AidRule,
                rules,
                key=("programme_id", "priority", "concluded_from"),
                report=report,
                extra=lambda raw: {"programme_id": ids[raw["_programme"]]},
            )
            if report.rejected:
                raise ImportRejected(report)
    except ImportRejected:
        report.created = report.updated = 0
    return [report]
