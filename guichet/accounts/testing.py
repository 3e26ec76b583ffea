"""Test helpers for two-factor authentication, loaded for the whole suite as a pytest plugin
(root conftest.py: `pytest_plugins = ["guichet.accounts.testing"]`).

Advisors and administrators cannot reach private pages until they confirm a second factor
(guichet.core.middleware.TwoFactorRequiredMiddleware). So that tests about other things can still use
`client.force_login(advisor)` and pytest-django's `admin_client`, this plugin makes `force_login` also mark
the session as verified with a confirmed TOTP device, as if the person had typed their code. Tests about
the enforcement itself request the `two_factor_enforced` fixture, which turns this off.

Browser journeys log in through the real form: create the device with `totp_device_confirmed(user)` and
type `totp_code(device)` on the verification page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

# Models are imported inside the functions: pytest loads this plugin before Django is set up.
_original_force_login = Client.force_login
_auto_verify = {"on": True}


def totp_device_confirmed(user: Any) -> Any:
    """A confirmed TOTP device for `user` (the one already there, or a new one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Application de test", confirmed=True)


def totp_code(device: Any, *, at: float | None = None) -> str:
    """The code the person's application shows now (or at `at`, a Unix time)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def login_with_second_factor(client: Client, user: Any) -> Any:
    """Log `user` in on `client` with a session already verified by a second factor."""
    _original_force_login(client, user)
    device = totp_device_confirmed(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def _force_login(self: Client, user: Any, backend: str | None = None) -> None:
    _original_force_login(self, user, backend)
    if _auto_verify["on"] and _needs_second_factor(user):
        login_with_second_factor(self, user)


def _needs_second_factor(user: Any) -> bool:
    from guichet.core.middleware import two_factor_required

    return two_factor_required(user)


@pytest.fixture(autouse=True)
def _second_factor_on_force_login() -> Iterator[None]:
    Client.force_login = _force_login
    yield
    Client.force_login = _original_force_login
    _auto_verify["on"] = True


@pytest.fixture
def two_factor_enforced() -> Iterator[None]:
    """`force_login` logs in with the password step only, as a real login before the code is typed."""
    _auto_verify["on"] = False
    yield
    _auto_verify["on"] = True
