"""Filters of the observatory's pages: French numbers and months, and the "d'où vient ce chiffre ?" link."""

from __future__ import annotations

from datetime import date

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from guichet.observatory.charts import french_month, french_number

register = template.Library()


@register.filter
def fr(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> "1 234,5" (narrow no-break space for thousands); "–" when there is no value."""
    if value is None or value == "":
        return "–"
    return french_number(float(value), int(decimals))


@register.filter
def month(value: date | None) -> str:
    return french_month(value) if value else "–"


@register.simple_tag
def source_link(code: str) -> SafeString:
    """The link from a figure to its definition in the glossary."""
    url = reverse("observatory:glossary")
    return format_html('<a href="{}#{}" class="source-link">D\'où vient ce chiffre&nbsp;?</a>', url, code)
