"""Settings for yingshang, read from the environment.

SQLite under ``var/`` by default; PostgreSQL when ``DATABASE_URL`` points at one.
Production is ``DEBUG`` off: then ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must be given.
"""

import os
import sys
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("YINGSHANG_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off; anything else stops the start with the variable named."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is neither on (1, true, yes, on) nor off (0, false, no, off).")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("YINGSHANG_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789abcdef"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "yingshang.core.apps.LockoutsConfig",  # django-axes, named for the admin
    "yingshang.core",
    "yingshang.directory",
    "yingshang.credit",
    "yingshang.tickets",
    "yingshang.catalog",
    "yingshang.inspections",
    "yingshang.service",
    "yingshang.projects",
    "yingshang.chain",
    "yingshang.dashboard",
    "yingshang.portal",
    "yingshang.interop",
    "yingshang.demo",
]

MIDDLEWARE = [
    "yingshang.core.logs.RequestIdMiddleware",
    "yingshang.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "yingshang.core.middleware.HeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yingshang.core.language.LanguageMiddleware",  # after the user is known: their language is on their account
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "yingshang.core.middleware.InputMiddleware",
]

ROOT_URLCONF = "yingshang.urls"
WSGI_APPLICATION = "yingshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yingshang.core.context_processors.platform",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'yingshang.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    if not (TESTING or os.environ.get("DATABASE_URL")):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
elif int(os.environ.get("DB_POOL_MAX", "0") or 0) > 0:
    # A pool of connections per process (psycopg's): DB_POOL_MAX connections at most, kept open between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them, not Django
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "1")), "max_size": int(os.environ["DB_POOL_MAX"]),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache: Redis in production, local memory otherwise --------------------
# One server with one worker process may keep its cache in memory; several need the shared one (REDIS_URL).
SINGLE_SERVER = env_bool("SINGLE_SERVER", DEBUG or TESTING)
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- /metrics: who may read it (the monitoring network; comma-separated networks) ----------------------
METRICS_ALLOWED_NETWORKS = [n.strip() for n in os.environ.get("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
                            .split(",") if n.strip()]

# --- background jobs (core.jobs): Celery on Redis ---------------------------
# Without a broker the jobs run in the process after the commit that asked for them (development, tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# A ledger export of more rows than this is written in the background (core.exports), not inside the request.
EXPORT_DIRECT_ROWS = int(os.environ.get("EXPORT_DIRECT_ROWS", "5000"))
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "yingshang.core.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

# --- language and time --------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
# The zone (or city, or province) running the platform: its name as its officials write it, an English name,
# a short name, and the administrative division code (GB/T 2260) its firms' credit codes carry.
ZONE_NAME = os.environ.get("ZONE_NAME", "长春汽车经济技术开发区")
ZONE_NAME_EN = os.environ.get("ZONE_NAME_EN", "Changchun Automotive Economic and Technological Development Zone")
ZONE_SHORT_NAME = os.environ.get("ZONE_SHORT_NAME", "长春汽开区")
ZONE_REGION_CODE = os.environ.get("ZONE_REGION_CODE", "220174")
if not (len(ZONE_REGION_CODE) == 6 and ZONE_REGION_CODE.isdigit()):
    raise ImproperlyConfigured("ZONE_REGION_CODE is six digits (an administrative division code, e.g. 220174).")
# End of office hours: deadlines in working days fall at this time of day.
OFFICE_CLOSE = time.fromisoformat(os.environ.get("OFFICE_CLOSE", "17:30"))
# 容缺受理: working days a firm has to supply the materials accepted as missing (never beyond the committed limit).
CATALOG_TOLERANT_WORKDAYS = int(os.environ.get("CATALOG_TOLERANT_WORKDAYS", "5"))
# 好差评: a bad rating is called back within 1 working day and rectified within 15.
CATALOG_CALLBACK_WORKDAYS = int(os.environ.get("CATALOG_CALLBACK_WORKDAYS", "1"))
CATALOG_RECTIFY_WORKDAYS = int(os.environ.get("CATALOG_RECTIFY_WORKDAYS", "15"))
# A bundle's elapsed time is counted in working hours, from office opening to office close.
OFFICE_OPEN = time.fromisoformat(os.environ.get("OFFICE_OPEN", "08:30"))
# 双告知: registrations are recorded by this department; licensing departments claim them within 5 working days,
# and an unclaimed one goes to the leaders 3 working days after that.
CATALOG_REGISTRATION_DEPARTMENT = os.environ.get("CATALOG_REGISTRATION_DEPARTMENT", "market")
CATALOG_CLAIM_WORKDAYS = int(os.environ.get("CATALOG_CLAIM_WORKDAYS", "5"))
CATALOG_CLAIM_ESCALATE_WORKDAYS = int(os.environ.get("CATALOG_CLAIM_ESCALATE_WORKDAYS", "3"))
# The service hall's department: its general window (综合窗口) takes any application, it answers for the
# bundles and decides appeals against ratings (申诉复核).
CATALOG_HALL_DEPARTMENT = os.environ.get("CATALOG_HALL_DEPARTMENT", "gov-data")
# A "major" project (重大项目) invests at least this many yuan (the battle map shows those).
PROJECTS_MAJOR_THRESHOLD = int(os.environ.get("PROJECTS_MAJOR_THRESHOLD", "50000000"))
# The zone's areas for the maps (GeoJSON, WGS 84); empty: the schematic outline shipped with the platform.
ZONE_MAP_FILE = os.environ.get("ZONE_MAP_FILE", "")

# --- static files: everything served locally, nothing from the internet ------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files: the local folder MEDIA_ROOT by default; with several application servers, S3-compatible object
# storage (政务云 object storage, MinIO, …) shared by all of them. Its objects are private: a download is checked
# by the platform, then answered with a redirect to a signed address valid for STORAGE_S3_URL_SECONDS.
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "")
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_S3_BUCKET:
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": STORAGE_S3_BUCKET,
        "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT", "") or None,
        "region_name": os.environ.get("STORAGE_S3_REGION", "") or None,
        "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY", "") or None,
        "secret_key": os.environ.get("STORAGE_S3_SECRET_KEY", "") or None,
        "location": os.environ.get("STORAGE_S3_PREFIX", ""),
        "addressing_style": os.environ.get("STORAGE_S3_ADDRESSING", "path"),
        "signature_version": "s3v4",
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "querystring_expire": int(os.environ.get("STORAGE_S3_URL_SECONDS", "60")),
    }}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: each file at most MAX_UPLOAD_BYTES; one request (a problem with its photos) at most MAX_REQUEST_BYTES,
