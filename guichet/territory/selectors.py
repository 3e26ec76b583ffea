"""Reads on the territory: communes, distances, search, basins.

Distances are great-circle distances between commune centres (haversine on a sphere of radius
6,371.0088 km, the IUGG mean Earth radius): good to a few hundred metres at regional scale, which is
finer than the notion of a commune's "centre" itself.

"Within R km" for other apps (offers, trainings, employers...), two ways, both using the composite index on
(latitude, longitude) of `Commune` through a bounding-box pre-filter, then the exact distance:

1. A set of communes, when the caller only filters:

       Offer.objects.filter(commune__in=commune_ids_within(commune=commune, radius_km=30))

   `commune_ids_within` runs one indexed query (a few hundred ids at 30 km, a few thousand at 200 km) and
   returns a list of ids; the outer query then uses `IN (...)`. `communes_within` gives the same communes
   with their names and distances, sorted, when the caller needs to show or sort by distance
   (join on `NearbyCommune.id`).

2. A bounding box then the exact distance in SQL, when the caller wants to sort or annotate its own rows by
   distance in one query (works on SQLite and PostgreSQL: Django provides the trigonometric functions on both):

       Offer.objects.filter(bounding_box_q(latitude=lat, longitude=lon, radius_km=30, prefix="commune__"))
           .annotate(distance_km=distance_km_expression(latitude=lat, longitude=lon, prefix="commune__"))
           .filter(distance_km__lte=30)
           .order_by("distance_km")

Communes without coordinates (overseas collectivities, a few communes nouvelles of 2026) are never "near"
anything, but a commune without coordinates is still within 0 km of itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from guichet.core.text import search_key
from guichet.territory.models import Basin, BasinMembership, Commune

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
_EPSILON_DEGREES = 1e-9  # keeps points exactly on the circle inside the box despite rounding
INSEE_CODE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


@dataclass(frozen=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    def contains(self, *, latitude: float, longitude: float) -> bool:
        return (
            self.min_latitude <= latitude <= self.max_latitude
            and self.min_longitude <= longitude <= self.max_longitude
        )


@dataclass(frozen=True)
class NearbyCommune:
    id: int
    insee: str
    name: str
    distance_km: float


# --- Distances ------------------------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees (WGS84 treated as a sphere)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(*, latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box holding every point within `radius_km` of the given point.

    Latitude: ± r/R radians. Longitude: ± asin(sin(r/R) / cos(latitude)), the longitude of the points where
    the circle touches a meridian (not r/R/cos(latitude), which is too narrow on the pole side). When the
    circle reaches a pole or crosses the ±180° meridian, the box spans all longitudes (a safe superset).
    """
    if radius_km < 0:
        raise ValueError("radius_km must be positive")
    angular = radius_km / EARTH_RADIUS_KM
    delta_lat = math.degrees(angular) + _EPSILON_DEGREES
    min_lat, max_lat = max(-90.0, latitude - delta_lat), min(90.0, latitude + delta_lat)
    phi = math.radians(latitude)
    if angular >= math.pi / 2 - abs(phi) or min_lat <= -90 or max_lat >= 90:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    delta_lon = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(phi)))) + _EPSILON_DEGREES
    min_lon, max_lon = longitude - delta_lon, longitude + delta_lon
    if min_lon < -180 or max_lon > 180:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    return BoundingBox(min_lat, max_lat, min_lon, max_lon)


def bounding_box_q(*, latitude: float, longitude: float, radius_km: float, prefix: str = "") -> Q:
    """A filter on `<prefix>latitude` / `<prefix>longitude` keeping a superset of the points within the radius."""
    box = bounding_box(latitude=latitude, longitude=longitude, radius_km=radius_km)
    return Q(
        **{
            f"{prefix}latitude__gte": box.min_latitude,
            f"{prefix}latitude__lte": box.max_latitude,
            f"{prefix}longitude__gte": box.min_longitude,
            f"{prefix}longitude__lte": box.max_longitude,
        }
    )


def distance_km_expression(*, latitude: float, longitude: float, prefix: str = "") -> Combinable:
    """SQL expression of the haversine distance (km) from a point to `<prefix>latitude`/`<prefix>longitude`."""
    lat, lon = F(f"{prefix}latitude"), F(f"{prefix}longitude")
    half_dphi = (Radians(lat) - Value(math.radians(latitude))) / Value(2.0)
    half_dlambda = (Radians(lon) - Value(math.radians(longitude))) / Value(2.0)
    a = Power(Sin(half_dphi), 2) + Value(math.cos(math.radians(latitude))) * Cos(Radians(lat)) * Power(
        Sin(half_dlambda), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0), output_field=FloatField()))


def communes_within(
    *, commune: Commune, radius_km: float, include_arrondissements: bool = True
) -> list[NearbyCommune]:
    """Communes whose centre lies within `radius_km` of this commune's centre, nearest first (itself at 0 km)."""
    if commune.latitude is None or commune.longitude is None:
        return [NearbyCommune(id=commune.pk, insee=commune.insee, name=commune.name, distance_km=0.0)]
    queryset = Commune.objects.filter(
        bounding_box_q(latitude=commune.latitude, longitude=commune.longitude, radius_km=radius_km)
    ).order_by()  # sorted by distance below: no SQL sort
    if not include_arrondissements:
        queryset = queryset.filter(parent__isnull=True)
    nearby = []
    for pk, insee, name, latitude, longitude in queryset.values_list("id", "insee", "name", "latitude", "longitude"):
        distance = 0.0 if pk == commune.pk else haversine_km(commune.latitude, commune.longitude, latitude, longitude)
        if distance <= radius_km:
            nearby.append(NearbyCommune(id=pk, insee=insee, name=name, distance_km=distance))
    nearby.sort(key=lambda item: (item.distance_km, item.insee))
    return nearby


