import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1/ to docs/api/openapi.json (the contract diffed by the tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json")

    def handle(self, *args: object, output: Path, **options: object) -> None:
        from guichet.api.v1 import api

        schema = api.get_openapi_schema(path_prefix="/api/v1")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        self.stdout.write(f"Schéma OpenAPI écrit dans {output} ({len(schema['paths'])} chemins).")
