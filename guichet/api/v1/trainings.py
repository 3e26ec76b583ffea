"""Trainings with places around a commune, ranked and explained. Anonymous access; rate-limited."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from guichet.api.errors import ErrorOut
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.v1.offers import (
    TrainingMatchOut,
    commune_or_error,
    level_or_error,
    radius_or_error,
    rome_or_error,
    training_out,
)
from guichet.matching.search import training_search

router = Router(tags=["Formations"])
LIMITS = {"per_client": 60, "per_ip": 120}


class TrainingListOut(Schema):
    items: list[TrainingMatchOut]
    count: int
    page: int
    page_size: int


class TrainingSearchQuery(Schema):
    insee: str = Field(..., description="Code INSEE de la commune de recherche.")
    rome: str | None = Field(None, description="Code ROME d'un métier préparé.")
    radius_km: int = Field(30, description="Rayon en km, de 1 à 200 (30 par défaut).")
    level: int | None = Field(None, description="Niveau de diplôme, de 3 à 7.")
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1.")
    page_size: int = Field(20, ge=1, le=100, description="Éléments par page (100 au plus).")


@router.get(
    "/trainings",
    response={200: TrainingListOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Chercher des formations en apprentissage avec des places",
    description=(
        "Formations en apprentissage qui ont encore des places, dans un rayon autour d'une commune, classées par "
        "niveau, distance, places restantes et prochaine rentrée, avec leurs raisons. " + limits_text(**LIMITS)
    ),
)
@rate_limit("trainings.search", **LIMITS)
def trainings_search(request: HttpRequest, params: Query[TrainingSearchQuery]) -> dict[str, Any]:
    radius = radius_or_error(params.radius_km)
    level = level_or_error(params.level)
    rome_job = rome_or_error(params.rome)
    commune = commune_or_error(params.insee)
    result = training_search(
        commune=commune, radius_km=radius, rome_job=rome_job, level=level, page=params.page, page_size=params.page_size
    )
    return {
        "items": [training_out(match) for match in result.items],
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
    }
