"""UAI check (Education ministry identifier of a school or training centre)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# DOMAIN.md: 7 digits and a letter, e.g. 0596789X (the check letter itself is not verified).
UAI_PATTERN = re.compile(r"^\d{7}[A-Z]$")


def is_valid_uai(value: str) -> bool:
    return bool(UAI_PATTERN.match(value))


def validate_uai(value: str) -> None:
    if not is_valid_uai(value):
        raise ValidationError(
            "Le code UAI doit comporter 7 chiffres suivis d'une lettre majuscule, par exemple 0596789X.",
            code="uai_format",
        )
