import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.core.importing import ImportRejected
from guichet.core.reference import datasets, load_reference_data


class Command(BaseCommand):
    help = "Load the reference data shipped in data/reference/ (communes, basins, ROME...), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        names = [dataset.name for dataset in datasets()]
        parser.add_argument("--only", nargs="+", choices=names, help="Load only these datasets.")

    def handle(self, *args: object, only: list[str] | None = None, **options: object) -> None:
        started = time.perf_counter()
        try:
            reports = load_reference_data(only=only)
        except ImportRejected as error:
            self.stderr.write(error.report.as_text())
            raise CommandError("Fichier rejeté : rien n'a été enregistré.") from error
        for report in reports:
            self.stdout.write(report.as_text())
        changed = any(report.changed for report in reports)
        elapsed = time.perf_counter() - started
        summary = "Données de référence chargées" if changed else "Aucun changement : tout était déjà à jour"
        self.stdout.write(self.style.SUCCESS(f"{summary} ({elapsed:.1f} s)."))
