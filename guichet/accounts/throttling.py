"""Login throttling in the cache: a growing wait per (account, address), never a permanent lockout.

After LOGIN_FAILURES_ALLOWED failures for one e-mail address from one client address, that pair must
wait LOGIN_LOCKOUT_BASE_SECONDS, then twice as long at each new failure, up to LOGIN_LOCKOUT_MAX_SECONDS.
The owner of the account, connecting from another address, is not affected: an attacker cannot lock a
victim out. One client address failing LOGIN_FAILURES_PER_IP_ALLOWED times on any accounts (credential
stuffing) waits the same way. Counters vanish LOGIN_FAILURE_WINDOW_SECONDS after the last failure, and
a successful login clears the pair's counter.

The cache must be shared by every worker in production (CACHE_URL: dbcache:// or redis://): with the
per-process default each worker counts on its own, which multiplies the allowed attempts by the workers.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from guichet.accounts.services import email_normalize


@dataclass(frozen=True)
class Throttle:
    failures: int
    locked_until: float

    def wait_seconds(self, now: float) -> int:
        return max(0, math.ceil(self.locked_until - now))


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"login-throttle:{kind}:{digest}"


def _keys(email: str, ip: str) -> tuple[str, str]:
    return _key("pair", email_normalize(email), ip), _key("ip", ip)


def _lock_seconds(failures: int, allowed: int) -> int:
    if failures < allowed:
        return 0
    seconds = settings.LOGIN_LOCKOUT_BASE_SECONDS * 2 ** (failures - allowed)
    return int(min(seconds, settings.LOGIN_LOCKOUT_MAX_SECONDS))


def login_wait_seconds(*, email: str, ip: str, now: float | None = None) -> int:
    """Seconds this (e-mail, address) must still wait before trying again; 0 when it may try now."""
    now = time.time() if now is None else now
    waits = []
    for key in _keys(email, ip):
        state = cache.get(key)
        if state:
            waits.append(Throttle(*state).wait_seconds(now))
    return max(waits, default=0)


def login_failure_record(*, email: str, ip: str, now: float | None = None) -> int:
    """Count a failed login; returns the wait (seconds) now imposed on this (e-mail, address)."""
    now = time.time() if now is None else now
    pair_key, ip_key = _keys(email, ip)
    allowed = {pair_key: settings.LOGIN_FAILURES_ALLOWED, ip_key: settings.LOGIN_FAILURES_PER_IP_ALLOWED}
    wait = 0
    for key, limit in allowed.items():
        state = cache.get(key)
        failures = (state[0] if state else 0) + 1
        lock = _lock_seconds(failures, limit)
        cache.set(key, (failures, now + lock), timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS + lock)
        wait = max(wait, lock)
    return wait


def login_success_record(*, email: str, ip: str) -> None:
    cache.delete(_keys(email, ip)[0])


def wait_text(seconds: int) -> str:
    """ "45 secondes", "1 minute", "15 minutes": the wait rounded up for people."""
    if seconds < 60:
        return f"{seconds} seconde" + ("s" if seconds > 1 else "")
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" + ("s" if minutes > 1 else "")


def locked_message(seconds: int) -> str:
    return (
        "Trop de tentatives de connexion avec cette adresse e-mail. Pour protéger votre compte, "
        f"attendez {wait_text(seconds)} avant de réessayer, ou choisissez «\u00a0Mot de passe oublié\u00a0» "
        "pour choisir un nouveau mot de passe."
    )


def reset_mail_allowed(*, email: str) -> bool:
    """At most PASSWORD_RESET_MAILS_PER_HOUR reset e-mails per address per hour: the reset form cannot
    be used to flood someone's mailbox. Counted per address only (the form never reveals the result)."""
    key = _key("reset", email_normalize(email))
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        sent = 1
    return sent <= settings.PASSWORD_RESET_MAILS_PER_HOUR
