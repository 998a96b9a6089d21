"""Settings for every deployment, read from the environment (see docs/configuration.md)."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from clinic.redis_config import cache_from_redis_url
from clinic.storage_config import default_storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=1 generates one for development)."
        )
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "clinic.admin_apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_prometheus",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "corsheaders",
    "csp",
    "axes",
    "auditlog",
    "clinic",
    "clinics",
    "exercises",
    "prescriptions",
]

# django-prometheus's pair wraps everything else, so a request's latency and status are
# counted whatever answers it (metrics: clinic/metrics.py).
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "clinic.middleware.RequestIDMiddleware",
    "clinic.middleware.PrivateCacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.middleware.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "clinic.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "clinic.middleware.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinic.middleware.SessionIdleTimeoutMiddleware",
    "clinic.middleware.AdminQueryStringMiddleware",
    "clinic.middleware.DependencyUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clinic.audit.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"
ASGI_APPLICATION = "clinic.asgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite is the embedded default so a clinic can try the service with no database server.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new connection per request costs more than most requests' queries
# (PostgreSQL: ~7 ms). The health check replaces a connection the server closed meanwhile.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer's transaction pooling a server-side cursor (`.iterator()`) cannot live.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DB_DISABLE_SERVER_SIDE_CURSORS", default=False
)
# The planner's price of a random page read, for this app's PostgreSQL sessions. PostgreSQL's
# default (4) assumes spinning disks and made a common-word exercise search scan the whole
# catalogue rather than use its trigram indexes (7.9 ms against 1.2 ms at 5,000 exercises).
# Empty: keep the server's setting, e.g. behind PgBouncer, which refuses startup options it
# does not track (docs/operations.md, "SQLite or PostgreSQL").
random_page_cost = env.str("DB_RANDOM_PAGE_COST", default="1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and random_page_cost:
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(
        filter(None, [options.get("options"), f"-c random_page_cost={float(random_page_cost)}"])
    )
# PostgreSQL: the server binds the parameters, and a statement run 5 times on a connection
# (psycopg's threshold) is prepared there, so the server parses and plans a request's queries
# once per connection instead of on every request (the server's CPU per prescription detail
# under load: 2.8 -> 1.4 ms). Behind PgBouncer's transaction pooling, prepared statements need
# PgBouncer 1.21+ with max_prepared_statements set, or DB_PREPARED_STATEMENTS=0.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A transaction takes the write lock when it begins, so it waits for the writer
            # before it (up to the busy timeout) instead of failing at once with "database is
            # locked" when a transaction that started by reading tries to write.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL: readers never wait for the writer; NORMAL syncs at checkpoints, not at every
            # commit (a power cut can lose the last commits, never corrupt the file).
            # secure_delete: a row's old bytes (an erased patient's name) are overwritten with
            # zeros when it changes or goes, not left in free space in the file.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
        }
    )
# The same database backends, wrapped by django-prometheus to count queries and errors.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends.", 1
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (DRF throttles) live in the cache, so every worker must share it or a client
# gets the limit once per worker. Default: files under var/cache, shared by the workers of one
# machine with no database write per request. Several servers: REDIS_URL (Django's Redis
# backend; `pip install .[redis]`; checked by clinic/redis_config.py). MAX_ENTRIES far above Django's 300 so throttle keys are
# not culled (a cull forgets a client's count).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": cache_from_redis_url(REDIS_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "clinic.cache.FileCache",
            "LOCATION": env.path("CACHE_DIR", default=BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=100_000)},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages offered (handouts, the API, the admin): codes Django knows, from the
# environment, so a clinic adds one with a .po file and this list, no code (docs/languages.md).
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
_language_codes = env.list("LANGUAGES", default=["en", "es", "ar"])
if unknown := [code for code in _language_codes if code not in LANG_INFO]:
    raise ImproperlyConfigured(f"LANGUAGES: Django knows no language {', '.join(unknown)}.")
LANGUAGES = [(code, LANG_INFO[code]["name"]) for code in _language_codes]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not one of LANGUAGES.")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Media hold patients' handouts: readable by the service's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Empty: the media folder above. Several servers: an S3-compatible bucket (docs/storage.md).
STORAGE_URL = env.str("STORAGE_URL", default="")
STORAGES = {
    "default": default_storage_from_url(STORAGE_URL, os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS: on by default in production; FORCE_HTTPS=0 serves plain HTTP (loopback, test servers).
FORCE_HTTPS = env.bool("FORCE_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = FORCE_HTTPS
SESSION_COOKIE_SECURE = FORCE_HTTPS
CSRF_COOKIE_SECURE = FORCE_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if FORCE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = FORCE_HTTPS
# The TLS-terminating proxy must set this header and strip it from client requests.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^(healthz|livez|readyz)$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Preload is a one-way commitment of the whole domain; each clinic decides that for itself.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Admin and browsable-API sessions end after this much time without a request.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=15))
SESSION_COOKIE_AGE = 12 * 3600

# Trusted proxies: how many proxies in front of the app append to X-Forwarded-For.
# 0 means the connection's address is the client's; never the first (client-chosen) entry.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=1024 * 1024)
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 64 * 1024

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = [
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
    "idempotency-key",
    "accept",
    "x-request-id",
]
CORS_EXPOSE_HEADERS = ["ETag", "Content-Disposition", "Location", "Retry-After", "X-Request-ID"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

TOKEN_TTL_HOURS = env.int("TOKEN_TTL_HOURS", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clinic.api.authentication.BearerOrTokenAuthentication",
        "clinic.api.authentication.ClinicLanguageSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "clinic.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "clinic.api.filters.DjangoFilterBackend",
        "clinic.api.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": ["clinic.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "clinic.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "clinic.api.throttling.UserRateThrottle",
        "clinic.api.throttling.AnonRateThrottle",
        "clinic.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("THROTTLE_USER_RATE", default="2000/hour"),
        "anon": env.str("THROTTLE_ANON_RATE", default="200/hour"),
        "handout": env.str("THROTTLE_HANDOUT_RATE", default="600/hour"),
        "login": env.str("THROTTLE_LOGIN_RATE", default="30/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "clinic.api.exceptions.ExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    # The schema documents each of these where it applies (clinic.api.schema.AutoSchema).
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "412",
        "413",
        "415",
        "428",
        "429",
        "500",
        "503",
    ],
}

API_TAGS = {
    "auth": "Sign in for an API token, sign out.",
    "me": "The signed-in user, their clinic and roles.",
    "exercises": "The shared exercise catalogue: steps, doses, cautions, pictures.",
    "conditions": "Conditions (sciatica, ...) and the cautions they bring to exercises.",
    "assessments": "Flexibility self-tests and clinician tests.",
    "safety-notes": "Safety content printed on every handout, by tier.",
    "patients": "The clinic's patients: archived, never deleted.",
    "prescriptions": "Prescriptions: drafts, warnings, issuing, revising, voiding, handouts.",
    "templates": "The clinic's reusable programmes of exercises.",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic exercise prescriptions API",
    "DESCRIPTION": (
        "Exercise catalogue, patients, prescriptions and printable handouts.\n\n"
        "Sign in with `POST /api/v1/auth/token/` and send `Authorization: Bearer <token>`. "
        "Records answer an `ETag` covering everything they show (a prescription's warnings "
        "too): send it back in `If-Match` to change a record only if what you read is still "
        "current (412 otherwise; issuing a prescription requires it: 428 without), or in "
        "`If-None-Match` to read it only if it changed (304 otherwise). Creates accept an "
        "`Idempotency-Key`: a retry with the same key answers the first answer again. Unknown "
        "query parameters answer 400. Errors have one shape: "
        "`{type, errors: [{code, detail, attr}]}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Nullable choices as the choice's enum with null allowed, not oneOf [XEnum, NullEnum]:
    # several client generators fail on that oneOf.
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
    "TAGS": [{"name": name, "description": text} for name, text in API_TAGS.items()],
    "ENUM_NAME_OVERRIDES": {
        "ExerciseStatusEnum": "exercises.models.Status",
        "PrescriptionStatusEnum": "prescriptions.models.PrescriptionStatus",
        "CautionSeverityEnum": "exercises.models.Severity",
        "WarningSeverityEnum": "prescriptions.rules.WarningSeverity",
        "LanguageEnum": "clinic.settings.base.LANGUAGES",
        "SideEnum": "exercises.dose.Side",
        "PaperSizeEnum": "clinics.models.PaperSize",
        "DoseFieldEnum": "exercises.dose.DOSE_FIELD_NAMES",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
    },
}

# Brute-force lockout: per account *and* address, never by address alone or forever.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clinic.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clinic.net.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "token"]

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# /metrics (Prometheus) answers a bearer METRICS_TOKEN or a client in these networks only.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network)
    for network in env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
]

# LOG_FORMAT=json: one JSON object a line (time, level, logger, request id, message).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
if LOG_FORMAT == "json":
    LOGGING_CONFIG = "clinic.log_format.configure_json_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "clinic.request_ids.RequestIDLogFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "clinic.log_format.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