# which deploy/nginx.conf's client_max_body_size matches. Larger ones are refused with a clear message.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "yingshang.core.tokens.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["yingshang.core.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "yingshang.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "yingshang.core.api.exception_handler",
}
# An API token works this many days (its owner makes a new one; a password change or deactivation ends it).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
SPECTACULAR_SETTINGS = {
    "TITLE": "yingshang API",
    "DESCRIPTION": "营商 — enterprise service platform of a development zone.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CreditRecordKindEnum": "yingshang.credit.models.Kind",
        "CreditListKindEnum": "yingshang.credit.models.ListEntry.Kind",
        "ProjectSupplyEnum": "yingshang.projects.models.Supply",
        "ProjectKindEnum": "yingshang.projects.models.Kind",
        "ApplicationChannelEnum": "yingshang.catalog.models.Application.Channel",
        "TicketChannelEnum": "yingshang.tickets.models.Ticket.Channel",
        "RatingScoreEnum": "yingshang.catalog.models.Score",
        "ProjectLightEnum": "yingshang.projects.models.Light",
        "CockpitLightEnum": "yingshang.dashboard.figures.LIGHTS",
        "PolicyApplicationStatusEnum": "yingshang.service.models.Application.Status",
        "FinancingNeedStatusEnum": "yingshang.service.models.FinancingNeed.Status",
        "FinancingMatchStatusEnum": "yingshang.service.models.Match.Status",
        "SupplyStatusEnum": "yingshang.service.models.SupplyWatch.Status",
        "PolicyStatusEnum": "yingshang.service.models.Policy.Status",
        "TaskForceStatusEnum": "yingshang.service.models.TaskForce.Status",
    },
}

# --- security (production defaults; DEBUG turns the HTTPS ones off) ------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if (DEBUG or TESTING) else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is the deployer's decision (it is hard to undo); see docs/deploy.md.
    "security.W021",
]

# One JSON object per line with the request's id (core.logs) in production; plain lines while developing.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if (DEBUG or TESTING) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "yingshang.core.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "yingshang.core.logs.JsonFormatter"},
                   "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")

# --- notifications beyond the bell (core.channels) ------------------------------
# The platform's address as users reach it, for links in e-mail and chat messages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if (DEBUG or TESTING) else "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yingshang@localhost")
OPEN_DATA_EMAIL = os.environ.get("OPEN_DATA_EMAIL", "")  # the open data's contact (default: DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "465"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 10
else:  # no mail server configured: messages are written to files under var/mail
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"


def _channel(name: str, backend: str, url_var: str, **extra) -> dict:
    """A channel posts to its configured address; without one it is recorded in var/notify-<name>.log."""
    url = os.environ.get(url_var, "")
    if not url:
        return {"backend": "yingshang.core.channels.FileBackend"}
    return {"backend": backend, "url": url, **extra}


NOTIFY_CHANNELS = {
    "email": {"backend": "yingshang.core.channels.EmailBackend"},
    "sms": _channel("sms", "yingshang.core.channels.HttpSmsBackend", "NOTIFY_SMS_URL",
                    key=os.environ.get("NOTIFY_SMS_KEY", "")),
    "wecom": _channel("wecom", "yingshang.core.channels.WecomRobotBackend", "NOTIFY_WECOM_WEBHOOK"),
    "dingtalk": _channel("dingtalk", "yingshang.core.channels.DingtalkRobotBackend", "NOTIFY_DINGTALK_WEBHOOK",
                         secret=os.environ.get("NOTIFY_DINGTALK_SECRET", "")),
}

# Demo passwords are printed and accepted only when DEBUG is on.
DEMO_PASSWORD = "yingshang-demo"

if TESTING:
    # Fast hashing in tests only; production keeps Django's PBKDF2 default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
