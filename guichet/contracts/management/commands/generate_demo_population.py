import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.contracts.demo.accounts import DEMO_PASSWORD, accounts_table, create_demo_accounts
from guichet.contracts.demo.generator import DemoError, generate_demo_population


class Command(BaseCommand):
    help = (
        "Génère une population fictive (employeurs, formations, offres, jeunes, contrats) calée sur des chiffres "
        "publiés ; remplace la précédente, ne touche pas aux données de référence."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Graine : même graine, mêmes lignes.")
        parser.add_argument(
            "--scale",
            choices=["region", "national"],
            default="region",
            help="region : 1/10 des Hauts-de-France (démo) ; national : 1/10 de la France (tests de charge).",
        )
        parser.add_argument("--with-accounts", action="store_true", help="Crée aussi un compte de démo par rôle.")
        parser.add_argument("--password", default=DEMO_PASSWORD, help=argparse.SUPPRESS)
        # Hidden: a further reduction, so tests run the generator tiny and fast.
        parser.add_argument("--fraction", type=float, default=1.0, help=argparse.SUPPRESS)
        parser.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = generate_demo_population(
                seed=options["seed"], scale=options["scale"], fraction=options["fraction"], today=options["today"]
            )
        except DemoError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.as_text())
        if options["with_accounts"]:
            try:
                accounts = create_demo_accounts(password=options["password"], today=options["today"])
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(accounts_table(accounts, password=options["password"]))
