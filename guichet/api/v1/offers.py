"""Offers: ranked search around a commune with the compatible trainings of each offer (the double match),
and one offer with all its trainings. Anonymous access (published offers only); rate-limited."""

import re
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from guichet.api.errors import ApiError, ErrorOut, NotFound, invalid
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.v1.territory import CommuneRefOut
from guichet.core.refcache import cached_reference
from guichet.jobs.models import Appellation, RomeJob
from guichet.matching.scoring import Reason
from guichet.matching.search import OfferMatch, TrainingMatch, offer_match, offer_search
from guichet.offers.selectors import offer_get
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_get

ROME_CODE = re.compile(r"^[A-Na-n]\d{4}$")
INSEE = re.compile(r"^(\d{2}|2[AaBb])\d{3}$")
MIN_RADIUS_KM, MAX_RADIUS_KM = 1, 200
RADIUS_MESSAGE = "Le rayon doit être compris entre 1 et 200 km."


class MatchReasonOut(Schema):
    code: str = Field(description="Code stable du signal (job, distance, level, dates, training, fairness...).")
    label: str = Field(description="Explication en français, à afficher telle quelle.", examples=["à 12 km"])
    value: str | int | float | bool | None = Field(description="Valeur brute du signal.")


class OfferAppellationOut(Schema):
    code: int = Field(description="Code OGR de l'appellation (ROME).")
    title: str


class TrainingMatchOut(Schema):
    id: int
    title: str
    centre: str = Field(description="Nom du centre de formation (CFA).")
    level: int | None = Field(description="Niveau du diplôme préparé (3 à 7).")
    commune: CommuneRefOut
    distance_km: float = Field(description="Distance (km, à 0,1 près) du lieu de travail, ou de la commune cherchée.")
    distance_from_candidate_km: float | None = Field(
        None, description="Distance de la commune du jeune, quand elle est connue."
    )
    remaining_places: int = Field(description="Places restantes.")
    session_starts: list[date] = Field(description="Dates de rentrée des sessions à venir.")
    next_session: date | None = Field(description="Rentrée retenue (dans les 3 mois autour du début du contrat).")
    score: float = Field(description="Score de compatibilité (0 à 100), voir docs/matching.md.")
    reasons: list[MatchReasonOut]


def reasons_out(reasons: list[Reason]) -> list[dict[str, Any]]:
    return [reason.as_dict() for reason in reasons]


def training_out(match: TrainingMatch) -> dict[str, Any]:
    return {
        "id": match.training_id,
        "title": match.title,
        "centre": match.centre_name,
        "level": match.level,
        "commune": {"insee": match.commune_insee, "name": match.commune_name},
        "distance_km": match.distance_km,
        "distance_from_candidate_km": match.distance_from_candidate_km,
        "remaining_places": match.remaining_places,
        # dates as the JSON encoder would write them, written here: no encoder hook per date (200 a page)
        "session_starts": [day.isoformat() for day in match.session_starts],
        "next_session": match.next_session.isoformat() if match.next_session is not None else None,
        "score": match.score,
        "reasons": reasons_out(match.reasons),
    }


def _quoted(value: str) -> str:
    return f"« {value} »" if re.fullmatch(r"[0-9A-Za-z-]{1,20}", value) else "saisi"


def not_found(field: str, message: str) -> ApiError:
    return ApiError(404, message, [{"field": field, "message": message}])


def rome_or_error(code: str | None, *, required: bool = False) -> RomeJob | None:
    if code is None or not code.strip():
        if required:
            raise invalid("rome", "Indiquez un code ROME (une lettre et 4 chiffres, par exemple J1501).")
        return None
    code = code.strip()
    if not ROME_CODE.match(code):
        raise invalid(
            "rome",
            f"Le code ROME {_quoted(code)} n'a pas le bon format : une lettre et 4 chiffres, par exemple J1501.",
        )
    job = cached_reference("rome_job", code.upper(), RomeJob.objects.filter(code=code.upper()).first)
    if job is None:
        raise not_found(
            "rome", f"Aucun métier ne porte le code ROME {_quoted(code)} : vérifiez-le dans le répertoire ROME."
        )
    return job


