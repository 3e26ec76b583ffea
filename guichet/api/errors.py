"""One error shape for the whole API (see shared/API.md):

{"detail": "<one French sentence>", "errors": [{"field": "radius_km", "message": "..."}]}
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


class NotFound(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(404, detail)


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "Certaines valeurs sont invalides.", [{"field": field, "message": message}])


_MESSAGES = {
    "missing": "Ce paramètre est obligatoire.",
    "int_parsing": "Ce paramètre doit être un nombre entier.",
    "int_type": "Ce paramètre doit être un nombre entier.",
    "float_parsing": "Ce paramètre doit être un nombre.",
    "bool_parsing": "Ce paramètre doit valoir true ou false.",
    "string_too_short": "Ce texte est trop court.",
    "string_too_long": "Ce texte est trop long.",
    "string_pattern_mismatch": "Ce paramètre n'a pas le format attendu.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "date_parsing": "Saisissez une date au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Saisissez une date au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Saisissez une date sans heure, au format AAAA-MM-JJ.",
    "date_type": "Saisissez une date au format AAAA-MM-JJ.",
    "datetime_parsing": "Saisissez une date et une heure au format ISO 8601.",
    "decimal_parsing": "Ce paramètre doit être un nombre.",
    "model_attributes_type": "Cet objet JSON est attendu.",
    "dict_type": "Cet objet JSON est attendu.",
    "list_type": "Une liste est attendue.",
    "enum": "Cette valeur n'est pas autorisée.",
    "literal_error": "Cette valeur n'est pas autorisée.",
}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in {"greater_than_equal", "greater_than"}:
        return f"La valeur doit être supérieure ou égale à {context.get('ge', context.get('gt'))}."
    if kind in {"less_than_equal", "less_than"}:
        return f"La valeur doit être inférieure ou égale à {context.get('le', context.get('lt'))}."
    if kind == "string_too_long":
        return f"Ce texte ne doit pas dépasser {context.get('max_length')} caractères."
    if kind == "string_too_short":
        minimum = context.get("min_length")
        if minimum == 1:
            return "Ce texte ne doit pas être vide."
        return f"Ce texte doit compter au moins {minimum} caractères."
    return _MESSAGES.get(kind, "Cette valeur est invalide.")


def validation_errors(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Turn pydantic/ninja errors into [{field, message}] with French messages."""
    errors = []
    for error in raw:
        location = [str(part) for part in error.get("loc", ())]
        if location[:1] == ["body"] and len(location) > 2:
            location = location[2:]  # ("body", "<parameter name>", "field", ...): the client never sees the name
        location = [part for part in location if part not in {"query", "path", "body", "form"}]
        errors.append({"field": ".".join(location) or "requête", "message": _message(error)})
    return errors
