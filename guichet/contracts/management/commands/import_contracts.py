"""Import a DECA-like extract of apprenticeship contracts, all or nothing (format: docs/observatory.md)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.contracts.importers import import_contracts


class Command(BaseCommand):
    help = "Importe un fichier de contrats d'apprentissage (CSV ; séparé, UTF-8, .gz accepté), tout ou rien."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path", type=Path, help="Fichier CSV (ou .csv.gz) au format décrit dans docs/observatory.md."
        )
        parser.add_argument("--no-progress", action="store_true", help="Ne pas afficher la barre de progression.")
        parser.add_argument(
            "--rejects", type=Path, help="Écrire toutes les lignes rejetées (numéro ; raison) dans ce fichier."
        )

    def handle(self, *args, path: Path, no_progress: bool, rejects: Path | None, **options) -> None:
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        started = time.perf_counter()
        stream = sys.stderr

        def progress(done: int, total: int) -> None:
            share = done / total if total else 1.0
            filled = int(share * 30)
            elapsed = time.perf_counter() - started
            stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {share:6.1%}  {elapsed:5.0f} s")
            stream.flush()

        report = import_contracts(path=path, progress=None if no_progress else progress)
        if not no_progress:
            stream.write("\n")
        self.stdout.write(report.as_text())
        if report.method:
            kind = "ensembliste (SQL)" if report.method == "sql" else "ligne à ligne"
            self.stdout.write(f"Validation {kind}.")
        self.stdout.write(f"Durée : {time.perf_counter() - started:.1f} s.")
        if rejects is not None and report.rejected:
            rejects.write_text(
                "ligne;raison\n" + "".join(f"{r.line};{r.reason}\n" for r in report.rejected), encoding="utf-8"
            )
            self.stdout.write(f"Lignes rejetées écrites dans {rejects}.")
        if report.rejected:
            raise CommandError(f"{report.rejected_total} ligne(s) rejetée(s) : rien n'a été enregistré.")
