import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.territory.importers import import_territory


class Command(BaseCommand):
    help = "Load regions, departments, communes and basin grids from data/reference/territory/, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source-dir", type=Path, default=None, help="Directory holding the territory files (default: shipped)."
        )

    def handle(self, *args: object, source_dir: Path | None = None, **options: object) -> None:
        if source_dir is not None and not source_dir.is_dir():
            raise CommandError(f"Le dossier {source_dir} n'existe pas.")
        started = time.perf_counter()
        reports = import_territory(source_dir=source_dir)
        elapsed = time.perf_counter() - started
        for report in reports:
            self.stdout.write(report.as_text())
        rejected = sum(len(report.rejected) for report in reports)
        if rejected:
            raise CommandError(f"{rejected} ligne(s) rejetée(s) : rien n'a été enregistré.")
        if any(report.changed for report in reports):
            self.stdout.write(self.style.SUCCESS(f"Données du territoire chargées ({elapsed:.1f} s)."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Aucun changement : tout était déjà à jour ({elapsed:.1f} s)."))
