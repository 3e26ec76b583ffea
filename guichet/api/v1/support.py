"""Single point of contact endpoints: ask a question, follow it, the personalised guide, the knowledge base.

No `from __future__ import annotations`: the rate-limit wrapper must expose real types to django-ninja.
"""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from guichet.api.errors import ApiError, ErrorOut, NotFound, invalid
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.types import IsoDate
from guichet.support import clock
from guichet.support.enums import Audience, ContactPreference, RequesterProfile, Situation, Topic
from guichet.support.guide import DATE_RANGE_MESSAGE, GuideAnswers, build_guide, date_in_range
from guichet.support.models import SupportRequest
from guichet.support.selectors import page_list_public, page_search
from guichet.support.services import SupportError, request_create, team_for, token_matches
from guichet.support.spam import SpamSuspected, check_form_token, check_honeypot, check_ip_limit, form_token
from guichet.territory.models import BasinGrid
from guichet.territory.selectors import commune_basin, commune_get

router = Router(tags=["Accompagnement"])
PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 20, 100
CREATE_LIMITS = {"per_client": 5, "per_ip": 10}


class FormTokenOut(Schema):
    token: str = Field(description="Jeton signé à renvoyer dans `form_token` ; valable 3 heures.")
    min_seconds: int = Field(description="Délai minimum entre l'obtention du jeton et l'envoi (garde anti-robots).")


class RequestIn(Schema):
    topic: Topic
    profile: RequesterProfile
    insee: str = Field(pattern=r"^[0-9AB]{5}$", description="Code INSEE de la commune.", examples=["02691"])
    name: str = Field(min_length=1, max_length=150)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    message: str = Field(min_length=1, max_length=5000)
    phone: str = Field("", max_length=30)
    contact_preference: ContactPreference = ContactPreference.EMAIL
    form_token: str = Field(description="Jeton de `GET /requests/form-token`.")
    website: str = Field("", description="Champ piège : laissez-le vide.")


class RequestOut(Schema):
    reference: str = Field(examples=["GA-2026-K7M3QX"])
    topic: str
    topic_label: str
    status: str
    status_label: str
    commune: str
    zone_emploi: str | None
    team: str | None
    received_on: date
    deadline: date = Field(description="Réponse au plus tard ce jour (délai en jours ouvrés, jours fériés exclus).")
    answered_on: date | None
    messages: int


class RequestCreatedOut(RequestOut):
    token: str = Field(description="Secret du lien de suivi : à conserver, il n'est donné qu'une fois.")
    follow_url: str


class GuideReasonOut(Schema):
    code: str
    label: str
    value: str


class StepOut(Schema):
    code: str
    title: str
    detail: str
    due: date | None
    window_start: date | None
    window_end: date | None
    links: list[dict[str, str]]
    reference: str = Field(description="Article de loi ou source de la règle.")
    reasons: list[GuideReasonOut]


class GuideOut(Schema):
    steps: list[StepOut]
    warnings: list[str]
    team: str | None
    zone_emploi: str | None
    rules_version: str


class PageOut(Schema):
    slug: str
    title: str
    summary: str
    audiences: list[str]
    url: str
    last_reviewed_on: date
    next_review_on: date
    under_review: bool = Field(description="Vrai quand la date de vérification est dépassée.")
    sources: list[str]


class PageListOut(Schema):
    items: list[PageOut]
    count: int
    page: int
    page_size: int


def _request_out(support_request: SupportRequest) -> dict:
    return {
        "reference": support_request.reference,
        "topic": support_request.topic,
        "topic_label": support_request.get_topic_display(),
        "status": support_request.status,
        "status_label": support_request.get_status_display(),
        "commune": support_request.commune.insee,
        "zone_emploi": support_request.basin.code if support_request.basin else None,
        "team": support_request.team.name if support_request.team else None,
        "received_on": support_request.received_on,
        "deadline": support_request.deadline,
        "answered_on": support_request.answered_on,
        "messages": support_request.messages.count(),
    }


@router.get("/requests/form-token", response=FormTokenOut, summary="Obtenir un jeton de formulaire")
def request_form_token(request: HttpRequest) -> dict:
    from guichet.support import spam

    return {"token": form_token(), "min_seconds": spam.MIN_FILL_SECONDS}


