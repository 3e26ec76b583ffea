"""SIREN / SIRET checks: 9 or 14 digits passing the Luhn algorithm (La Poste's SIRETs are the known exception)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# La Poste's establishments share the SIREN 356000000; their SIRETs do not pass the Luhn check, the sum of their
# digits is a multiple of 5 instead (INSEE rule).
LA_POSTE_SIREN = "356000000"


def luhn_checksum(digits: str) -> int:
    """Luhn sum modulo 10 of a string of digits (0 means valid)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10


def luhn_is_valid(digits: str) -> bool:
    return digits.isdigit() and luhn_checksum(digits) == 0


def luhn_check_digit(partial: str) -> str:
    """The digit to append to `partial` so that the whole passes the Luhn check."""
    checksum = luhn_checksum(partial + "0")
    return str((10 - checksum) % 10)


def is_la_poste_siret(siret: str) -> bool:
    return siret.startswith(LA_POSTE_SIREN) and siret.isdigit() and sum(int(char) for char in siret) % 5 == 0


def validate_siren(value: str) -> None:
    if not (len(value) == 9 and value.isdigit()):
        raise ValidationError("Le numéro SIREN doit comporter exactement 9 chiffres.", code="siren_format")
    if not luhn_is_valid(value):
        raise ValidationError(
            "Ce numéro SIREN n'est pas valide : vérifiez les chiffres saisis (clé de contrôle incorrecte).",
            code="siren_checksum",
        )


def validate_siret(value: str) -> None:
    if not (len(value) == 14 and value.isdigit()):
        raise ValidationError(
            "Le numéro SIRET doit comporter exactement 14 chiffres (SIREN à 9 chiffres suivi du NIC à 5 chiffres).",
            code="siret_format",
        )
    if is_la_poste_siret(value):
        return
    if not luhn_is_valid(value):
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide : vérifiez les chiffres saisis (clé de contrôle incorrecte).",
            code="siret_checksum",
        )
