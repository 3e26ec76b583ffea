"""Registry of reference datasets: each app registers its loaders in `AppConfig.ready()`.

The `import_reference_data` command runs them in order (territory before jobs before training
centres...) inside ONE transaction: if any file has a rejected line, nothing at all is saved.
Core sits above every app, so apps register here instead of core importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from guichet.core.importing import ImportRejected, ImportReport
from guichet.core.refcache import reference_changed


@dataclass(frozen=True)
class ReferenceDataset:
    name: str
    order: int
    load: Callable[[], list[ImportReport]]
    description: str = ""


_REGISTRY: dict[str, ReferenceDataset] = {}


def register(name: str, *, order: int, load: Callable[[], list[ImportReport]], description: str = "") -> None:
    _REGISTRY[name] = ReferenceDataset(name=name, order=order, load=load, description=description)


_AFTER_IMPORT: dict[str, Callable[[], object]] = {}


def register_after_import(name: str, callback: Callable[[], object]) -> None:
    """`callback()` runs at the end of every reference import, in its transaction: for data derived from the
    reference rows that the bulk writes of the importers (no model signals) would leave stale."""
    _AFTER_IMPORT[name] = callback


def datasets() -> list[ReferenceDataset]:
    return sorted(_REGISTRY.values(), key=lambda dataset: (dataset.order, dataset.name))


def load_reference_data(*, only: list[str] | None = None) -> list[ImportReport]:
    """Load every registered dataset (or those named), all or nothing. Raises ImportRejected."""
    unknown = set(only or []) - set(_REGISTRY)
    if unknown:
        raise ValueError(f"Jeux de données inconnus : {', '.join(sorted(unknown))}.")
    reports: list[ImportReport] = []
    with transaction.atomic():
        for dataset in datasets():
            if only and dataset.name not in only:
                continue
            for report in dataset.load():
                reports.append(report)
                if report.rejected:
                    raise ImportRejected(report)
        for _, callback in sorted(_AFTER_IMPORT.items()):
            callback()
        transaction.on_commit(reference_changed)  # bulk writes send no signal: forget the cached rows
    return reports
