"""French formats for what people read: dates ("25 novembre 2026"), numbers ("1 801,80"), durations."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NBSP = "\u00a0"
NNBSP = "\u202f"


def french_date(day: date, *, weekday: bool = False) -> str:
    text = f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_number(value: float, *, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}".replace(",", NNBSP).replace(".", ",")
    return text


def french_hours(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 48:
        return f"{french_number(hours, decimals=1)}{NBSP}h"
    return f"{french_number(hours / 24, decimals=1)}{NBSP}jours"
