"""Accessible charts and maps drawn on the server as SVG: no JavaScript, no CDN, a table beside each one.

Every chart names its indicator, which must be in the glossary (`require_indicator`): a chart cannot show an
undefined figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from guichet.observatory.kpis import require_indicator

# Sequential blues (light to dark), contrast of the darkest text-free fills is not relied on: values are in titles.
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#f0f0f0"
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def french_number(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def french_month(period: date) -> str:
    return f"{MONTHS[period.month - 1]} {period.year}"


@dataclass(frozen=True)
class Line:
    label: str
    points: Sequence[tuple[date, float]]
    colour: str
    dashed: bool = False


def line_chart(
    *, indicator: str, known: Iterable[str], title: str, lines: Sequence[Line], unit: str = "", chart_id: str
) -> SafeString:
    """A line chart of monthly values; `lines` share the time axis."""
    require_indicator(indicator, known=known)
    width, height, left, right, top, bottom = 720, 300, 70, 20, 20, 40
    points = [p for line in lines for p in line.points]
    if not points:
        return format_html('<p id="{}">Aucune valeur à tracer pour l\'instant.</p>', chart_id)
    xs = [p[0].toordinal() for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs) or 1
    y0, y1 = 0.0, max(ys) * 1.1 or 1.0
    span = (x1 - x0) or 1

    def sx(day: date) -> float:
        return left + (day.toordinal() - x0) / span * (width - left - right)

    def sy(value: float) -> float:
        return top + (1 - (value - y0) / (y1 - y0)) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" class="chart" width="100%">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    for step in range(5):
        value = y0 + (y1 - y0) * step / 4
        y = sy(value)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#333">'
            f"{escape(french_number(value))}{escape(unit)}</text>"
        )
    years = sorted({date.fromordinal(x).year for x in xs})
    for year in years:
        day = date(year, 1, 1)
        if x0 <= day.toordinal() <= x1:
            x = sx(day)
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}" stroke="#eee"/>')
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="12" '
                f'fill="#333">{year}</text>'
            )
    for index, line in enumerate(lines):
        if not line.points:
            continue
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{sx(day):.1f},{sy(value):.1f}" for i, (day, value) in enumerate(line.points)
        )
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(f'<path d="{path}" fill="none" stroke="{line.colour}" stroke-width="2.5"{dash}>')
        parts.append(f"<title>{escape(line.label)}</title></path>")
        lx = left + 10 + index * 230
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{height - 8}" y2="{height - 8}" stroke="{line.colour}" '
            f'stroke-width="3"{dash}/>'
        )
        parts.append(f'<text x="{lx + 30}" y="{height - 4}" font-size="12" fill="#333">{escape(line.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def classes(values: Sequence[float], count: int = len(PALETTE)) -> list[float]:
    """Upper bounds of `count` classes of equal size (quantiles) of the values."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * (i + 1) / count) - 1)] for i in range(count)]


def choropleth(
    *,
    indicator: str,
    known: Iterable[str],
    title: str,
    areas: Sequence[tuple[str, str, dict | None]],
    values: dict[str, float],
    links: dict[str, str],
    decimals: int = 0,
    unit: str = "",
    map_id: str = "carte",
) -> SafeString:
    """A map of Hauts-de-France: one focusable link per area, its name and value in a <title>, and a legend."""
    require_indicator(indicator, known=known)
    coordinates = [pt for _, _, geometry in areas if geometry for ring in _rings(geometry) for pt in ring]
    if not coordinates:
        return format_html('<p id="{}">Les contours des zones ne sont pas chargés.</p>', map_id)
    lons = [pt[0] for pt in coordinates]
    lats = [pt[1] for pt in coordinates]
    mid_lat = math.radians((min(lats) + max(lats)) / 2)
    scale_x = math.cos(mid_lat)
    width = 640
    span_x = (max(lons) - min(lons)) * scale_x
    span_y = max(lats) - min(lats)
    height = round(width * span_y / span_x)
    bounds = classes([v for code, v in values.items() if code in {a[0] for a in areas}])

    def colour(value: float | None) -> str:
        if value is None:
            return NO_DATA
        for bound, fill in zip(bounds, PALETTE, strict=False):
            if value <= bound:
                return fill
        return PALETTE[-1]

    west, north = min(lons), max(lats)  # computed once: inside `project` they made the map quadratic

    def project(point: Sequence[float]) -> str:
        x = (point[0] - west) * scale_x / span_x * width
        y = (north - point[1]) / span_y * height
        return f"{x:.1f},{y:.1f}"

    legend_height = 30 + 22 * (len(bounds) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width + 220} {max(height, legend_height)}" '
        f'role="group" aria-labelledby="{map_id}-title" class="map" width="100%">',
        f'<title id="{map_id}-title">{escape(title)}</title>',
    ]
    for code, name, geometry in areas:
        if not geometry:
            continue
        value = values.get(code)
        path = " ".join("M" + " L".join(project(pt) for pt in ring) + " Z" for ring in _rings(geometry))
        label = (
            f"{name} ({code}) : {french_number(value, decimals)}{unit}"
            if value is not None
            else (f"{name} ({code}) : pas de valeur")
        )
        parts.append(f'<a href="{escape(links.get(code, "#"))}" aria-label="{escape(label)}">')
        parts.append(
            f'<path d="{path}" fill="{colour(value)}" stroke="#333" stroke-width="0.8" fill-rule="evenodd">'
            f"<title>{escape(label)}</title></path></a>"
        )
    lx = width + 20
    parts.append(f'<text x="{lx}" y="20" font-size="13" font-weight="bold" fill="#111">Légende</text>')
    low = min(values.values()) if values else 0
    previous = low
    for index, (bound, fill) in enumerate(zip(bounds, PALETTE, strict=False)):
        y = 32 + index * 22
        parts.append(f'<rect x="{lx}" y="{y}" width="18" height="16" fill="{fill}" stroke="#333"/>')
        text = f"{french_number(previous, decimals)} à {french_number(bound, decimals)}{unit}"
        parts.append(f'<text x="{lx + 26}" y="{y + 13}" font-size="12" fill="#111">{escape(text)}</text>')
        previous = bound
    y = 32 + len(bounds) * 22
    parts.append(f'<rect x="{lx}" y="{y}" width="18" height="16" fill="{NO_DATA}" stroke="#333"/>')
    parts.append(f'<text x="{lx + 26}" y="{y + 13}" font-size="12" fill="#111">pas de valeur</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
