"""Rate limits for the API, per client and per IP address (fixed one-minute windows in the cache).

Usage on a django-ninja operation:

    @router.post("/requests", response={201: RequestOut, 422: ErrorOut, 429: ErrorOut},
                 description="... " + limits_text(per_client=10, per_ip=30))
    @rate_limit("requests.create", per_client=10, per_ip=30)
    def create_request(request, payload: RequestIn): ...

The client is the partner API key when one is presented (guichet/api/auth.py), else the signed-in user;
anonymous callers are limited by IP address only. A key is counted by itself, not by IP address (a partner's
servers may share one address): `per_client` calls a minute, or PARTNER_FACTOR times as many when the key holds
the `public.read` scope. Over the limit the call answers 429 with a French message and `Retry-After`.
The counters live in Django's cache: configure a shared cache (CACHE_URL) when several processes serve.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import HttpRequest

from guichet.api.auth import resolve_partner_key
from guichet.api.errors import ApiError
from guichet.api.models import PartnerKey, PartnerScope
from guichet.core.audit import client_ip

F = TypeVar("F", bound=Callable[..., Any])
WINDOW_SECONDS = 60
PARTNER_FACTOR = 10  # a key with the public.read scope may call ten times as often as a signed-in person


class RateLimited(ApiError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "Trop de requêtes : réessayez dans une minute.")
        self.headers = {"Retry-After": str(retry_after)}


def client_id(request: HttpRequest) -> str | None:
    key = getattr(request, "partner_key", None)
    if key is not None:
        return f"key:{key.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _hit(key: str, limit: int, now: float) -> int | None:
    """Count one call in the current window; return the seconds to wait when over `limit`."""
    window = int(now // WINDOW_SECONDS)
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS + 1)
        count = 1
    if count > limit:
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return None


def check_rate_limit(
    request: HttpRequest, scope: str, *, per_client: int, per_ip: int, now: float | None = None
) -> None:
    """Raise RateLimited when this client or this IP address went over its limit for `scope`."""
    now = time.time() if now is None else now
    client = client_id(request)
    key = getattr(request, "partner_key", None)
    if key is not None:
        waits = [_hit(f"{scope}:{client}", per_key_limit(key, per_client=per_client), now)]
    else:
        waits = [_hit(f"{scope}:ip:{client_ip(request) or 'unknown'}", per_ip, now)]
        if client is not None:
            waits.append(_hit(f"{scope}:{client}", per_client, now))
    wait = max((value for value in waits if value is not None), default=None)
    if wait is not None:
        raise RateLimited(wait)


def per_key_limit(key: PartnerKey, *, per_client: int) -> int:
    return per_client * PARTNER_FACTOR if key.has_scope(PartnerScope.PUBLIC_READ) else per_client


def rate_limit(scope: str, *, per_client: int = 60, per_ip: int = 120) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            resolve_partner_key(request)  # already done by the API middleware; kept for direct calls
            check_rate_limit(request, scope, per_client=per_client, per_ip=per_ip)
            return view(request, *args, **kwargs)

        wrapper.rate_limits = {"per_client": per_client, "per_ip": per_ip}  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def limits_text(*, per_client: int = 60, per_ip: int = 120) -> str:
    """The sentence that documents an operation's limits in the OpenAPI schema."""
    return (
        f"Limite : {per_client} appels par minute par client connecté et {per_ip} par minute par adresse IP ; "
        f"avec une clé d'API partenaire, {per_client * PARTNER_FACTOR} par minute et par clé si elle a la portée "
        f"public.read ({per_client} sinon), sans limite par adresse IP ; "
        "au-delà, réponse 429 avec l'en-tête Retry-After."
    )
