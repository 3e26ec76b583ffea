"""Cross-cutting request guards: session expiry, two-factor enforcement, outages (database unreachable,
disk full) answered cleanly in French.

Core sits above every app, so these read the user through Django's API and the settings only
(`role`, `is_staff`, `is_superuser`, `is_verified()` added by django-otp's OTPMiddleware).
"""

from __future__ import annotations

import errno
import ipaddress
import json
import logging
import sys
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django_otp import user_has_device

from guichet.core.access import match_is_public

SESSION_STARTED_KEY = "_guichet_started_at"
SESSION_SEEN_KEY = "_guichet_seen_at"
# Saving the session on every request would write to the database each time: refresh the "last seen"
# time at most once a minute (an idle timeout is then exact to the minute).
SEEN_REFRESH_SECONDS = 60

# Pages an advisor or administrator reaches before confirming a second factor (besides public pages).
TWO_FACTOR_OPEN_VIEWS = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "accounts:login",
    }
)


def session_mark_login(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """user_logged_in receiver: start the absolute and idle clocks of the new session."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now


class SessionExpiryMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT, or open for SESSION_COOKIE_AGE since its login.

    Django alone renews the cookie's age each time the session changes, so a busy session would live for
    ever; and without SESSION_SAVE_EVERY_REQUEST it has no idle timeout. Both are enforced here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY)
            if started is None or seen is None:
                # A session opened before this guard existed (or by force_login in a test): start now.
                request.session[SESSION_STARTED_KEY] = started or now
                request.session[SESSION_SEEN_KEY] = now
            elif now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                request.session_expired = True
                logout(request)
                messages.info(request, "Votre session a expiré. Connectez-vous à nouveau pour continuer.")
            elif now - seen > SEEN_REFRESH_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


def two_factor_required(user: object) -> bool:
    """Advisors, administrators and anyone with access to the admin site must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        getattr(user, "role", None) in settings.TWO_FACTOR_REQUIRED_ROLES
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def _resolve(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None


class TwoFactorRequiredMiddleware:
    """Until an advisor or administrator has confirmed their second factor in this session, they reach
    public pages and the two-factor pages only; other pages send them to set up or enter their code, and
    the API treats them as anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not two_factor_required(user) or user.is_verified():
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        match = _resolve(request.path_info)
        if match is None or match.view_name in TWO_FACTOR_OPEN_VIEWS or match_is_public(match):
            return self.get_response(request)
        has_device = user_has_device(user, confirmed=True)
        target = reverse("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class PrivateNoStoreMiddleware:
    """Pages and API answers for a logged-in person may hold personal data: no browser or proxy may keep
    a copy (`Cache-Control: no-store, private`), unless the view set its own Cache-Control. Public pages
    for anonymous visitors and static files (served before this) keep their caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response


logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again when the database is unreachable (a restart of
# PostgreSQL takes a few seconds; load balancers and the API's partners read this header).
DATABASE_RETRY_AFTER_SECONDS = 10
DATABASE_UNAVAILABLE_MESSAGE = (
    "Le service est momentanément indisponible : la base de données ne répond pas. Réessayez dans quelques instants."
)
_OUTAGE_ATTRIBUTE = "_guichet_outage"
# SQLite raises OperationalError for programming errors too ("no such table"): only these mean "unavailable".
_SQLITE_UNAVAILABLE_HINTS = ("database is locked", "unable to open database", "disk i/o error")


def database_unavailable(error: BaseException | None) -> bool:
    """True when `error` says the database cannot be reached now (down, restarting, connection lost),
    not that a query is wrong: only such errors become a 503 that invites the client to try again."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if type(cause).__module__.startswith("sqlite3"):
        return any(hint in str(error).lower() for hint in _SQLITE_UNAVAILABLE_HINTS)
    return True


STORAGE_FULL_MESSAGE = (
    "Votre envoi n'a pas pu être enregistré : l'espace de stockage du service est plein. Rien n'a été "
    "enregistré ; réessayez plus tard, ou envoyez votre demande sans pièce jointe."
)
_STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def storage_full(error: BaseException | None) -> bool:
    """True for a full disk or an exhausted quota while writing a file (an upload, an export)."""
    return isinstance(error, OSError) and error.errno in _STORAGE_FULL_ERRNOS


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the client may try again in a few seconds."""
    return _outage_response(
        request,
        status=503,
        title="Service momentanément indisponible",
        message=DATABASE_UNAVAILABLE_MESSAGE,
        retry_after=DATABASE_RETRY_AFTER_SECONDS,
    )


def storage_full_response(request: HttpRequest) -> HttpResponse:
    """507 Insufficient Storage: nothing was kept, the visitor is told so."""
    return _outage_response(
        request, status=507, title="Envoi impossible pour le moment", message=STORAGE_FULL_MESSAGE, retry_after=None
    )


def _outage_response(
    request: HttpRequest, *, status: int, title: str, message: str, retry_after: int | None
) -> HttpResponse:
    """JSON for the API (its usual error shape) and for JSON clients, a plain French page otherwise. Built
    without the database, templates' context processors or the session, which may be what is failing."""
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        body = json.dumps({"detail": message, "errors": []}, ensure_ascii=False)
        response = HttpResponse(body, status=status, content_type="application/json")
    else:
        response = HttpResponse(_outage_page(title, message), status=status, content_type="text/html; charset=utf-8")
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _outage_page(title: str, message: str) -> str:
    try:
        stylesheet = f'<link rel="stylesheet" href="{static("css/guichet.css")}">'
    except ValueError:  # collectstatic not run: the page stays readable without its style
        stylesheet = ""
    return (
        '<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · Guichet Apprentissage</title>\n"
        f'{stylesheet}\n</head>\n<body>\n<main id="contenu">\n'
        f"<h1>{title}</h1>\n"
        f"<p>{message}</p>\n"
        "<p>Vos informations déjà enregistrées ne sont pas perdues. "
        "Si vous remplissiez un formulaire, revenez en arrière et envoyez-le de nouveau.</p>\n"
        '<p><a href="/">Revenir à l\'accueil</a></p>\n'
        "</main>\n</body>\n</html>\n"
    )


def _outage_response_for(request: HttpRequest, error: BaseException | None) -> HttpResponse | None:
    if database_unavailable(error):
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
        return database_unavailable_response(request)
    if storage_full(error):
        logger.error("Storage full on %s %s: %s", request.method, request.path, error)
        return storage_full_response(request)
    return None


def _remember_outage(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """got_request_exception receiver: the error escaped a middleware (e.g. loading the session) and Django
    turned it into a 500; OutageMiddleware swaps that 500 for the outage answer."""
    error = sys.exc_info()[1]
    if request is not None and (database_unavailable(error) or storage_full(error)):
        setattr(request, _OUTAGE_ATTRIBUTE, error)


got_request_exception.connect(_remember_outage, dispatch_uid="guichet_outage")


class OutageMiddleware:
    """Outages answer cleanly instead of a 500 traceback page:
    - an unreachable database (PostgreSQL restarting, connection lost): 503 with Retry-After. Django
      closes the broken connection at the end of the request (CONN_HEALTH_CHECKS checks reused ones), so
      the next request reconnects by itself: no restart of the application server is needed;
    - a full disk while storing a file: 507 saying nothing was kept (the service's transaction rolled
      back, AtomicFileSystemStorage left no partial file).
    Sits before the session middleware, so that errors raised while loading the session or the user, or
    while reading an upload, are caught too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = getattr(request, _OUTAGE_ATTRIBUTE, None)
        if response.status_code == 500 and error is not None:
            return _outage_response_for(request, error) or response
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return _outage_response_for(request, exception)


def parse_trusted_proxies(values: list[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """TRUSTED_PROXIES: addresses or networks (CIDR) of the reverse proxies in front of the application."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ValueError(f"TRUSTED_PROXIES : « {value} » n'est ni une adresse IP ni un réseau CIDR.") from error
    return tuple(networks)


class TrustedProxyMiddleware:
    """Behind a reverse proxy, the WSGI server sees the proxy's address: per-address throttling, the support
    form's limit and the audit log would all see one client. When the request comes from a proxy listed in
    TRUSTED_PROXIES, REMOTE_ADDR becomes the client address from X-Forwarded-For: the right-most address that
    is not itself a trusted proxy (addresses further left were written by the client and can be forged).
    Without TRUSTED_PROXIES (the default) the header is ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", []))

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        remote = request.META.get("REMOTE_ADDR", "")
        if self.proxies and self._trusted(remote):
            client = remote
            for candidate in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
                candidate = candidate.strip()
                try:
                    ipaddress.ip_address(candidate)
                except ValueError:
                    break  # a malformed entry: nothing to its left can be trusted
                client = candidate
                if not self._trusted(candidate):
                    break
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
