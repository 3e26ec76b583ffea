from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.trainings.slots import training_slots_actual, training_slots_expected, training_slots_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the training slots (the offer search's index of trainings by ROME job, place and session) "
        "from the trainings, their jobs and sessions: after a bulk load or a commune import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only compare; exit 1 when the slots differ.")

    def handle(self, *args: object, check: bool = False, **options: object) -> None:
        if check:
            expected, actual = training_slots_expected(), training_slots_actual()
            if expected != actual:
                raise CommandError(
                    f"Créneaux de formation inexacts : {len(expected - actual)} manquants, "
                    f"{len(actual - expected)} en trop."
                )
            self.stdout.write(f"{len(actual)} créneaux de formation, exacts.")
            return
        self.stdout.write(f"{training_slots_rebuild()} créneaux de formation écrits.")
