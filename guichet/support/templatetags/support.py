"""Filters of the support pages: French figures and dates."""

from __future__ import annotations

from datetime import date

from django import template

from guichet.support.formatting import french_date as _french_date
from guichet.support.formatting import french_hours as _french_hours
from guichet.support.formatting import french_number

register = template.Library()


@register.filter
def french_hours(hours: float | None) -> str:
    return _french_hours(hours)


@register.filter
def french_percent(value: float | None) -> str:
    return "–" if value is None else f"{french_number(value, decimals=0)}\u00a0%"


@register.filter
def french_date(day: date | None) -> str:
    return _french_date(day) if day else ""
