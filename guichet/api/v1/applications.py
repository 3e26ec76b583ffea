"""Applications of the signed-in young person: apply to an offer, list my applications (session auth)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role
from guichet.api.errors import ApiError, ErrorOut
from guichet.api.ratelimit import limits_text, rate_limit
from guichet.api.v1.offers import CommuneRefOut
from guichet.candidates.models import Application
from guichet.candidates.selectors import application_list_for_user, candidate_profile_for_user
from guichet.candidates.services import ApplicationError, application_create
from guichet.offers.selectors import offer_get

router = Router(tags=["Candidatures"], auth=django_auth)
CREATE_LIMITS = {"per_client": 20, "per_ip": 60}
LIST_LIMITS = {"per_client": 60, "per_ip": 120}


class ApplicationIn(Schema):
    offer_id: int = Field(..., description="Identifiant de l'offre.")
    message: str = Field("", max_length=5000, description="Message à l'employeur (facultatif, 5 000 caractères).")


class OfferRefOut(Schema):
    id: int
    title: str
    rome: str
    establishment: str
    commune: CommuneRefOut


class ApplicationOut(Schema):
    id: int
    offer: OfferRefOut
    status: str = Field(description="sent, seen, interview, accepted, contract_signed, refused ou withdrawn.")
    status_label: str = Field(description="Statut en français.")
    reason: str = Field(description="Motif de clôture (refus ou retrait), vide sinon.")
    reason_label: str
    sent_on: date
    answered_on: date | None
    closed_on: date | None


class ApplicationListOut(Schema):
    items: list[ApplicationOut]
    count: int
    page: int
    page_size: int


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


def application_out(application: Application) -> dict[str, Any]:
    offer = application.offer
    return {
        "id": application.pk,
        "offer": {
            "id": offer.pk,
            "title": offer.title,
            "rome": offer.rome_job.code,
            "establishment": offer.establishment.name,
            "commune": {"insee": offer.commune.insee, "name": offer.commune.name},
        },
        "status": application.status,
        "status_label": application.get_status_display(),
        "reason": application.reason,
        "reason_label": application.get_reason_display() if application.reason else "",
        "sent_on": application.sent_on,
        "answered_on": application.answered_on,
        "closed_on": application.closed_on,
    }


def _young(request: HttpRequest) -> None:
    if not has_role(request.user, Role.YOUNG):
        raise ApiError(403, "Seul un jeune connecté peut postuler ou consulter ses candidatures.")


def _profile(request: HttpRequest):
    _young(request)
    profile = candidate_profile_for_user(user=request.user)
    if profile is None:
        raise ApiError(403, "Créez d'abord votre profil de candidat dans votre espace.")
    return profile


@router.post(
    "/applications",
    response={
        201: ApplicationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Postuler à une offre",
    description=(
        "Le jeune connecté (session) postule à une offre publiée. 401 sans connexion, 403 pour un autre rôle ou "
        "sans profil, 404 offre inconnue, 409 candidature déjà en cours ou offre fermée ou en pause. "
        + limits_text(**CREATE_LIMITS)
    ),
)
@rate_limit("applications.create", **CREATE_LIMITS)
def application_create_endpoint(request: HttpRequest, payload: ApplicationIn) -> Status:
    profile = _profile(request)
    offer = offer_get(pk=payload.offer_id, user=request.user)
    if offer is None:
        raise ApiError(
            404,
            f"Aucune offre publiée ne porte l'identifiant {payload.offer_id}.",
            [{"field": "offer_id", "message": "Offre inconnue ou plus publiée."}],
        )
    try:
        application = application_create(candidate=profile, offer=offer, message=payload.message)
    except ApplicationError as error:
        raise ApiError(409, str(error), [{"field": error.field or "offer_id", "message": str(error)}]) from error
    application = application_list_for_user(user=request.user).get(pk=application.pk)
    return Status(201, application_out(application))


@router.get(
    "/me/applications",
    response={200: ApplicationListOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Mes candidatures",
    description="Les candidatures du jeune connecté, les plus récentes d'abord. " + limits_text(**LIST_LIMITS),
)
@rate_limit("applications.mine", **LIST_LIMITS)
def my_applications(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    _young(request)  # without a profile yet, the list is simply empty
    queryset = application_list_for_user(user=request.user)
    start = (paging.page - 1) * paging.page_size
    return {
        "items": [application_out(application) for application in queryset[start : start + paging.page_size]],
        "count": queryset.count(),
        "page": paging.page,
        "page_size": paging.page_size,
    }
