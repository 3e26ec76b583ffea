"""Personal data (RGPD): what each app holds about a person, how to export it, erase it, and how long it is
kept. Core never imports the apps: each app registers itself from its AppConfig.ready():

    from guichet.core.personal_data import register_personal_data, register_retention

    register_personal_data(app="candidates", export=candidate_export, erase=candidate_erase, order=50)
    register_retention(name="candidates.refused_applications", description="...", duration="2 ans",
                       apply="guichet.candidates.retention.delete_old_refused_applications")

- `export(user) -> dict`: the person's data held by the app, JSON-serialisable, in plain French keys
  where the person reads them (the export is given to them as is).
- `erase(user) -> ErasureReport`-like dict: {"deleted": [...], "anonymised": [...], "kept": [{"what",
  "why", "until"}]}: what was deleted, what was made anonymous, and what the law obliges us to keep.
  Called in one transaction, in ascending `order` (apps lower in the dependency order first, so that their
  rows pointing at the account go before the account itself, which accounts erases last).
- `apply(today) -> int` of a retention rule: deletes or anonymises what is past its retention period and
  returns how many records it changed; run daily by `apply_retention_rules` (a periodic job of core).

The register of processing that documents all this for people is docs/rgpd.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

Exporter = Callable[[Any], dict[str, Any]]
Eraser = Callable[[Any], dict[str, list[Any]]]


@dataclass(frozen=True)
class PersonalDataSource:
    app: str
    export: Exporter
    erase: Eraser
    order: int


@dataclass(frozen=True)
class RetentionRule:
    name: str
    description: str
    duration: str
    apply: str  # dotted path of a callable(*, today: date) -> int


@dataclass
class ErasureReport:
    deleted: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    kept: list[dict[str, str]] = field(default_factory=list)

    def merge(self, part: dict[str, list[Any]]) -> None:
        self.deleted += list(part.get("deleted", []))
        self.anonymised += list(part.get("anonymised", []))
        self.kept += list(part.get("kept", []))


_SOURCES: dict[str, PersonalDataSource] = {}
_RETENTION: dict[str, RetentionRule] = {}


def register_personal_data(*, app: str, export: Exporter, erase: Eraser, order: int = 50) -> None:
    """Declare an app's personal data. `order`: accounts uses 1000 (erased last: the account itself)."""
    _SOURCES[app] = PersonalDataSource(app=app, export=export, erase=erase, order=order)


def personal_data_sources() -> list[PersonalDataSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.app))


def register_retention(*, name: str, description: str, duration: str, apply: str) -> None:
    """Declare a retention rule: `description` and `duration` in French (shown on the personal-data page)."""
    _RETENTION[name] = RetentionRule(name=name, description=description, duration=duration, apply=apply)


def retention_rules() -> list[RetentionRule]:
    return sorted(_RETENTION.values(), key=lambda rule: rule.name)


def personal_data_export(*, user: Any) -> dict[str, Any]:
    """Everything the apps hold about `user`, one key per app, as JSON-ready values."""
    data: dict[str, Any] = {
        "service": "Guichet Apprentissage, Région Hauts-de-France",
        "exporte_le": timezone.now().isoformat(timespec="seconds"),
    }
    for source in personal_data_sources():
        part = source.export(user)
        if part:
            data[source.app] = part
    # A round trip through JSON proves the export can be served as is (dates, decimals, UUIDs as text).
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def personal_data_erase(*, user: Any) -> ErasureReport:
    """Erase `user` across every app, all or nothing; returns what was deleted, anonymised and kept."""
    report = ErasureReport()
    for source in personal_data_sources():
        report.merge(source.erase(user) or {})
    return report


def apply_retention_rules(*, today: date | None = None) -> dict[str, int]:
    """Run every registered retention rule; each one in its own transaction. Returns counts per rule."""
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    for rule in retention_rules():
        with transaction.atomic():
            counts[rule.name] = int(import_string(rule.apply)(today=today))
    return counts


def apply_retention_task() -> str:
    counts = apply_retention_rules()
    return "; ".join(f"{name}: {count}" for name, count in counts.items()) or "Aucune règle de conservation."
