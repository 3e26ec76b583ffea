"""The client's address behind a reverse proxy: taken from X-Forwarded-For only when the request comes from a
proxy listed in TRUSTED_PROXIES, and only up to the first address that is not a trusted proxy."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from guichet.core.middleware import TrustedProxyMiddleware, parse_trusted_proxies


def _seen_address(settings, trusted: list[str], remote: str, forwarded: str | None) -> str:
    settings.TRUSTED_PROXIES = trusted
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    TrustedProxyMiddleware(view)(RequestFactory().get("/", **extra))
    return seen["address"]


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # No trusted proxy configured (the default): the header is ignored, whoever sends it.
        ([], "10.0.0.2", "203.0.113.7", "10.0.0.2"),
        # From the trusted proxy: the client is the address the proxy appended.
        (["10.0.0.2"], "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        # A client forging the header: only the right-most untrusted address counts.
        (["10.0.0.2"], "10.0.0.2", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two proxies in a trusted network: skip both.
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9, 10.1.1.1", "198.51.100.9"),
        # Not from a trusted proxy: the header is ignored.
        (["10.0.0.2"], "192.0.2.1", "203.0.113.7", "192.0.2.1"),
        # A malformed entry stops the walk at the last good address.
        (["10.0.0.2"], "10.0.0.2", "203.0.113.7, pas-une-adresse", "10.0.0.2"),
        # No header from the proxy: the proxy's own address stays.
        (["10.0.0.2"], "10.0.0.2", None, "10.0.0.2"),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::2, 2a01:e0a::5", "2a01:e0a::5"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxy_only(settings, trusted, remote, forwarded, expected):
    assert _seen_address(settings, trusted, remote, forwarded) == expected


def test_a_bad_trusted_proxy_setting_is_refused_with_its_value():
    with pytest.raises(ValueError, match=re.escape("« proxy.local » n'est ni une adresse IP ni un réseau CIDR")):
        parse_trusted_proxies(["10.0.0.1", "proxy.local"])
