"""The OpenAPI schema of /api/v1/, completed with what the shared machinery answers for every operation.

Routers declare their own responses; the errors that come from the common layers are added here, so the
published contract lists every status an operation can actually give (schemathesis checks it, tests/api_fuzz):
- 400 for operations with a JSON body (unparsable body);
- 401 everywhere: a partner key that is unknown, expired or revoked is refused on every /api/ address; for
  operations that require authentication, also a call without credentials;
- 403 for operations that require authentication (role or scope refused);
- 422 for operations with parameters or a body that can be invalid;
- 429 with `Retry-After` for rate-limited operations.
Security: public operations accept an optional partner key (`[{}, key schemes]`); operations opened to keys
list the scope they need in their security requirement (OpenAPI 3.1 allows role names for any scheme).
"""

from __future__ import annotations

from typing import Any

from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from guichet.api.auth import PARTNER_KEY_AUTH, PARTNER_SCHEMES
from guichet.api.errors import ErrorOut

DESCRIPTIONS = {
    400: "Requête mal formée (corps JSON illisible).",
    401: "Authentification requise, ou clé d'API inconnue, expirée ou révoquée.",
    403: "Accès refusé : rôle ou portée de la clé d'API insuffisants.",
    422: "Valeurs invalides : chaque champ en cause est nommé dans `errors`.",
    429: "Trop de requêtes : réessayez après le délai indiqué par l'en-tête Retry-After.",
}
RETRY_AFTER = {"Retry-After": {"description": "Secondes à attendre.", "schema": {"type": "integer"}}}


def _can_be_invalid(parameters: list[dict[str, Any]]) -> bool:
    for parameter in parameters:
        schema = parameter.get("schema", {})
        plain_string = schema.get("type") == "string" and not (set(schema) - {"type", "title", "default"})
        if not plain_string:
            return True
    return False


class GuichetOpenAPISchema(OpenAPISchema):
    def operation_details(self, operation: Operation) -> dict[str, Any]:
        result = super().operation_details(operation)
        view = operation.view_func
        responses: dict[int, Any] = result["responses"]
        error_schema = self._create_schema_from_model(ErrorOut, by_alias=True, mode="serialization")[0]

        def document(status: int, **extra: Any) -> None:
            if status not in responses and str(status) not in responses:
                content = {"application/json": {"schema": error_schema}}
                responses[status] = {"description": DESCRIPTIONS[status], "content": content, **extra}

        if "requestBody" in result:
            document(400)
        if "requestBody" in result or _can_be_invalid(result.get("parameters", [])):
            document(422)
        if getattr(view, "rate_limits", None):
            document(429, headers=RETRY_AFTER)
        document(401)

        scope = next((auth.scope for auth in operation.auth_callbacks if getattr(auth, "scope", "")), "")
        if operation.auth_callbacks:
            document(403)
            result["security"] = [
                {name: [scope] if name in PARTNER_SCHEMES and scope else [] for name in requirement}
                for requirement in result.get("security", [])
            ]
        else:
            # Public: anyone, with or without a partner key (which then counts for the rate limits).
            result["security"] = [{}, *({name: []} for name in PARTNER_SCHEMES)]
            for auth in PARTNER_KEY_AUTH:
                self.securitySchemes[type(auth).__name__] = auth.openapi_security_schema
        result["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
        return result
