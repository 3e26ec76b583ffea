"""Helpers shared by the offers, trainings, companies and applications routers: parameter checks with French
messages naming the parameter, and the schemas of ranked results with their reasons."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ninja import Field, Schema

from guichet.api.errors import ApiError, invalid
from guichet.jobs.models import Appellation, RomeJob
from guichet.matching.scoring import Reason
from guichet.matching.search import TrainingMatch
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_get

ROME_CODE = re.compile(r"^[A-Na-n]\d{4}$")
INSEE = re.compile(r"^(\d{2}|2[AaBb])\d{3}$")
MIN_RADIUS_KM, MAX_RADIUS_KM = 1, 200
RADIUS_MESSAGE = "Le rayon doit être compris entre 1 et 200 km."


class ReasonOut(Schema):
    code: str = Field(description="Code stable du signal (job, distance, level, dates, training, fairness...).")
    label: str = Field(description="Explication en français, à afficher telle quelle.", examples=["à 12 km"])
    value: str | int | float | bool | None = Field(description="Valeur brute du signal.")


class CommuneRefOut(Schema):
    insee: str = Field(examples=["80021"])
    name: str = Field(examples=["Amiens"])


class AppellationOut(Schema):
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
    reasons: list[ReasonOut]


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
        "session_starts": match.session_starts,
        "next_session": match.next_session,
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
    job = RomeJob.objects.filter(code=code.upper()).first()
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
    commune = commune_get(insee=insee)
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
