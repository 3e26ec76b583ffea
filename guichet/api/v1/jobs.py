"""Jobs API: search ROME jobs, one job with its appellations, the national diploma levels."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from guichet.api.errors import ErrorOut, NotFound
from guichet.jobs.models import DiplomaLevel, FutureFamily, RomeJob
from guichet.jobs.selectors import diploma_level_list, job_get, job_search

router = Router(tags=["Métiers"])

FUTURE_FAMILY_HELP = "Famille de métiers d'avenir de la Région : " + ", ".join(
    f"`{family.value}` ({family.label})" for family in FutureFamily
)


class DomainOut(Schema):
    code: str = Field(description="Code du domaine professionnel ROME (lettre + 2 chiffres), par exemple `D11`.")
    name: str = Field(description="Libellé du domaine professionnel.")


class JobOut(Schema):
    rome: str = Field(description="Code ROME 4.0 (lettre + 4 chiffres), par exemple `D1102`.")
    title: str = Field(description="Intitulé de la fiche ROME.")
    domain: DomainOut
    is_future: bool = Field(description="Vrai si le métier fait partie des familles de métiers d'avenir de la Région.")
    future_family: FutureFamily | None = Field(description=FUTURE_FAMILY_HELP + " ; `null` sinon.")


class JobMatchOut(JobOut):
    matched_appellation: str | None = Field(
        description="Appellation (intitulé d'emploi) qui correspond le mieux à la recherche ; `null` si seul "
        "l'intitulé de la fiche ou le code correspond."
    )


class JobListOut(Schema):
    items: list[JobMatchOut]
    count: int = Field(
        description="Nombre total de métiers qui correspondent (les `limit` premiers sont dans `items`)."
    )


class AppellationOut(Schema):
    ogr: int = Field(description="Code OGR de l'appellation (France Travail).")
    title: str


class JobDetailOut(JobOut):
    transition_eco: bool = Field(description="Métier de la transition écologique (France Travail).")
    transition_num: bool = Field(description="Métier de la transition numérique (France Travail).")
    transition_demo: bool = Field(description="Métier de la transition démographique (France Travail).")
    regulated: bool = Field(description="Emploi réglementé : un diplôme ou une autorisation est exigé.")
    appellations: list[AppellationOut] = Field(
        description="Toutes les appellations de la fiche, par ordre alphabétique."
    )


class DiplomaLevelOut(Schema):
    level: int = Field(description="Niveau du cadre national des certifications professionnelles (3 à 8).")
    label: str = Field(description="Équivalent usuel, par exemple « Bac + 2 ».")
    old_name: str = Field(description="Ancien niveau de la nomenclature de 1969 (V à I).")
    examples: str = Field(description="Exemples de diplômes de ce niveau.")


class DiplomaLevelListOut(Schema):
    items: list[DiplomaLevelOut]
    count: int
    reference: str = Field(description="Texte qui définit ces niveaux.")


LEVELS_REFERENCE = (
    "Décret n° 2019-14 du 8 janvier 2019 relatif au cadre national des certifications professionnelles "
    "(article 1 ; code du travail, article D. 6113-19)."
)


def _domain(job: RomeJob) -> dict[str, str]:
    return {"code": job.domain.code, "name": job.domain.name}


@router.get(
    "/jobs",
    response={200: JobListOut, 422: ErrorOut},
    summary="Rechercher un métier",
    description=(
        "Recherche dans les intitulés des fiches ROME et leurs appellations, sans tenir compte des accents ni des "
        "majuscules ; un code ROME (`d1102`) donne sa fiche. Un résultat par code ROME, du plus proche au moins "
        "proche : code ROME, intitulé identique, début d'intitulé, début d'un mot, intitulé qui contient le texte, "
        "puis intitulé qui contient tous les mots."
    ),
)
def list_jobs(
    request: HttpRequest,
    q: str = Query(..., min_length=2, max_length=100, description="Texte recherché (au moins 2 caractères)."),
    limit: int = Query(10, ge=1, le=50, description="Nombre maximal de métiers renvoyés (1 à 50, 10 par défaut)."),
) -> dict:
    result = job_search(q=q, limit=limit)
    items = [
        {
            "rome": match.code,
            "title": match.title,
            "domain": {"code": match.domain.code, "name": match.domain.name},
            "is_future": match.is_future,
            "future_family": match.future_family or None,
            "matched_appellation": match.matched_appellation,
        }
        for match in result.items
    ]
    return {"items": items, "count": result.count}


@router.get(
    "/jobs/{rome}",
    response={200: JobDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="Détail d'un métier ROME",
    description=(
        "Une fiche ROME avec son domaine, ses indicateurs et toutes ses appellations. "
        "Code mal formé : 422 ; code bien formé mais inconnu : 404."
    ),
)
def get_job(
    request: HttpRequest,
    rome: str = Path(
        ...,
        pattern=r"^[A-Na-n][0-9]{4}$",
        description="Code ROME 4.0 : une lettre de A à N et 4 chiffres (majuscules acceptées ou non), ex. `D1102`.",
    ),
) -> dict:
    job = job_get(code=rome)
    if job is None:
        raise NotFound(f"Aucun métier ne correspond au code ROME « {rome} ».")
    return {
        "rome": job.code,
        "title": job.title,
        "domain": _domain(job),
        "is_future": job.is_future,
        "future_family": job.future_family or None,
        "transition_eco": job.transition_eco,
        "transition_num": job.transition_num,
        "transition_demo": job.transition_demo,
        "regulated": job.regulated,
        "appellations": [{"ogr": item.ogr_code, "title": item.title} for item in job.appellations.all()],
    }


@router.get(
    "/diploma-levels",
    response={200: DiplomaLevelListOut},
    summary="Niveaux de diplôme",
    description="Les niveaux 3 (CAP) à 8 (doctorat) du cadre national des certifications professionnelles.",
)
def list_diploma_levels(request: HttpRequest) -> dict:
    levels: list[DiplomaLevel] = list(diploma_level_list())
    return {
        "items": [
            {"level": item.level, "label": item.label, "old_name": item.old_name, "examples": item.examples}
            for item in levels
        ],
        "count": len(levels),
        "reference": LEVELS_REFERENCE,
    }
