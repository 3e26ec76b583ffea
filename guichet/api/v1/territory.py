"""Territory endpoints: communes (search, detail, nearby), INSEE zones d'emploi 2020, France Travail BMO basins."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from guichet.api.errors import ErrorOut, NotFound
from guichet.territory.models import Basin, BasinGrid, Commune
from guichet.territory.selectors import (
    basin_commune_codes,
    basin_get,
    basin_list,
    basin_population,
    commune_basin,
    commune_get,
    commune_search,
    communes_within,
)

router = Router(tags=["Territoire"])

ERRORS = {404: ErrorOut, 422: ErrorOut}
PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 20, 100
SHOWN_CODE = re.compile(r"^[0-9A-Za-z-]{1,20}$")


# --- Schemas --------------------------------------------------------------------------------------------------


class CommuneOut(Schema):
    insee: str = Field(description="Code INSEE (COG 2026).", examples=["80021"])
    name: str = Field(examples=["Amiens"])
    postcodes: list[str] = Field(description="Codes postaux de la commune.", examples=[["80000", "80080", "80090"]])
    department: str = Field(description="Code du département.", examples=["80"])
    region: str = Field(description="Code de la région.", examples=["32"])
    population: int | None = Field(description="Population légale (INSEE).")
    latitude: float | None = Field(description="Latitude du centre de la commune (WGS84), absente si inconnue.")
    longitude: float | None = Field(description="Longitude du centre de la commune (WGS84), absente si inconnue.")


class CommuneListOut(Schema):
    items: list[CommuneOut]
    count: int = Field(description="Nombre de communes renvoyées (au plus `limit`).")


class BasinRefOut(Schema):
    code: str = Field(examples=["3202"])
    name: str = Field(examples=["Amiens"])


class CommuneDetailOut(CommuneOut):
    kind: str = Field(description="`commune-actuelle` ou `arrondissement-municipal`.")
    parent: str | None = Field(description="Code INSEE de la commune parente d'un arrondissement municipal.")
    zone_emploi: BasinRefOut | None = Field(description="Zone d'emploi INSEE 2020 (Hauts-de-France seulement).")
    bassin_bmo: BasinRefOut | None = Field(description="Bassin d'emploi France Travail (BMO), Hauts-de-France.")


class CommuneRefOut(Schema):
    insee: str
    name: str


class NearbyCommuneOut(Schema):
    insee: str
    name: str
    distance_km: float = Field(description="Distance entre les centres des communes, en km, à 0,1 km près.")


class NearbyListOut(Schema):
    commune: CommuneRefOut = Field(description="La commune de départ.")
    radius_km: int
    items: list[NearbyCommuneOut]
    count: int = Field(description="Nombre total de communes dans le rayon (la commune elle-même comprise).")
    page: int
    page_size: int


class BasinOut(Schema):
    code: str = Field(examples=["3202"])
    name: str = Field(examples=["Amiens"])
    interregional: bool = Field(description="Vrai si la zone s'étend hors des Hauts-de-France (0054, 0058).")
    communes_count: int = Field(description="Nombre de communes des Hauts-de-France dans le bassin.")
    population: int = Field(description="Somme des populations légales de ces communes.")
    communes: list[str] | None = Field(
        None, description="Codes INSEE des communes (seulement avec `include_communes=true`)."
    )
    geometry: dict[str, Any] | None = Field(
        None, description="Contour GeoJSON simplifié (WGS84), seulement avec `include_geometry=true`."
    )


class BasinListOut(Schema):
    items: list[BasinOut]
    count: int
    page: int
    page_size: int


class BasinQuery(Schema):
    include_communes: bool = Field(False, description="Ajouter les codes INSEE des communes de chaque bassin.")
    include_geometry: bool = Field(False, description="Ajouter le contour GeoJSON de chaque bassin.")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1.")
    page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX, description="Éléments par page (100 au plus).")


# --- Helpers --------------------------------------------------------------------------------------------------


def _commune_out(commune: Commune) -> dict[str, Any]:
    return {
        "insee": commune.insee,
        "name": commune.name,
        "postcodes": commune.postcode_list,
        "department": commune.department.code,
        "region": commune.department.region.code,
        "population": commune.population,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


def _the_code(code: str, *, noun: str = "code") -> str:
    """The code as typed, quoted in an error message only when it is short and plain."""
    return f"le {noun} « {code} »" if SHOWN_CODE.match(code) else f"ce {noun}"


def _commune_or_404(insee: str) -> Commune:
    commune = commune_get(insee=insee)
    if commune is None:
        raise NotFound(f"Aucune commune ne porte {_the_code(insee, noun='code INSEE')}.")
    return commune


def _basin_ref(basin: Basin | None) -> dict[str, str] | None:
    return {"code": basin.code, "name": basin.name} if basin else None


def _basins_out(basins: list[Basin], *, options: BasinQuery) -> list[dict[str, Any]]:
    totals = basin_population(basins=basins)
    codes = basin_commune_codes(basins=basins) if options.include_communes else {}
    items = []
    for basin in basins:
        count, population = totals[basin.pk]
        item: dict[str, Any] = {
            "code": basin.code,
            "name": basin.name,
            "interregional": basin.interregional,
            "communes_count": count,
            "population": population,
        }
        if options.include_communes:
            item["communes"] = codes[basin.pk]
        if options.include_geometry:
            item["geometry"] = basin.geometry
        items.append(item)
    return items


def _basin_page(grid: str, *, options: BasinQuery, paging: PageQuery) -> dict[str, Any]:
    queryset = basin_list(grid=grid, with_geometry=options.include_geometry)
    start = (paging.page - 1) * paging.page_size
    basins = list(queryset[start : start + paging.page_size])
    return {
        "items": _basins_out(basins, options=options),
        "count": queryset.count(),
        "page": paging.page,
        "page_size": paging.page_size,
    }


def _basin_detail(grid: str, code: str, *, options: BasinQuery, label: str) -> dict[str, Any]:
    basin = basin_get(grid=grid, code=code, with_geometry=options.include_geometry)
    if basin is None:
        raise NotFound(f"Aucun{label} ne porte {_the_code(code)}.")
    return _basins_out([basin], options=options)[0]


# --- Communes -------------------------------------------------------------------------------------------------


@router.get(
    "/communes",
    response={200: CommuneListOut, 422: ErrorOut},
    summary="Rechercher une commune",
    description=(
        "Recherche de communes de France par nom (sans tenir compte des accents, majuscules et tirets) ou par "
        "code postal / code INSEE (chiffres). Classement : nom exact, puis nom qui commence par la recherche, "
        "puis un mot du nom, puis le reste ; à égalité, la plus peuplée d'abord."
    ),
)
def communes_search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100, description="Nom, code postal ou code INSEE."),
    limit: int = Query(10, ge=1, le=50, description="Nombre maximal de communes (1 à 50)."),
) -> dict[str, Any]:
    communes = commune_search(q=q, limit=limit)
    return {"items": [_commune_out(commune) for commune in communes], "count": len(communes)}


@router.get(
    "/communes/{insee}",
    response={200: CommuneDetailOut, **ERRORS},
    summary="Une commune",
    description="Commune par code INSEE, avec sa zone d'emploi et son bassin BMO quand elle est en Hauts-de-France.",
)
def commune_detail(
    request: HttpRequest, insee: str = Path(..., description="Code INSEE de la commune.")
) -> dict[str, Any]:
    commune = _commune_or_404(insee)
    return {
        **_commune_out(commune),
        "kind": commune.kind,
        "parent": commune.parent.insee if commune.parent else None,
        "zone_emploi": _basin_ref(commune_basin(commune=commune, grid=BasinGrid.ZONE_EMPLOI)),
        "bassin_bmo": _basin_ref(commune_basin(commune=commune, grid=BasinGrid.BMO)),
    }


@router.get(
    "/communes/{insee}/nearby",
    response={200: NearbyListOut, **ERRORS},
    summary="Communes à proximité",
    description=(
        "Communes dont le centre est à moins de `radius_km` km du centre de la commune (distance à vol "
        "d'oiseau), de la plus proche à la plus lointaine ; la commune elle-même figure à 0 km. "
        "Une commune sans coordonnées n'a qu'elle-même à proximité."
    ),
)
def commune_nearby(
    request: HttpRequest,
    paging: Query[PageQuery],
    insee: str = Path(..., description="Code INSEE de la commune."),
    radius_km: int = Query(30, ge=1, le=200, description="Rayon en km (1 à 200)."),
) -> dict[str, Any]:
    commune = _commune_or_404(insee)
    nearby = communes_within(commune=commune, radius_km=radius_km)
    start = (paging.page - 1) * paging.page_size
    return {
        "commune": {"insee": commune.insee, "name": commune.name},
        "radius_km": radius_km,
        "items": [
            {"insee": item.insee, "name": item.name, "distance_km": round(item.distance_km, 1)}
            for item in nearby[start : start + paging.page_size]
        ],
        "count": len(nearby),
        "page": paging.page,
        "page_size": paging.page_size,
    }


# --- Basins ---------------------------------------------------------------------------------------------------


@router.get(
    "/zones-emploi",
    response={200: BasinListOut, 422: ErrorOut},
    exclude_unset=True,
    summary="Zones d'emploi INSEE 2020",
    description="Les 24 zones d'emploi INSEE 2020 des Hauts-de-France (partie régionale pour 0054 et 0058).",
)
def zones_emploi_list(request: HttpRequest, options: Query[BasinQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    return _basin_page(BasinGrid.ZONE_EMPLOI, options=options, paging=paging)


@router.get(
    "/zones-emploi/{code}",
    response={200: BasinOut, **ERRORS},
    exclude_unset=True,
    summary="Une zone d'emploi",
)
def zone_emploi_detail(
    request: HttpRequest, options: Query[BasinQuery], code: str = Path(..., description="Code du bassin.")
) -> dict[str, Any]:
    return _basin_detail(BasinGrid.ZONE_EMPLOI, code, options=options, label="e zone d'emploi")


@router.get(
    "/basins",
    response={200: BasinListOut, 422: ErrorOut},
    exclude_unset=True,
    summary="Bassins d'emploi France Travail (BMO)",
    description=(
        "Les 28 bassins d'emploi des Hauts-de-France utilisés par l'enquête Besoins en main-d'œuvre (BMO) de "
        "France Travail (composition communale 2021). Ce ne sont pas les zones d'emploi INSEE."
    ),
)
def basins_list(request: HttpRequest, options: Query[BasinQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    return _basin_page(BasinGrid.BMO, options=options, paging=paging)


@router.get(
    "/basins/{code}",
    response={200: BasinOut, **ERRORS},
    exclude_unset=True,
    summary="Un bassin d'emploi BMO",
)
def basin_detail(
    request: HttpRequest, options: Query[BasinQuery], code: str = Path(..., description="Code du bassin.")
) -> dict[str, Any]:
    return _basin_detail(BasinGrid.BMO, code, options=options, label=" bassin d'emploi")