def commune_ids_within(*, commune: Commune, radius_km: float) -> list[int]:
    """Ids of `communes_within`, for `commune__in=` filters in other apps."""
    if commune.latitude is None or commune.longitude is None:
        return [commune.pk]
    rows = (
        Commune.objects.filter(
            bounding_box_q(latitude=commune.latitude, longitude=commune.longitude, radius_km=radius_km)
        )
        .order_by()
        .values_list("id", "latitude", "longitude")
    )
    return [
        pk
        for pk, latitude, longitude in rows
        if pk == commune.pk or haversine_km(commune.latitude, commune.longitude, latitude, longitude) <= radius_km
    ]


# --- Communes -------------------------------------------------------------------------------------------------


def commune_get(*, insee: str) -> Commune | None:
    """The commune with this INSEE code (with its department and region), or None."""
    insee = insee.strip().upper()
    if not INSEE_CODE.match(insee):
        return None
    return Commune.objects.select_related("department__region", "parent").filter(insee=insee).first()


def commune_search(*, q: str, limit: int = 10) -> list[Commune]:
    """Autocomplete: communes by name (accent, case and hyphen insensitive) or by postcode / INSEE code.

    Name ranking: exact name, then name starting with the query, then a word of the name starting with it,
    then name containing it, then names holding every word of the query as word starts (any order);
    ties by population, largest first. "St"/"Ste" stand for "Saint"/"Sainte".
    A query of digits matches INSEE codes (exact first) and postcodes (by prefix).
    """
    limit = max(0, limit)
    compact = q.strip().replace(" ", "").upper()
    if compact.isdigit() or (INSEE_CODE.match(compact) and not compact.isalpha()):
        return _commune_search_by_code(code=compact, limit=limit)
    words = [_ABBREVIATIONS.get(word, word) for word in search_key(q).split()]
    if not words or not limit:
        return []
    key = " ".join(words)
    candidates = Commune.objects.filter(search_name__contains=max(words, key=len)).values_list(
        "id", "search_name", "population"
    )
    ranked = []
    for pk, name, population in candidates:
        rank = _name_rank(name=name, key=key, words=words)
        if rank is not None:
            ranked.append((rank, -(population or 0), name, pk))
    ranked.sort()
    ids = [pk for *_, pk in ranked[:limit]]
    by_id = Commune.objects.select_related("department__region").in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _name_rank(*, name: str, key: str, words: list[str]) -> int | None:
    if name == key:
        return 0
    if name.startswith(key):
        return 1
    padded = f" {name}"
    if f" {key}" in padded:
        return 2
    if key in name:
        return 3
    if all(f" {word}" in padded for word in words):
        return 4
    return None


def _commune_search_by_code(*, code: str, limit: int) -> list[Commune]:
    if not code or not limit:
        return []
    matches = Commune.objects.filter(
        Q(insee=code) | Q(postcodes__startswith=code) | Q(postcodes__contains=f" {code}")
    ).values_list("id", "insee", "postcodes", "population", "search_name")
    ranked = []
    for pk, insee, postcodes, population, name in matches:
        tier = 0 if insee == code else 1 if code in postcodes.split() else 2
        ranked.append((tier, -(population or 0), name, pk))
    ranked.sort()
    ids = [pk for *_, pk in ranked[:limit]]
    by_id = Commune.objects.select_related("department__region").in_bulk(ids)
    return [by_id[pk] for pk in ids]


# --- Basins ---------------------------------------------------------------------------------------------------


def basin_list(*, grid: str, with_geometry: bool = False) -> QuerySet[Basin]:
    """The basins of a grid by code; the outline is loaded only when asked for (it is large)."""
    queryset = Basin.objects.filter(grid=grid).order_by("code")
    return queryset if with_geometry else queryset.defer("geometry")


def basin_get(*, grid: str, code: str, with_geometry: bool = True) -> Basin | None:
    queryset = Basin.objects.filter(grid=grid, code=code.strip())
    return (queryset if with_geometry else queryset.defer("geometry")).first()


def basin_commune_codes(*, basins: list[Basin]) -> dict[int, list[str]]:
    """INSEE codes of the communes of each basin (by basin id), in one query."""
    codes: dict[int, list[str]] = {basin.pk: [] for basin in basins}
    rows = (
        BasinMembership.objects.filter(basin__in=[basin.pk for basin in basins])
        .order_by("commune__insee")
        .values_list("basin_id", "commune__insee")
    )
    for basin_id, insee in rows:
        codes[basin_id].append(insee)
    return codes


def basin_population(*, basins: list[Basin]) -> dict[int, tuple[int, int]]:
    """(number of communes, population) of each basin, by basin id."""
    totals: dict[int, tuple[int, int]] = {basin.pk: (0, 0) for basin in basins}
    rows = BasinMembership.objects.filter(basin__in=[basin.pk for basin in basins]).values_list(
        "basin_id", "commune__population"
    )
    for basin_id, population in rows:
        count, total = totals[basin_id]
        totals[basin_id] = (count + 1, total + (population or 0))
    return totals


def commune_basin(*, commune: Commune, grid: str) -> Basin | None:
    """The basin of this grid the commune belongs to (an arrondissement belongs to its parent's basin)."""
    commune_id = commune.parent_id or commune.pk
    return Basin.objects.defer("geometry").filter(grid=grid, memberships__commune_id=commune_id).first()
