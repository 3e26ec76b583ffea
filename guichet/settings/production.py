"""Production settings: HTTPS only, secure cookies, HSTS. Everything else comes from the environment.

Required: SECRET_KEY (50+ random characters), ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CACHE_URL (a cache
shared by the workers: login throttling and API rate limits count in it), EMAIL_URL.
Optional: CONN_MAX_AGE (seconds a worker keeps its database connection, 60 by default, checked before
each reuse), CSRF_TRUSTED_ORIGINS (defaults to https://<each allowed host>), SECURE_HSTS_SECONDS (one year
by default; start lower on a new domain), SECURE_SSL_REDIRECT (true; false only when the proxy redirects).
`DJANGO_SETTINGS_MODULE=guichet.settings.production manage.py check --deploy` must be clean
(tests/security/test_headers.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from guichet.settings.base import *  # noqa: F403
from guichet.settings.base import ALLOWED_HOSTS, DATABASES, DEBUG, env

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not env.str("SECRET_KEY", default=""):
    raise ImproperlyConfigured("Set SECRET_KEY (50+ random characters) in production.")

# Keep each worker's connection open between requests (checked before reuse: CONN_HEALTH_CHECKS in base).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The reverse proxy terminates TLS and says so in this header (it must strip it from client requests).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# "preload" in the header only allows submitting the domain to browsers' list (hstspreload.org), a separate step.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
# "__Host-" cookies are refused by browsers unless Secure, on the exact host and path "/".
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS])
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
