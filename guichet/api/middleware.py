"""Every answer under /api/ is JSON, even the errors produced outside the API's own handlers
(unknown route, method not allowed, server error), so partners never parse an HTML page.

The same middleware checks the partner API key presented with any /api/ call (guichet/api/auth.py): a key that
is unknown, expired or revoked answers 401 before any view runs, public operations included."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guichet.api.auth import PartnerKeyInvalid, resolve_partner_key

_MESSAGES = {
    404: "Ressource introuvable : vérifiez l'adresse de l'appel.",
    405: "Méthode HTTP non autorisée pour cette adresse.",
    500: "Erreur interne : l'équipe technique est prévenue. Réessayez plus tard.",
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                resolve_partner_key(request)
            except PartnerKeyInvalid as error:
                body = json.dumps({"detail": error.detail, "errors": []}, ensure_ascii=False)
                refused = HttpResponse(body, status=401, content_type="application/json")
                for name, value in error.headers.items():
                    refused[name] = value
                return refused
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code not in _MESSAGES:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        body = json.dumps({"detail": _MESSAGES[response.status_code], "errors": []}, ensure_ascii=False)
        json_response = HttpResponse(body, status=response.status_code, content_type="application/json")
        if "Allow" in response:
            json_response["Allow"] = response["Allow"]
        return json_response
