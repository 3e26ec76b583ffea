"""Shared machinery for reference-data importers: read files, report, upsert on natural keys.

Every importer parses and validates the whole file first, collecting rejected lines with their
reasons; only when nothing is rejected does it write, inside one transaction. A second run over
the same file creates and updates nothing and says so.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models


class ImportRejected(Exception):
    """Raised when a file has rejected lines: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.as_text())
        self.report = report


@dataclass
class Rejection:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.reason}" if self.line else self.reason


@dataclass
class ImportReport:
    source: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append(Rejection(line, reason))

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def add(self, other: UpsertResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted

    def as_text(self, *, max_rejections: int = 50) -> str:
        lines = [
            f"{self.source} : {self.read} lignes lues, {self.created} créées, {self.updated} mises à jour, "
            f"{self.unchanged} inchangées, {self.deleted} supprimées, {len(self.rejected)} rejetées."
        ]
        if self.rejected:
            lines.append("Rien n'a été enregistré. Lignes rejetées :")
            lines.extend(f"  - {rejection}" for rejection in self.rejected[:max_rejections])
            if len(self.rejected) > max_rejections:
                lines.append(f"  ... et {len(self.rejected) - max_rejections} autres.")
        elif not self.changed:
            lines.append("Aucun changement : les données étaient déjà à jour.")
        return "\n".join(lines)


def open_text(path: Path) -> io.TextIOBase:
    """Open a UTF-8 text file, transparently decompressing `.gz`; a BOM is skipped."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def read_csv(path: Path, *, required: Sequence[str], delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) pairs; raise ValueError, in French, naming the missing columns or
    saying why the file cannot be read (not UTF-8, damaged compression, unreadable line)."""
    try:
        with open_text(path) as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"colonnes manquantes dans {path.name} : {', '.join(missing)}")
            for row in reader:
                yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key is not None}
    except UnicodeDecodeError as error:
        raise ValueError(_not_utf8(path, error)) from error
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ValueError(_damaged(path)) from error
    except csv.Error as error:
        raise ValueError(
            f"{path.name} : une ligne est illisible (caractère nul ou guillemet non fermé) ; vérifiez le fichier."
        ) from error


def _not_utf8(path: Path, error: UnicodeDecodeError) -> str:
    return (
        f"{path.name} n'est pas encodé en UTF-8 (caractère illisible à l'octet {error.start}) : "
        "enregistrez-le en UTF-8 puis recommencez."
    )


def _damaged(path: Path) -> str:
    return f"{path.name} est un fichier compressé incomplet ou abîmé : téléchargez-le à nouveau."


def read_json(path: Path) -> Any:
    """The parsed JSON document; ValueError, in French, when the file cannot be read or parsed."""
    try:
        with open_text(path) as handle:
            return json.load(handle)
    except UnicodeDecodeError as error:
        raise ValueError(_not_utf8(path, error)) from error
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ValueError(_damaged(path)) from error
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path.name} n'est pas un JSON valide (ligne {error.lineno}, colonne {error.colno})."
        ) from error


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


def upsert(
    model: type[models.Model],
    *,
    key: str,
    rows: Iterable[dict[str, Any]],
    scope: models.Q | None = None,
    delete_missing: bool = False,
    batch_size: int = 2000,
) -> UpsertResult:
    """Create or update `model` rows matched on the natural key `key`.

    Each row is a dict of field values (foreign keys as `<name>_id`). Only rows whose values differ
    are updated; with `delete_missing`, rows in `scope` whose key is absent from `rows` are deleted.
    Call it inside a transaction.
    """
    result = UpsertResult()
    rows = list(rows)
    if not rows:
        return result
    fields = [name for name in rows[0] if name != key]
    queryset = model.objects.all() if scope is None else model.objects.filter(scope)
    existing = {getattr(obj, key): obj for obj in queryset.only(key, *fields)}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        if any(getattr(obj, name) != row[name] for name in fields):
            for name in fields:
                setattr(obj, name, row[name])
            to_update.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update and fields:
        model.objects.bulk_update(to_update, fields, batch_size=batch_size)
    result.created, result.updated = len(to_create), len(to_update)
    if delete_missing:
        keys = {row[key] for row in rows}
        stale = [obj.pk for value, obj in existing.items() if value not in keys]
        if stale:
            model.objects.filter(pk__in=stale).delete()
        result.deleted = len(stale)
    return result


def reference_file(name: str) -> Path:
    from django.conf import settings

    return Path(settings.REFERENCE_DATA_DIR) / name
