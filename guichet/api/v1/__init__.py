"""The versioned REST API: /api/v1/, schema at /api/v1/openapi.json, docs at /api/v1/docs.

Each domain has its own router module here; routers are thin and call the apps' selectors.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from guichet.api.errors import ApiError, validation_errors
from guichet.api.openapi import GuichetOpenAPISchema


class GuichetNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return GuichetOpenAPISchema(self, path_prefix)


api = GuichetNinjaAPI(
    title="Guichet Apprentissage API",
    version="1.0.0",
    description=(
        "API publique du Guichet Apprentissage (Région Hauts-de-France). "
        'Erreurs : toujours en JSON, `{"detail": ..., "errors": [{"field": ..., "message": ...}]}`; '
        "400 requête mal formée, 401 authentification requise ou clé d'API refusée, 403 accès refusé, "
        "404 code inconnu, 422 valeurs invalides, 429 trop de requêtes. "
        "Partenaires : clé d'API dans `Authorization: Bearer <clé>` ou `X-Api-Key: <clé>`, avec des portées "
        "(public.read : limites de débit plus hautes ; observatory.read : indicateurs de l'observatoire ; "
        "observatory.export : exports CSV) ; les opérations publiques restent ouvertes sans clé. "
        "Listes paginées : `page` (à partir de 1) et `page_size` (20 par défaut, 100 au plus). "
        "Données de référence : INSEE (COG 2026, zones d'emploi 2020), France Travail (ROME 4.0, bassins BMO), "
        "sous Licence Ouverte / Etalab 2.0."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.detail, "errors": exc.errors}, status=exc.status)
    for name, value in getattr(exc, "headers", {}).items():
        response[name] = value
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {"detail": "Certaines valeurs sont invalides.", "errors": validation_errors(exc.errors)}
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Ressource introuvable.", "errors": []}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentification requise.", "errors": []}, status=401)


_HTTP_ERROR_MESSAGES = {
    # django-ninja's own English messages, said in French for people.
    "Cannot parse request body": "Le corps de la requête n'est pas un JSON valide : vérifiez sa syntaxe.",
    "CSRF check Failed": "Jeton CSRF absent ou invalide : renvoyez l'en-tête X-CSRFToken reçu avec la session.",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = _HTTP_ERROR_MESSAGES.get(str(exc), str(exc))
    return api.create_response(request, {"detail": detail, "errors": []}, status=exc.status_code)


def _register_routers() -> None:
    from guichet.api.v1 import aids, applications, companies, jobs, offers, territory, trainings
    from guichet.api.v1 import observatory as observatory_api
    from guichet.api.v1 import support as support_api

    api.add_router("", territory.router)
    api.add_router("", jobs.router)
    api.add_router("", offers.router)
    api.add_router("", trainings.router)
    api.add_router("", companies.router)
    api.add_router("", applications.router)
    api.add_router("", aids.router)
    api.add_router("", support_api.router)
    api.add_router("", observatory_api.router)


_register_routers()
