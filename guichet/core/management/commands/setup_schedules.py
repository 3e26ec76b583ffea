from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.core.scheduling import periodic_jobs, schedules_sync


class Command(BaseCommand):
    help = "Write the periodic jobs declared by the apps into the task runner's schedule (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        created, updated, deleted = schedules_sync(now=timezone.now())
        for job in periodic_jobs():
            self.stdout.write(f"  {job.name} ({job.schedule_type}) : {job.description}")
        self.stdout.write(
            self.style.SUCCESS(f"Tâches périodiques : {created} créées, {updated} mises à jour, {deleted} supprimées.")
        )
