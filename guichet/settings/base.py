"""Settings read from the environment, with safe defaults for a local run.

DATABASE_URL   unset: SQLite file var/guichet.sqlite3; postgres://... uses psycopg 3.
SECRET_KEY     unset: a random key kept in var/secret_key (local runs only).
DEBUG          false by default.
ALLOWED_HOSTS  comma-separated; 127.0.0.1,localhost by default.
EMAIL_URL      smtp://user:pass@host:587 in production; console by default.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(environ.Env().str("GUICHET_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(DEBUG=(bool, False))
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For gives the client address; empty: none.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_q",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",
    # Apps in dependency order: an app imports only from the apps above it.
    "guichet.core",
    "guichet.territory",
    "guichet.jobs",
    "guichet.accounts",
    "guichet.employers",
    "guichet.trainings",
    "guichet.offers",
    "guichet.candidates",
    "guichet.contracts",
    "guichet.matching",
    "guichet.aids",
    "guichet.support",
    "guichet.observatory",
    "guichet.api",
]

MIDDLEWARE = [
    # First: every later layer (throttling, rate limits, audit) reads the client's address, not the proxy's.
    "guichet.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so that static files carry these headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database down or restarting: 503 with Retry-After; disk full on upload: 507 (both in French). Before
    # the session, which reads the database.
    "guichet.core.middleware.OutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session expiry, then two-factor enforcement for advisors and administrators.
    "guichet.core.middleware.SessionExpiryMiddleware",
    "guichet.core.middleware.TwoFactorRequiredMiddleware",
    "guichet.core.middleware.PrivateNoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guichet.api.middleware.ApiJsonErrorsMiddleware",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds; 0 = one per request) are checked before reuse, so a restarted
# database costs the requests in flight (answered 503) and nothing after.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Lets guichet.core.db.prepared_cursor() prepare the hot search queries (the ORM's client-side cursors never
    # prepare). Set DATABASE_PREPARED_STATEMENTS=0 behind a pooler in transaction mode without prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"})
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_guichet.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (rate-limit counters...): per process by default; a shared one (e.g. dbcache:// or redis) in production.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Reference rows looked up by code for the API, and figures computed from reference data only
# (guichet.core.refcache): kept in each process's memory for this many seconds, whatever CACHE_URL says (a shared
# cache would cost the round trip the look-up saves).
REFERENCE_CACHE_SECONDS = env.int("REFERENCE_CACHE_SECONDS", default=300)
CACHES["reference"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "guichet-reference",
    "TIMEOUT": REFERENCE_CACHE_SECONDS,
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour; a reset link also stops working once used
# Sessions: closed after SESSION_IDLE_TIMEOUT without any request, and SESSION_COOKIE_AGE after the login
# whatever the activity (guichet.core.middleware.SessionExpiryMiddleware).
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling (guichet.accounts.throttling): after LOGIN_FAILURES_ALLOWED failures for one account
# from one address, that pair waits, longer at each new failure, up to LOGIN_LOCKOUT_MAX_SECONDS; the
# count is forgotten LOGIN_FAILURE_WINDOW_SECONDS after the last failure. Never a permanent lockout.
LOGIN_FAILURES_ALLOWED = 5
LOGIN_LOCKOUT_BASE_SECONDS = 60
LOGIN_LOCKOUT_MAX_SECONDS = 15 * 60
LOGIN_FAILURE_WINDOW_SECONDS = 60 * 60
# One address failing on many accounts (credential stuffing) waits too, whatever the account.
LOGIN_FAILURES_PER_IP_ALLOWED = 50
# Password-reset e-mails sent to one address per hour (the form cannot flood a mailbox).
PASSWORD_RESET_MAILS_PER_HOUR = 3

# Two-factor authentication (django-otp, TOTP + single-use recovery codes), required for these roles.
OTP_TOTP_ISSUER = "Guichet Apprentissage"
TWO_FACTOR_REQUIRED_ROLES = ["conseiller", "admin"]

# Content-Security-Policy (django-csp 4; Django 6.0 has it built in: switch when upgrading).
# No inline script or style, nothing from another origin, for every page including the Swagger UI of the
# API docs (django-ninja serves it from files, its settings in a JSON data block) and the admin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Written under a temporary name then linked: a full disk or a crash never leaves a half-written file.
    "default": {"BACKEND": "guichet.core.storage.AtomicFileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Guichet Apprentissage <ne-pas-repondre@guichet-apprentissage.example>"
)

# Background work: django-q2 with the ORM broker (works on SQLite and PostgreSQL, no extra server).
# A periodic job whose worker died this many times in a row during it is refused until re-armed in the admin
# (guichet.core.scheduling.run_periodic): django-q2 would hand it out again for ever.
PERIODIC_MAX_CRASHES = env.int("PERIODIC_MAX_CRASHES", default=3)
Q_CLUSTER = {
    "name": "guichet",
    "orm": "default",
    "workers": env.int("TASK_WORKERS", default=2),
    # A task still running after `timeout` is stopped; one not acknowledged (its worker crashed) is handed
    # out again after `retry` seconds (must stay above `timeout`, or a slow task would run twice).
    "timeout": env.int("TASK_TIMEOUT", default=60 * 30),
    "retry": env.int("TASK_RETRY", default=60 * 31),
    "max_attempts": 3,
    "catch_up": False,
    "label": "Tâches de fond",
    "sync": env.bool("TASKS_SYNC", default=False),
}

# Reference data shipped with the project (see data/reference/SOURCES.md).
REFERENCE_DATA_DIR = BASE_DIR / "data" / "reference"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Shows the "données de démonstration fictives" banner on every page (set by the demo command).
DEMO_BANNER = env.bool("DEMO_BANNER", default=False)
# Public address of the service, for links in e-mails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# E-mail address shown on the contact page (empty: the postal address only).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="")

# Offers and applications (rules in guichet/offers and guichet/candidates; read with these defaults there too).
OFFER_EXPIRY_DAYS = env.int("OFFER_EXPIRY_DAYS", default=60)  # a published offer not updated expires
OFFER_EXPIRY_NOTICE_DAYS = env.int("OFFER_EXPIRY_NOTICE_DAYS", default=7)  # the employer is told before
OFFER_PAUSE_PENDING_APPLICATIONS = env.int("OFFER_PAUSE_PENDING_APPLICATIONS", default=20)  # fairness pause
MATCHING_TRAINING_REACH_KM = env.int("MATCHING_TRAINING_REACH_KM", default=30)
# Employer silence, in working days: reminder, then escalation to an advisor, then closed "sans réponse".
APPLICATION_REMINDER_WORKING_DAYS = env.int("APPLICATION_REMINDER_WORKING_DAYS", default=5)
APPLICATION_ESCALATION_WORKING_DAYS = env.int("APPLICATION_ESCALATION_WORKING_DAYS", default=10)
APPLICATION_CLOSURE_WORKING_DAYS = env.int("APPLICATION_CLOSURE_WORKING_DAYS", default=15)
