"""Settings shared by every environment. Each environment module reads the rest from the env."""

import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "accounts",
    "documents",
    "partnerships",
    "clts",
    "schemes",
    "home",
    "api",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SignInPausedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.tenancy",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
# One backend checks passwords (allauth's, a ModelBackend that signs in by email): a wrong
# password costs one hash like a right one, and an unknown address one too (no timing tells them
# apart). Two password backends hashed twice for a wrong password (issue 18.1).
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Django's admin sees every umbrella: in production only superusers who use two-factor enter.
ADMIN_REQUIRES_TOTP = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- allauth: email login, verified addresses, no open sign-up (people join by invitation) ---
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    name: f"accounts.allauth_forms.{cls}"
    for name, cls in {
        "login": "LoginForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "add_email": "AddEmailForm",
    }.items()
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Fieldgate] "
# A failed login counts against the address it came from (the 6th in a minute is refused) and,
# more loosely, against the account, so an attacker elsewhere cannot lock the real user out.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/m/ip,20/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Fieldgate"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# --- sessions: idle timeout ---
# A signed-in request pushes the expiry on (accounts.middleware.IdleSessionMiddleware), saving the
# session at most once per SESSION_TOUCH_SECONDS: the hour is then an hour give or take a minute,
# and a page costs no write to the session store while someone reads on.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", str(60 * 60)))
SESSION_TOUCH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- security headers ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Private files (statements, nomination lists, uploads): never under STATIC or a public URL;
# they are served only through views that check access.
PRIVATE_FILES_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Fieldgate <no-reply@fieldgate.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INVITATION_VALID_DAYS = int(env("INVITATION_VALID_DAYS", "14"))

# --- the read-only API (api/): JSON only, a person's bearer token, errors as {"detail": ...} ---
API_RATE_PER_PERSON = env("API_RATE_PER_PERSON", "600/min")  # DRF's form: requests/second, minute, hour or day
API_RATE_PER_ADDRESS = env("API_RATE_PER_ADDRESS", "120/min")


def _rate_in_words(rate: str) -> str:
    count, per = rate.split("/")
    unit = {"s": "second", "m": "minute", "h": "hour", "d": "day"}[per[0]]
    return f"{count} requests {'an' if unit == 'hour' else 'a'} {unit}"


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonOnly",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PersonRateThrottle", "api.throttling.AddressRateThrottle"],
    # Per person (any of their tokens), and per address for requests with no token (api/throttling.py).
    "DEFAULT_THROTTLE_RATES": {
        "user": API_RATE_PER_PERSON,
        "anon": API_RATE_PER_ADDRESS,
    },
    # The client's address is the peer's unless production trusts its proxies (TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": 0,
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fieldgate API",
    "DESCRIPTION": (
        "Read-only JSON for umbrella staff and housing association teams: what their pages show, "
        "through the same access. Make a token on your profile page and send it as "
        "`Authorization: Bearer <token>`. Money is a string of pounds with two decimals. "
        f"Each person may make {_rate_in_words(API_RATE_PER_PERSON)}, and each address "
        f"{_rate_in_words(API_RATE_PER_ADDRESS)} without a token; past that the answer is 429, with Retry-After."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_error_responses"],
}

# --- Celery ---
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
# A document (statement, case study, nomination list, export) unfinished for longer than this is
# taken to have lost its worker and is queued again (core.documents): more than the time limit, so
# a render still running is never taken over.
DOCUMENT_STALE_AFTER_SECONDS = CELERY_TASK_TIME_LIMIT + 60
# Redis hands a task that was taken but never acknowledged (its worker was killed) to another
# worker after this long: just after such a document turns stale, not after Redis's default hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": DOCUMENT_STALE_AFTER_SECONDS + 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
#: A list's CSV of more rows than this is written by a task into private storage (accounts.Export)
#: and fetched from its page, rather than streamed while the person waits.
CSV_INLINE_ROWS = int(env("CSV_INLINE_ROWS", "5000"))
# Uploaded papers (documents app): at most this size each. No uploaded file is kept beyond
# FILE_UPLOAD_MAX_BYTES (core.uploads.CappedUploadHandler): it arrives empty, marked too large.
DOCUMENT_MAX_BYTES = int(env("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_MAX_BYTES = max(DOCUMENT_MAX_BYTES, int(env("FILE_UPLOAD_MAX_BYTES", "0")))
FILE_UPLOAD_HANDLERS = ["core.uploads.CappedUploadHandler"]
# CSV imports (core.csvimport): a file of at most CSV_IMPORT_MAX_BYTES and CSV_IMPORT_MAX_ROWS rows,
# read a line at a time, header first; at most CSV_IMPORT_MAX_LISTED problems are listed (the rest
# counted). One over CSV_IMPORT_INLINE_BYTES is imported by a task (accounts.ImportJob), which
# shows how far it has got every CSV_IMPORT_PROGRESS_EVERY rows.
CSV_IMPORT_MAX_BYTES = int(env("CSV_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
CSV_IMPORT_MAX_ROWS = int(env("CSV_IMPORT_MAX_ROWS", "50000"))
CSV_IMPORT_MAX_LISTED = 50
CSV_IMPORT_INLINE_BYTES = int(env("CSV_IMPORT_INLINE_BYTES", str(200 * 1024)))
CSV_IMPORT_PROGRESS_EVERY = 500

#: Redis as the cache (core.cache.RedisCache): a Redis that does not answer is given up on quickly,
#: and the page is drawn without it.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

CELERY_BEAT_MAX_LOOP_INTERVAL = int(timedelta(minutes=5).total_seconds())

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
STATEMENT_RETRY_BASE_SECONDS = int(env("STATEMENT_RETRY_BASE_SECONDS", "10"))
CELERY_BEAT_SCHEDULE = {
    "revive-stale-documents": {
        "task": "home.revive_stale_documents",
        # Every two minutes: documents whose worker died, or whose message was lost, are queued again.
        "schedule": timedelta(minutes=2),
    },
    "draft-monthly-statements": {
        "task": "partnerships.tasks.draft_monthly_statements",
        # 06:00 on the first of each month: draft last month's statements for review.
        "schedule": crontab(minute=0, hour=6, day_of_month="1"),
    },
    "send-reminders": {
        "task": "home.send_reminders",
        # 07:00 every day: each person's reminders (daily, or on Mondays for a weekly digest).
        "schedule": crontab(minute=0, hour=7),
    },
    "erase-expired-applicants": {
        "task": "schemes.erase_expired_applicants",
        # 02:30 every day: the retention rule for applicants not housed (per umbrella).
        "schedule": crontab(minute=30, hour=2),
    },
}
