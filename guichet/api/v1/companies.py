"""Companies likely to recruit apprentices for a job near a commune (for spontaneous applications)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from guichet.api.errors import ErrorOut
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.v1.offers import (
    CommuneRefOut,
    MatchReasonOut,
    commune_or_error,
    radius_or_error,
    reasons_out,
    rome_or_error,
)
from guichet.matching.search import companies_likely_to_recruit

router = Router(tags=["Entreprises"])
LIMITS = {"per_client": 30, "per_ip": 60}


class CompanyOut(Schema):
    id: int = Field(description="Identifiant de l'établissement.")
    name: str
    siret: str
    naf: str | None = Field(description="Code NAF de l'activité principale.")
    naf_label: str | None
    headcount_band: str = Field(description="Tranche d'effectif INSEE de l'établissement.")
    commune: CommuneRefOut
    distance_km: float
    past_contracts: int = Field(description="Contrats d'apprentissage signés pour ce métier depuis `since_year`.")
    score: float
    reasons: list[MatchReasonOut]


class CompanyListOut(Schema):
    items: list[CompanyOut]
    count: int
    page: int
    page_size: int
    since_year: int = Field(description="Première année des contrats pris en compte.")


class CompanyQuery(Schema):
    rome: str = Field(..., description="Code ROME du métier.")
    insee: str = Field(..., description="Code INSEE de la commune.")
    radius_km: int = Field(30, description="Rayon en km, de 1 à 200 (30 par défaut).")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get(
    "/companies/likely-to-recruit",
    response={200: CompanyListOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Entreprises susceptibles de recruter un apprenti",
    description=(
        "Établissements proches d'une commune dont les contrats d'apprentissage passés pour ce métier, ou "
        "l'activité (code NAF) qui en signe souvent, montrent qu'ils recrutent des apprentis : pour une "
        "candidature spontanée. Signaux agrégés, aucune donnée personnelle. " + limits_text(**LIMITS)
    ),
)
@rate_limit("companies.likely", **LIMITS)
def companies_likely(request: HttpRequest, params: Query[CompanyQuery]) -> dict[str, Any]:
    radius = radius_or_error(params.radius_km)
    rome_job = rome_or_error(params.rome, required=True)
    commune = commune_or_error(params.insee)
    result = companies_likely_to_recruit(
        rome_job=rome_job, commune=commune, radius_km=radius, page=params.page, page_size=params.page_size
    )
    return {
        "items": [
            {
                "id": match.establishment_id,
                "name": match.name,
                "siret": match.siret,
                "naf": match.naf_code,
                "naf_label": match.naf_label,
                "headcount_band": match.headcount_band,
                "commune": {"insee": match.commune_insee, "name": match.commune_name},
                "distance_km": match.distance_km,
                "past_contracts": match.past_contracts,
                "score": match.score,
                "reasons": reasons_out(match.reasons),
            }
            for match in result.items
        ],
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "since_year": result.since_year,
    }
