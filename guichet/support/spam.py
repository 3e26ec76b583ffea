"""Spam guard for the public request form and API, with no third-party service:

- a honeypot field (hidden from people, filled by naive robots);
- a minimum fill time, from a signed timestamp given with the form (robots post at once);
- a limit of requests per IP address per hour (counters in Django's cache).
"""

from __future__ import annotations

import time

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from guichet.core.audit import client_ip

MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 3 * 60 * 60
PER_IP_PER_HOUR = 5
HONEYPOT_FIELD = "site_web"
_SALT = "guichet.support.form-started"


class SpamSuspected(ValueError):
    pass


def form_token(*, now: float | None = None) -> str:
    return signing.dumps({"t": int(now if now is not None else time.time())}, salt=_SALT, compress=True)


def check_form_token(token: str, *, now: float | None = None) -> None:
    now = now if now is not None else time.time()
    try:
        started = signing.loads(token or "", salt=_SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError) as error:
        raise SpamSuspected(
            "Le formulaire a expiré ou a été modifié : vérifiez vos réponses puis envoyez-le à nouveau."
        ) from error
    elapsed = now - started
    if elapsed < MIN_FILL_SECONDS:
        raise SpamSuspected("Le formulaire a été envoyé trop vite : vérifiez vos réponses puis envoyez-le à nouveau.")
    if elapsed > MAX_FORM_AGE_SECONDS:
        raise SpamSuspected(
            "Le formulaire a expiré (plus de 3 heures) : vérifiez vos réponses puis envoyez-le à nouveau."
        )


def check_honeypot(value: str) -> None:
    if value:
        raise SpamSuspected("Votre demande n'a pas pu être envoyée. Laissez vide le champ « Ne pas remplir ».")


def check_ip_limit(request: HttpRequest, *, now: float | None = None) -> None:
    """Count one request for this IP address in the current hour; refuse beyond the limit."""
    now = now if now is not None else time.time()
    key = f"support:requests:{client_ip(request) or 'inconnue'}:{int(now // 3600)}"
    cache.add(key, 0, timeout=3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600 + 60)
        count = 1
    if count > PER_IP_PER_HOUR:
        raise SpamSuspected(
            f"Vous avez déjà envoyé {PER_IP_PER_HOUR} demandes cette heure-ci depuis cette connexion : "
            "réessayez plus tard, ou complétez une demande déjà envoyée avec votre lien de suivi."
        )
