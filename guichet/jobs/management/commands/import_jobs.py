from pathlib import Path
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from guichet.jobs.importers import load_jobs


class Command(BaseCommand):
    help = "Load ROME jobs, appellations and diploma levels from data/reference/jobs, all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source-dir", type=Path, default=None, help="Folder holding the files (default: data/reference/jobs)."
        )

    def handle(self, *args, source_dir: Path | None, **options) -> None:
        started = perf_counter()
        reports = load_jobs(source_dir=source_dir)
        for report in reports:
            self.stdout.write(report.as_text())
        rejected = sum(len(report.rejected) for report in reports)
        if rejected:
            raise CommandError(f"{rejected} lignes rejetées : rien n'a été enregistré.")
        self.stdout.write(f"Durée : {perf_counter() - started:.1f} s.".replace(".", ",", 1))
