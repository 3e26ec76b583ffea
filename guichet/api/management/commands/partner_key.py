from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from guichet.api.keys import PartnerKeyError, partner_key_create, partner_key_get_by_prefix, partner_key_revoke
from guichet.api.models import PartnerKey, PartnerScope


class Command(BaseCommand):
    help = (
        "Create, revoke or list partner API keys. The key is printed once at creation: only its hash is kept. "
        "Every creation and revocation is written to the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a key and print it once.")
        create.add_argument("--name", required=True)
        create.add_argument("--organisation", required=True)
        create.add_argument("--email", required=True, help="Technical contact of the partner.")
        create.add_argument("--scope", action="append", required=True, choices=PartnerScope.values, dest="scopes")
        create.add_argument("--expires", required=True, type=date.fromisoformat, help="Last valid day, YYYY-MM-DD.")
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix (ga_<prefix>).")
        revoke.add_argument("prefix")
        actions.add_parser("list", help="List the keys with their state and last use.")

    def handle(self, *args: object, action: str, **options: object) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except PartnerKeyError as error:
            raise CommandError(str(error)) from error

    def _create(self, *, name: str, organisation: str, email: str, scopes: list[str], expires: date, **_: object):
        key, raw_key = partner_key_create(
            name=name, organisation=organisation, contact_email=email, scopes=scopes, expires_on=expires
        )
        self.stdout.write(f"Clé créée pour {key.organisation} ({', '.join(key.scopes)}), valable jusqu'au {expires}.")
        self.stdout.write("Transmettez-la par un canal sûr ; elle ne sera plus affichée :")
        self.stdout.write(raw_key)

    def _revoke(self, *, prefix: str, **_: object) -> None:
        key = partner_key_get_by_prefix(prefix)
        if key is None:
            raise CommandError(f"Aucune clé ne porte le préfixe {prefix}.")
        partner_key_revoke(key=key)
        self.stdout.write(f"Clé ga_{key.prefix}_… de {key.organisation} révoquée.")

    def _list(self, **_: object) -> None:
        today = timezone.localdate()
        for key in PartnerKey.objects.all():
            used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "jamais"
            self.stdout.write(
                f"ga_{key.prefix}_…  {key.organisation} / {key.name}  [{', '.join(key.scopes)}]  "
                f"expire {key.expires_on}  {key.status_label(today=today)}  dernière utilisation : {used}"
            )