def appellation_or_error(code: int | None, *, rome_job: RomeJob | None) -> Appellation | None:
    if code is None:
        return None
    appellation = Appellation.objects.select_related("job").filter(ogr_code=code).first()
    if appellation is None:
        raise not_found("appellation", f"Aucune appellation ne porte le code OGR {code}.")
    if rome_job is not None and appellation.job_id != rome_job.pk:
        raise invalid(
            "appellation",
            f"L'appellation {code} ({appellation.title}) relève du métier {appellation.job.code}, "
            f"pas de {rome_job.code}.",
        )
    return appellation


def commune_or_error(insee: str) -> Commune:
    insee = (insee or "").strip()
    if not INSEE.match(insee):
        raise invalid(
            "insee", f"Le code INSEE {_quoted(insee)} n'a pas le bon format : 5 caractères, par exemple 80021."
        )
    commune = cached_reference("commune", insee.upper(), lambda: commune_get(insee=insee))
    if commune is None:
        raise not_found("insee", f"Aucune commune ne porte le code INSEE {_quoted(insee)}.")
    return commune


def radius_or_error(radius_km: int) -> int:
    if not MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM:
        raise invalid("radius_km", RADIUS_MESSAGE)
    return radius_km


def level_or_error(level: int | None) -> int | None:
    if level is not None and not 3 <= level <= 7:
        raise invalid("level", "Le niveau de diplôme va de 3 (CAP) à 7 (master).")
    return level


router = Router(tags=["Offres"])
ERRORS = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
LIMITS = {"per_client": 60, "per_ip": 120}


class OfferOut(Schema):
    id: int
    title: str = Field(description="Intitulé du poste.")
    rome: str = Field(description="Code ROME du métier.", examples=["J1501"])
    rome_title: str
    appellation: OfferAppellationOut | None
    establishment: str = Field(description="Nom de l'établissement employeur.")
    commune: CommuneRefOut = Field(description="Commune du lieu de travail.")
    distance_km: float = Field(description="Distance à vol d'oiseau depuis la commune cherchée (km, à 0,1 près).")
    target_level: int = Field(description="Niveau du diplôme préparé (3 à 7).")
    starts_on: date
    duration_months: int
    driving_licence_required: bool
    score: float = Field(description="Score de classement (0 à 100 environ), voir docs/matching.md.")
    reasons: list[MatchReasonOut] = Field(description="Les raisons du classement, une par signal.")
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
    rome: str | None = Field(
        None, description="Code ROME du métier (une lettre et 4 chiffres) ; obligatoire sans `appellation`."
    )
    appellation: int | None = Field(
        None, description="Code OGR de l'appellation (intitulé précis du métier) ; obligatoire sans `rome`."
    )
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
        "starts_on": match.starts_on.isoformat(),
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
        "rentrée dans les 3 mois autour du début du contrat). Un métier est obligatoire (`rome` ou `appellation`), "
        "comme dans le formulaire du site : sans métier, la recherche classerait jusqu'à plus de 100 000 offres. "
        "Code ROME, appellation ou commune inconnus : 404 nommant le paramètre ; métier absent ou rayon hors de 1 à "
        "200 km : 422. " + limits_text(**LIMITS)
    ),
)
@rate_limit("offers.search", **LIMITS)
def offers_search(request: HttpRequest, params: Query[OfferSearchQuery]) -> HttpResponse:
    radius = radius_or_error(params.radius_km)
    level = level_or_error(params.level)
    rome_job = rome_or_error(params.rome, required=params.appellation is None)
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
    body = {
        "items": [offer_out(match) for match in result.items],
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "paused_count": result.paused_count,
    }
    # Rendered as is: the dicts are built field for field in OfferListOut's order from typed dataclasses, so
    # django-ninja's validation of the response against OfferListOut (20 offers x 3 trainings x reasons: about
    # 20 ms a call at national scale) would only copy them. OfferListOut stays the documented schema;
    # guichet/matching/tests/test_api.py checks the bytes equal those of its validated dump.
    from guichet.api.v1 import api  # at call time: guichet.api.v1 imports this module

    return api.create_response(request, body, status=200)


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
