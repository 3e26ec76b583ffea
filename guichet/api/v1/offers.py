"""Offers: ranked search around a commune with the compatible trainings of each offer (the double match),
and one offer with all its trainings. Anonymous access (published offers only); rate-limited."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from guichet.api.errors import ErrorOut, NotFound
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.v1._matching import (
    AppellationOut,
    CommuneRefOut,
    ReasonOut,
    TrainingMatchOut,
    appellation_or_error,
    commune_or_error,
    level_or_error,
    radius_or_error,
    reasons_out,
    rome_or_error,
    training_out,
)
from guichet.matching.search import OfferMatch, offer_match, offer_search
from guichet.offers.selectors import offer_get

router = Router(tags=["Offres"])
ERRORS = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
LIMITS = {"per_client": 60, "per_ip": 120}


class OfferOut(Schema):
    id: int
    title: str = Field(description="Intitulé du poste.")
    rome: str = Field(description="Code ROME du métier.", examples=["J1501"])
    rome_title: str
    appellation: AppellationOut | None
    establishment: str = Field(description="Nom de l'établissement employeur.")
    commune: CommuneRefOut = Field(description="Commune du lieu de travail.")
    distance_km: float = Field(description="Distance à vol d'oiseau depuis la commune cherchée (km, à 0,1 près).")
    target_level: int = Field(description="Niveau du diplôme préparé (3 à 7).")
    starts_on: date
    duration_months: int
    driving_licence_required: bool
    score: float = Field(description="Score de classement (0 à 100 environ), voir docs/matching.md.")
    reasons: list[ReasonOut] = Field(description="Les raisons du classement, une par signal.")
    trainings: list[TrainingMatchOut] = Field(
        description="Formations compatibles avec des places (3 au plus dans la liste, toutes dans le détail)."
    )


class OfferListOut(Schema):
    items: list[OfferOut]
    count: int = Field(description="Nombre d'offres classées (hors offres en pause).")
    page: int
    page_size: int
    paused_count: int = Field(
        description="Offres écartées parce qu'elles ont atteint le nombre maximal de candidatures en attente."
    )


class OfferSearchQuery(Schema):
    insee: str = Field(..., description="Code INSEE de la commune de recherche.")
    rome: str | None = Field(None, description="Code ROME du métier (une lettre et 4 chiffres).")
    appellation: int | None = Field(None, description="Code OGR de l'appellation (intitulé précis du métier).")
    radius_km: int = Field(30, description="Rayon en km, de 1 à 200 (30 par défaut).")
    level: int | None = Field(None, description="Niveau de diplôme préparé, de 3 à 7.")
    start_before: date | None = Field(None, description="Seulement les contrats qui commencent au plus tard ce jour.")
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1.")
    page_size: int = Field(20, ge=1, le=100, description="Éléments par page (100 au plus).")


def offer_out(match: OfferMatch) -> dict[str, Any]:
    return {
        "id": match.offer_id,
        "title": match.title,
        "rome": match.rome_code,
        "rome_title": match.rome_title,
        "appellation": {"code": match.appellation_code, "title": match.appellation_title}
        if match.appellation_code is not None
        else None,
        "establishment": match.establishment_name,
        "commune": {"insee": match.commune_insee, "name": match.commune_name},
        "distance_km": match.distance_km,
        "target_level": match.target_level,
        "starts_on": match.starts_on,
        "duration_months": match.duration_months,
        "driving_licence_required": match.driving_licence_required,
        "score": match.score,
        "reasons": reasons_out(match.reasons),
        "trainings": [training_out(training) for training in match.trainings],
    }


@router.get(
    "/offers",
    response={200: OfferListOut, 400: ErrorOut, **ERRORS},
    summary="Chercher des offres d'apprentissage",
    description=(
        "Offres publiées dans un rayon autour d'une commune, classées par un score expliqué (métier, distance, "
        "niveau, dates, fraîcheur, formation compatible à proximité, équité), chacune avec ses formations "
        "compatibles qui ont des places (même métier ROME, à portée du lieu de travail ou de la commune cherchée, "
        "rentrée dans les 3 mois autour du début du contrat). Code ROME, appellation ou commune inconnus : 404 "
        "nommant le paramètre ; rayon hors de 1 à 200 km : 422. " + limits_text(**LIMITS)
    ),
)
@rate_limit("offers.search", **LIMITS)
def offers_search(request: HttpRequest, params: Query[OfferSearchQuery]) -> dict[str, Any]:
    radius = radius_or_error(params.radius_km)
    level = level_or_error(params.level)
    rome_job = rome_or_error(params.rome)
    appellation = appellation_or_error(params.appellation, rome_job=rome_job)
    commune = commune_or_error(params.insee)
    result = offer_search(
        commune=commune,
        radius_km=radius,
        rome_job=rome_job,
        appellation=appellation,
        level=level,
        start_before=params.start_before,
        page=params.page,
        page_size=params.page_size,
    )
    return {
        "items": [offer_out(match) for match in result.items],
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "paused_count": result.paused_count,
    }


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, **ERRORS},
    summary="Une offre et ses formations compatibles",
    description=(
        "Une offre publiée, avec toutes ses formations compatibles ayant des places (`trainings`). Avec `insee`, "
        "la distance et le score sont mesurés depuis cette commune, et les formations à portée de cette commune "
        "(dans `radius_km`) s'ajoutent à celles proches du lieu de travail. " + limits_text(**LIMITS)
    ),
)
@rate_limit("offers.detail", **LIMITS)
def offer_detail(
    request: HttpRequest,
    offer_id: int = Path(..., description="Identifiant de l'offre."),
    insee: str | None = Query(None, description="Commune du jeune, pour la distance (facultatif)."),
    radius_km: int = Query(30, description="Rayon de mobilité en km, de 1 à 200."),
) -> dict[str, Any]:
    radius = radius_or_error(radius_km)
    origin = commune_or_error(insee) if insee else None
    offer = offer_get(pk=offer_id, user=request.user)
    if offer is None:
        raise NotFound(f"Aucune offre visible ne porte l'identifiant {offer_id}.")
    return offer_out(offer_match(offer=offer, origin=origin, radius_km=radius))
