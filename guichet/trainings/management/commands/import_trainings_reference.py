from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.core.importing import ImportRejected
from guichet.employers.importers import run_all_or_nothing
from guichet.trainings.importers import load_trainings_reference


class Command(BaseCommand):
    help = "Charge les organismes de formation en apprentissage de la région et les certifications, tout ou rien."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source-dir",
            type=Path,
            default=None,
            help="Dossier contenant les fichiers (par défaut : data/reference).",
        )

    def handle(self, *args: Any, source_dir: Path | None = None, **options: Any) -> None:
        try:
            reports = run_all_or_nothing(lambda: load_trainings_reference(source_dir=source_dir))
        except ImportRejected as rejected:
            self.stdout.write(rejected.report.as_text())
            raise CommandError(f"{len(rejected.report.rejected)} lignes rejetées, rien n'a été enregistré.") from None
        for report in reports:
            self.stdout.write(report.as_text())
