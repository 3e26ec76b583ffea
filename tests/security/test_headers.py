"""Security headers on real responses, the Content-Security-Policy, and `check --deploy` in production."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

STRICT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
PAGES = {
    "home": "/",
    "a form page": "/compte/connexion/",
    "the API": "/api/v1/diploma-levels",
    "a static file": "/static/css/guichet.css",
    # django-ninja's Swagger page keeps its settings in a JSON data block and runs swagger-ui-init.js
    # from a file: it works under the strict policy (tests/browser/test_accessibility.py loads it).
    "the API docs": "/api/v1/docs",
}


def csp_directives(header: str) -> dict[str, str]:
    return {
        name: value.strip()
        for name, _, value in (part.strip().partition(" ") for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_kind_of_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed from an open file
    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    for name, value in STRICT_CSP.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only_and_same_site(client):
    response = client.get("/compte/connexion/")
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=\s*[\"']", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on[:-]", re.IGNORECASE)


def test_no_template_holds_an_inline_script_style_or_event_handler():
    """The strict policy would block them in the browser: catch them here, with the file named."""
    offenders = []
    for template in sorted(Path(settings.BASE_DIR).glob("templates/**/*.html")) + sorted(
        Path(settings.BASE_DIR).glob("guichet/*/templates/**/*.html")
    ):
        text = template.read_text(encoding="utf-8")
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("inline style", INLINE_STYLE),
            ("event handler", EVENT_HANDLER),
            ("hx-on", HX_ON),
        ):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(settings.BASE_DIR)}: {name}")
    assert offenders == [], "Move scripts and styles to static files (strict CSP): " + ", ".join(offenders)


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "guichet.example",
        "GUICHET_VAR_DIR": str(tmp_path),
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the root conftest for Playwright only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings.production",
        "ALLOWED_HOSTS": "guichet.example",
        "GUICHET_VAR_DIR": str(tmp_path),
    }
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_cors_is_closed_the_api_grants_no_other_origin(client):
    response = client.get("/api/v1/diploma-levels", HTTP_ORIGIN="https://autre-site.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(
        "/api/v1/diploma-levels",
        HTTP_ORIGIN="https://autre-site.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in preflight


@pytest.mark.django_db
def test_pages_for_a_logged_in_person_are_never_stored_by_browsers_or_proxies(client):
    from guichet.accounts.tests.factories import UserFactory

    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(UserFactory())
    for path in ("/compte/profil/", "/", "/api/v1/diploma-levels"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], path
    export = client.get("/compte/mes-donnees/export/")
    assert "no-store" in export["Cache-Control"] or "no-cache" in export["Cache-Control"]
