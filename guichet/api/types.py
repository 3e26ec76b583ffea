"""Strict input types for the API: what the schema says is all that is accepted.

pydantic's lax mode reads a date from a number of seconds ("0" is 1970-01-01) or from a datetime string at
midnight; the schema says `format: date` (AAAA-MM-JJ), so the API refuses anything else with 422 and the
usual French message. Found by schemathesis' negative_data_rejection check (tests/api_fuzz).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "Saisissez une date au format AAAA-MM-JJ.")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