@router.post(
    "/requests",
    response={201: RequestCreatedOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Poser une question à un conseiller",
    description=(
        "Sans compte possible. La demande est orientée vers l'équipe de la zone d'emploi de la commune et du "
        "thème, attribuée au conseiller le moins chargé présent, avec une échéance en jours ouvrés. "
        "Garde anti-robots sans service tiers : champ piège `website` vide, jeton `form_token` obtenu au moins "
        "quelques secondes avant, 5 demandes par heure et par adresse IP. " + limits_text(**CREATE_LIMITS)
    ),
)
@rate_limit("support.requests.create", **CREATE_LIMITS)
def request_create_endpoint(request: HttpRequest, payload: RequestIn) -> Status:
    try:
        check_honeypot(payload.website)
        check_form_token(payload.form_token)
    except SpamSuspected as error:
        raise ApiError(400, str(error), [{"field": "form_token", "message": str(error)}]) from error
    commune = commune_get(insee=payload.insee)
    if commune is None:
        raise invalid("insee", "Aucune commune ne porte ce code INSEE.")
    try:
        check_ip_limit(request)
    except SpamSuspected as error:
        raise ApiError(429, str(error)) from error
    try:
        created = request_create(
            topic=payload.topic,
            profile=payload.profile,
            commune=commune,
            name=payload.name,
            email=payload.email,
            phone=payload.phone,
            contact_preference=payload.contact_preference,
            message=payload.message,
            requester=request.user if request.user.is_authenticated else None,
            now=clock.now(),
        )
    except SupportError as error:
        raise invalid(error.field or "message", str(error)) from error
    body = _request_out(created.request)
    body.update({"token": created.token, "follow_url": request.build_absolute_uri(created.follow_path)})
    return Status(201, body)


@router.get(
    "/requests/{reference}",
    response={200: RequestOut, 404: ErrorOut},
    summary="Suivre une demande",
    description="Pour son auteur seulement : compte connecté qui l'a envoyée, ou secret du lien de suivi (`token`).",
)
def request_detail(request: HttpRequest, reference: str, token: str = "") -> dict:
    support_request = (
        SupportRequest.objects.select_related("commune", "basin", "team").filter(reference=reference.upper()).first()
    )
    owner = support_request is not None and (
        token_matches(support_request, token)
        or (request.user.is_authenticated and support_request.requester_id == request.user.pk)
    )
    if not owner:
        raise NotFound("Demande introuvable.")
    return _request_out(support_request)


@router.get(
    "/guide",
    response={200: GuideOut, 422: ErrorOut},
    summary="Guide personnalisé : les étapes et leurs dates",
)
def guide(
    request: HttpRequest,
    age: int | None = Query(None, ge=14, le=70),
    level: int | None = Query(None, ge=3, le=8, description="Dernier niveau de diplôme obtenu (3 à 8)."),
    situation: Situation = Situation.LOOKING_BOTH,
    insee: str = Query("", description="Code INSEE de la commune, pour l'équipe de conseillers."),
    training_start: IsoDate | None = None,
    contract_start: IsoDate | None = None,
    disability: bool = False,
    company_size: str = Query("", pattern=r"^(|moins-250|250-et-plus)$"),
) -> dict:
    for name, value in (("training_start", training_start), ("contract_start", contract_start)):
        if value is not None and not date_in_range(value):
            # Found by the property-based tests: a date in year 1 made the deadlines fall before year 1 (500).
            raise invalid(name, DATE_RANGE_MESSAGE)
    commune = commune_get(insee=insee) if insee else None
    if insee and commune is None:
        raise invalid("insee", "Aucune commune ne porte ce code INSEE.")
    answers = GuideAnswers(
        age=age, level=level, situation=situation, training_start=training_start, contract_start=contract_start,
        disability=disability, company_size=company_size, insee=insee,
    )  # fmt: skip
    result = build_guide(answers=answers, today=clock.today())
    basin = commune_basin(commune=commune, grid=BasinGrid.ZONE_EMPLOI) if commune else None
    team = team_for(basin=basin, topic="") if commune else None
    return {
        "steps": [
            {
                "code": step.code,
                "title": step.title,
                "detail": step.detail,
                "due": step.due,
                "window_start": step.window_start,
                "window_end": step.window_end,
                "links": [{"label": label, "url": url} for label, url in step.links],
                "reference": step.reference,
                "reasons": [reason.__dict__ for reason in step.reasons],
            }
            for step in result.steps
        ],
        "warnings": result.warnings,
        "team": team.name if team else None,
        "zone_emploi": basin.code if basin else None,
        "rules_version": result.rules_version,
    }


@router.get("/knowledge", response={200: PageListOut, 422: ErrorOut}, summary="Pages d'information")
def knowledge(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Recherche (synonymes compris : salaire ~ rémunération)."),
    audience: str = Query("", pattern=r"^(|jeunes|familles|entreprises|cfa)$", description=", ".join(Audience.values)),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
) -> dict:
    pages = page_search(q=q, audience=audience) if q.strip() else list(page_list_public(audience=audience))
    today = clock.today()
    start = (page - 1) * page_size
    return {
        "items": [
            {
                "slug": item.slug,
                "title": item.title,
                "summary": item.summary,
                "audiences": item.audiences,
                "url": f"/accompagnement/infos/{item.slug}/",
                "last_reviewed_on": item.last_reviewed_on,
                "next_review_on": item.next_review_on,
                "under_review": item.is_past_review(today=today),
                "sources": item.source_list,
            }
            for item in pages[start : start + page_size]
        ],
        "count": len(pages),
        "page": page,
        "page_size": page_size,
    }
