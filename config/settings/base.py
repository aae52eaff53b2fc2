"""Mboa settings, read from the environment.

With nothing set, Mboa runs on a SQLite file under ``var/`` with a development key
generated once into ``var/secret_key``. Production sets ``DJANGO_ENV=production``,
``SECRET_KEY``, ``DATABASE_URL``, ``ALLOWED_HOSTS`` and ``REDIS_URL`` (see README).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MBOA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        # A weak key lets anyone forge sessions and password-reset links: production refuses
        # to start on one (Django's own rule: 50 characters or more, 5 different at least).
        if PRODUCTION and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")):
            raise RuntimeError("SECRET_KEY is too weak for production: use 50 random characters or more "
                               "(python -c 'import secrets; print(secrets.token_urlsafe(50))')")
        return key
    if PRODUCTION:
        # Production secrets have no default: refuse to start rather than run on a known key.
        raise RuntimeError("SECRET_KEY must be set when DJANGO_ENV=production")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_htmx",
    "mboa.core",
    "mboa.accounts",
    "mboa.actors",
    "mboa.governance",
    "mboa.notifications",
    "mboa.registry",
    "mboa.cases",
    "mboa.projects",
    "mboa.reception",
    "mboa.referrals",
    "mboa.monitoring",
    "mboa.statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mboa.core.middleware.RejectNulMiddleware",
    "mboa.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mboa.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mboa.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'mboa.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the embedded database usable by the web server and an
    # eager task at the same time.
    # IMMEDIATE transactions take the write lock when they begin: a second writer waits
    # (up to the timeout) instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The registry's covering index (INCLUDE columns) only matters on PostgreSQL; SQLite
    # builds it without them, which is fine for the embedded default.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Per-address and global limits on failed sign-ins (MBOA["LOGIN_LIMITS"]), before axes'
    # per-(username, address) lock-out.
    "mboa.accounts.login_limits.LoginLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: 5 failures lock the (username, client address) pair for 30 minutes.
# Behind a reverse proxy, set MBOA_TRUSTED_PROXY_COUNT (how many proxies add themselves to
# X-Forwarded-For): the client's own address is then read from that header, so one person
# cannot lock another out by failing with their username from elsewhere. Without it, the
# address is the connection's (REMOTE_ADDR) and X-Forwarded-For is ignored (it can be forged).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/pages/locked_out.html"
# The Django admin's history pages show past versions but cannot "revert" to them: a revert
# would write a record without its service's rules (e.g. an account's structure).
SIMPLE_HISTORY_REVERT_DISABLED = True
MBOA_TRUSTED_PROXY_COUNT = int(os.environ.get("MBOA_TRUSTED_PROXY_COUNT", "0"))
# The client's address for axes and the sign-in limits, read as the API's throttles read it
# (django-ipware is not installed, so axes' AXES_IPWARE_* settings would do nothing).
AXES_CLIENT_IP_CALLABLE = "mboa.accounts.login_limits.client_address"

# Shared cache (login and API rate limits are counted here): Redis in production, so that
# every worker process counts together; memory of the process otherwise.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache",
         "LOCATION": os.environ.get("CACHE_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))}
        if PRODUCTION or os.environ.get("CACHE_URL") else
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mboa"}
    )
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Douala")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
# Embedded default and unit tests run tasks eagerly (in process); production sets
# CELERY_TASK_ALWAYS_EAGER=false and runs a worker (see README).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not PRODUCTION)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    # Development: messages are written to files under var/mail/ (read them there).
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mboa <mboa@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    # Personal tokens (stored hashed, mboa.accounts.authentication) first: an API call
    # without valid credentials is answered 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mboa.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Rules named per action in each view (RulePermission); signed-in users only.
    "DEFAULT_PERMISSION_CLASSES": ["mboa.core.api_permissions.RulePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "mboa.core.api.NulSafeMultiPartParser",
    ],
    "EXCEPTION_HANDLER": "mboa.core.api.exception_handler",
    # Rates per user (and per address when signed out); "token" is the login endpoint.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("MBOA_API_RATE_ANON", "60/minute"),
        "user": os.environ.get("MBOA_API_RATE_USER", "600/minute"),
        "token": os.environ.get("MBOA_API_RATE_TOKEN", "10/minute"),
    },
    # Behind the reverse proxy, the client's address for the anonymous limits.
    "NUM_PROXIES": int(os.environ.get("MBOA_TRUSTED_PROXY_COUNT", "0")) or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mboa API",
    "DESCRIPTION": "Return and reintegration of migrants: structures, bodies, people and their cases.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the JSON errors it can answer (400, 401, 403, 404, 413, 415, 429).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "mboa.core.api_schema.document_error_answers"],
    "ENUM_NAME_OVERRIDES": {
        "StructureKindEnum": "mboa.actors.models.StructureKind",
        "BodyKindEnum": "mboa.governance.models.BodyKind",
        "MemberRoleEnum": "mboa.governance.models.MemberRole",
    },
}

# Browser features no page of Mboa uses are switched off (Permissions-Policy header).
MBOA_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), "
    "interest-cohort=()"
)
# Content-Security-Policy: everything from Mboa itself (assets are served locally), no inline
# script or style, no framing, forms post only to Mboa.
MBOA_CONTENT_SECURITY_POLICY = os.environ.get("MBOA_CONTENT_SECURITY_POLICY", (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}

# --- Domain settings (rules that are settings, not literals in code) -------------------
MBOA = {
    # Structures whose staff may read health details (codes of actors.Structure).
    "HEALTH_STRUCTURES": env_list("MBOA_HEALTH_STRUCTURES", "MINSANTE"),
    # Uploaded documents (minutes, agreements...): larger files are refused.
    "UPLOAD_MAX_BYTES": int(os.environ.get("MBOA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
    # Personal API tokens stop working this many days after they were created; a user holds
    # at most this many working tokens (a new one beyond revokes the oldest).
    "API_TOKEN_DAYS": int(os.environ.get("MBOA_API_TOKEN_DAYS", "90")),
    "API_TOKENS_PER_USER": int(os.environ.get("MBOA_API_TOKENS_PER_USER", "5")),
    # Failed sign-ins (page and token endpoint) counted in the shared cache per window of
    # WINDOW_SECONDS: from one client address (password spraying over many usernames) and
    # from everywhere together (a spray spread over many addresses). At the limit, sign-in
    # is refused until the window ends. Axes keeps its own per-(username, address) lock-out.
    "LOGIN_LIMITS": {
        "WINDOW_SECONDS": int(os.environ.get("MBOA_LOGIN_WINDOW_SECONDS", "900")),
        "PER_ADDRESS": int(os.environ.get("MBOA_LOGIN_FAILURES_PER_ADDRESS", "20")),
        "GLOBAL": int(os.environ.get("MBOA_LOGIN_FAILURES_GLOBAL", "500")),
    },
}

# Registry: identity matching thresholds (scores in [0, 1], see docs/registry.md).
MBOA_REGISTRY = {
    # At or above: "probably the same person" (registration asks to confirm; match_records default).
    "MATCH_THRESHOLD": float(os.environ.get("MBOA_REGISTRY_MATCH_THRESHOLD", "0.9")),
    # At or above: a possible duplicate, shown and sent to the review queue.
    "REVIEW_THRESHOLD": float(os.environ.get("MBOA_REGISTRY_REVIEW_THRESHOLD", "0.5")),
    # People scored per candidate, among those sharing the most blocking keys with it.
    "CANDIDATES_SCORED": int(os.environ.get("MBOA_REGISTRY_CANDIDATES_SCORED", "40")),
    # Least summed weight of the blocking keys two records share for the pair to be scored.
    "MIN_KEY_WEIGHT": int(os.environ.get("MBOA_REGISTRY_MIN_KEY_WEIGHT", "3")),
    # Blocking keys shared by more records than this are ignored (too common to help).
    "MAX_BLOCK_SIZE": int(os.environ.get("MBOA_REGISTRY_MAX_BLOCK_SIZE", "200")),
    # "Find a returnee" (counsellors, beyond their cases): searches a user may make in an hour.
    "FIND_SEARCHES_PER_HOUR": int(os.environ.get("MBOA_REGISTRY_FIND_SEARCHES_PER_HOUR", "20")),
}

# --- Governance: commitment follow-up and escalation -------------------------
MBOA_GOVERNANCE = {
    "REMINDER_DAYS_BEFORE": int(os.environ.get("MBOA_COMMITMENT_REMINDER_DAYS_BEFORE", "7")),
    "LATE_REMINDER_DAYS_AFTER": int(os.environ.get("MBOA_COMMITMENT_LATE_REMINDER_DAYS_AFTER", "1")),
    "AGENDA_DAYS_AFTER": int(os.environ.get("MBOA_COMMITMENT_AGENDA_DAYS_AFTER", "7")),
    "CO_CHAIRS_DAYS_AFTER": int(os.environ.get("MBOA_COMMITMENT_CO_CHAIRS_DAYS_AFTER", "30")),
}

# --- Notifications: one outbox, channel backends chosen here ------------------
# SMS and WhatsApp go through an HTTP gateway when its URL is set; otherwise (development,
# tests) a backend that stores the messages in memory and logs them.
_SMS_GATEWAY_URL = os.environ.get("MBOA_SMS_GATEWAY_URL", "")
_WHATSAPP_GATEWAY_URL = os.environ.get("MBOA_WHATSAPP_GATEWAY_URL", _SMS_GATEWAY_URL)
MBOA_NOTIFICATIONS = {
    "BACKENDS": {
        "email": {"BACKEND": "mboa.notifications.backends.EmailBackend"},
        "sms": (
            {"BACKEND": "mboa.notifications.backends.HttpGatewayBackend", "URL": _SMS_GATEWAY_URL,
             "TOKEN": os.environ.get("MBOA_SMS_GATEWAY_TOKEN", ""), "SENDER": "Mboa"}
            if _SMS_GATEWAY_URL else {"BACKEND": "mboa.notifications.backends.StoreBackend"}
        ),
        "whatsapp": (
            {"BACKEND": "mboa.notifications.backends.HttpGatewayBackend", "URL": _WHATSAPP_GATEWAY_URL,
             "TOKEN": os.environ.get("MBOA_WHATSAPP_GATEWAY_TOKEN", ""), "SENDER": "Mboa"}
            if _WHATSAPP_GATEWAY_URL else {"BACKEND": "mboa.notifications.backends.StoreBackend"}
        ),
    },
    "MAX_ATTEMPTS": int(os.environ.get("MBOA_NOTIFY_MAX_ATTEMPTS", "6")),
    "BACKOFF_SECONDS": int(os.environ.get("MBOA_NOTIFY_BACKOFF_SECONDS", "60")),
    "BACKOFF_MAX_SECONDS": int(os.environ.get("MBOA_NOTIFY_BACKOFF_MAX_SECONDS", str(6 * 3600))),
    # A message claimed by a worker that died is sent again after this lease.
    "LEASE_SECONDS": int(os.environ.get("MBOA_NOTIFY_LEASE_SECONDS", "300")),
}

# API schema: name the governance and notifications choice sets (several fields are "kind"/"status").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "MeetingKindEnum": "mboa.governance.models.MeetingKind",
    "MeetingStatusEnum": "mboa.governance.models.MeetingStatus",
    "DecisionKindEnum": "mboa.governance.models.DecisionKind",
    "FollowUpStatusEnum": "mboa.governance.models.FollowUpStatus",
    "CommitmentStatusEnum": "mboa.governance.models.CommitmentStatus",
    "AttendanceEnum": "mboa.governance.models.Attendance",
    "MessageChannelEnum": "mboa.notifications.models.Channel",
    "MessageStatusEnum": "mboa.notifications.models.MessageStatus",
})

# Celery beat (``make beat``): outbox sweeper, commitment escalation, briefing packs.
CELERY_BEAT_SCHEDULE = {
    "notifications-send-due": {"task": "notifications.send_due", "schedule": 60.0},
    "governance-escalate-commitments": {"task": "governance.escalate_commitments", "schedule": 3600.0},
    "governance-prepare-briefing-packs": {"task": "governance.prepare_briefing_packs", "schedule": 3600.0},
}

# --- Reception at arrival (docs/reception.md) ---
MBOA_RECEPTION = {
    # A charter, or an arrival of more than this many expected people, mobilises the GTA.
    "GTA_THRESHOLD": int(os.environ.get("MBOA_RECEPTION_GTA_THRESHOLD", "10")),
    # Default pocket money per eligible returnee (XAF); each arrival sets its own amount.
    "POCKET_MONEY_XAF": int(os.environ.get("MBOA_RECEPTION_POCKET_MONEY_XAF", "65000")),
    # Manifest uploads: larger files or longer lists are refused before reading them.
    "MANIFEST_MAX_BYTES": int(os.environ.get("MBOA_RECEPTION_MANIFEST_MAX_BYTES", str(5 * 1024 * 1024))),
    "MANIFEST_MAX_ROWS": int(os.environ.get("MBOA_RECEPTION_MANIFEST_MAX_ROWS", "2000")),
    # Who records each reception step: structure codes (OIM staff need the case manager role;
    # DGSN's police formalities are recorded only by DGSN and IOM case managers).
    "STEP_STRUCTURES": {
        "police": ["DGSN", "OIM"],
        "registration": ["MINJEC", "OIM"],
        "medical": ["MINSANTE"],
        "interview": ["MINAS", "OIM"],
        "information": ["MINJEC", "OIM"],
        "pocket_money": ["OIM"],
        "meal": ["MINAT", "OIM"],
        "accommodation": ["OIM"],
        "onward_travel": ["OIM"],
    },
    # Structures whose focal points see the whole GTA board (the others see their own tasks).
    "BOARD_STRUCTURES": env_list("MBOA_RECEPTION_BOARD_STRUCTURES", "OIM,MINREX"),
    # Structures told at once when a returnee is flagged urgent at arrival.
    "URGENT_NOTIFY_STRUCTURES": env_list("MBOA_RECEPTION_URGENT_NOTIFY_STRUCTURES", "MINSANTE"),
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "ArrivalKindEnum": "mboa.reception.models.ArrivalKind",
    "ArrivalStatusEnum": "mboa.reception.models.ArrivalStatus",
    "EntryPointEnum": "mboa.reception.models.EntryPoint",
    "GtaTaskStatusEnum": "mboa.reception.models.TaskStatus",
    "ManifestStatusEnum": "mboa.reception.models.ManifestStatus",
    "ReturneeMatchStatusEnum": "mboa.reception.models.MatchStatus",
    "ReceptionStepEnum": "mboa.reception.models.StepCode",
    "NationalityCheckEnum": "mboa.reception.models.NationalityCheck",
    "VulnerabilityEnum": "mboa.core.vocabulary.Vulnerability",
})

# --- Referrals and agreements (docs/referrals.md) ---
MBOA_REFERRALS = {
    # Service-level targets per service code, in days from sending (acknowledge, accept) and
    # from acceptance (deliver). "default" applies to services not listed.
    "SLA": {
        "default": {"acknowledge_days": 2, "accept_days": 5, "deliver_days": 30},
        "medical_care": {"acknowledge_days": 1, "accept_days": 2, "deliver_days": 14},
        "psychosocial_support": {"acknowledge_days": 2, "accept_days": 4, "deliver_days": 30},
        "legal_aid": {"acknowledge_days": 3, "accept_days": 7, "deliver_days": 60},
        "vocational_training": {"acknowledge_days": 3, "accept_days": 10, "deliver_days": 90},
    },
    # An urgent referral must be acknowledged within this many hours, whatever the service.
    "URGENT_ACKNOWLEDGE_HOURS": float(os.environ.get("MBOA_REFERRALS_URGENT_ACK_HOURS", "4")),
    # A waiting referral's focal points are reminded at most once every this many days.
    "REMINDER_EVERY_DAYS": float(os.environ.get("MBOA_REFERRALS_REMINDER_EVERY_DAYS", "2")),
    # The party holding an agreement's ball is reminded after this many days, then as often.
    "AGREEMENT_REMINDER_DAYS": int(os.environ.get("MBOA_AGREEMENT_REMINDER_DAYS", "14")),
    # An agreement waiting on its structure longer than this is listed for the steering committee.
    "AGREEMENT_ESCALATION_DAYS": int(os.environ.get("MBOA_AGREEMENT_ESCALATION_DAYS", "30")),
    # Bodies whose next meeting lists overdue referrals and escalated agreements.
    "OVERDUE_BODY": "GTR",
    "ESCALATION_BODY": "COPIL",
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "ReferralStatusEnum": "mboa.referrals.models.ReferralStatus",
    "AgreementStatusEnum": "mboa.referrals.models.AgreementStatus",
    "AgreementKindEnum": "mboa.referrals.models.AgreementKind",
    "ServicePointKindEnum": "mboa.referrals.models.ServicePointKind",
    "BallWithEnum": "mboa.referrals.models.Party",
    "UrgencyEnum": "mboa.referrals.models.Urgency",
    "SharedPartEnum": "mboa.referrals.models.SharedPart",
})
CELERY_BEAT_SCHEDULE["referrals-send-reminders"] = {"task": "referrals.send_reminders", "schedule": 3600.0}

# --- Cases: counsellors, consent, niche map, trainings ---------------------------
MBOA_CASES = {
    # Structures whose focal points (and insertion counsellors) keep the regional niche map.
    "NICHE_EDITOR_STRUCTURES": env_list("MBOA_CASES_NICHE_EDITORS", "FNE,MINJEC"),
    # Structures that run trainings (offers, attendance, completion).
    "TRAINING_STRUCTURES": env_list("MBOA_CASES_TRAINING_STRUCTURES", "MINEFOP"),
    # The structure that owns cases opened by non-IOM staff (reception hand-over).
    "HOME_STRUCTURE": os.environ.get("MBOA_CASES_HOME_STRUCTURE", "OIM"),
    "CASE_NUMBER_PREFIX": os.environ.get("MBOA_CASES_NUMBER_PREFIX", "CM"),
    # Appointment reminders go this many hours ahead.
    "REMINDER_HOURS_BEFORE": int(os.environ.get("MBOA_CASES_REMINDER_HOURS_BEFORE", "24")),
    # Niche-map imports: larger files or longer sheets are refused before reading them.
    "NICHE_IMPORT_MAX_BYTES": int(os.environ.get("MBOA_CASES_NICHE_IMPORT_MAX_BYTES", str(2 * 1024 * 1024))),
    "NICHE_IMPORT_MAX_ROWS": int(os.environ.get("MBOA_CASES_NICHE_IMPORT_MAX_ROWS", "2000")),
    # Follow-up visits of a returnee this many months after their case was closed
    # (planned by the projects app, docs/followup.md).
    "FOLLOWUP_MONTHS_AFTER_CLOSURE": env_list("MBOA_CASES_FOLLOWUP_MONTHS_AFTER_CLOSURE", "3,6"),
}
CELERY_BEAT_SCHEDULE["cases-appointment-reminders"] = {"task": "cases.send_appointment_reminders", "schedule": 900.0}

# --- Reintegration projects and GTR validation sessions (docs/projects.md) ---
# Change SCORING["VERSION"] whenever the
# scale or weights change: each review keeps the version and weights it was scored with.
MBOA_PROJECTS = {
    "ELIGIBILITY": {
        "MIN_DAYS_AFTER_RETURN": int(os.environ.get("MBOA_PROJECTS_MIN_DAYS_AFTER_RETURN", "30")),
        "BUDGET_CEILING_PER_RETURNEE_XAF": int(os.environ.get("MBOA_PROJECTS_BUDGET_CEILING_XAF", "800000")),
        "MIN_RETURNEES_COLLECTIVE": 2,
        "REQUIRE_POSITIVE_MARGIN": True,
    },
    "SCORING": {
        "VERSION": "2017.1",
        "SCALE_MIN": 0,
        "SCALE_MAX": 5,
        "WEIGHTS": {"profitability": 0.3, "viability": 0.3, "relevance": 0.2, "feasibility": 0.2},
    },
    "QUORUM": {"MIN_SHARE": 0.5, "MIN_STRUCTURES": 5},
    "UNDO_SECONDS": int(os.environ.get("MBOA_PROJECTS_UNDO_SECONDS", "600")),
    "SPREAD_ALERT": 1.5,
    # Follow-up visits of an installed project, planned this many months after installation
    # (docs/followup.md); a visit is "due soon" this many days ahead; planning existing data
    # skips visits that fell due more than FOLLOWUP_BACKFILL_DAYS ago.
    "FOLLOWUP_MONTHS": env_list("MBOA_PROJECTS_FOLLOWUP_MONTHS", "3,6,12"),
    "FOLLOWUP_DUE_SOON_DAYS": int(os.environ.get("MBOA_PROJECTS_FOLLOWUP_DUE_SOON_DAYS", "14")),
    "FOLLOWUP_BACKFILL_DAYS": int(os.environ.get("MBOA_PROJECTS_FOLLOWUP_BACKFILL_DAYS", "180")),
    # Survival is reported at these months after installation (the page and its download).
    "SURVIVAL_MONTHS": [6, 12],
}
CELERY_BEAT_SCHEDULE["projects-followup"] = {"task": "projects.followup_daily", "schedule": 6 * 3600.0}

# --- Registry: nightly whole-registry deduplication scan -----------------------
CELERY_BEAT_SCHEDULE["registry-scan"] = {"task": "registry.scan", "schedule": 24 * 3600.0}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "CaseStatusEnum": "mboa.cases.models.CaseStatus",
    "ClosureReasonEnum": "mboa.cases.models.ClosureReason",
    "AssessmentKindEnum": "mboa.cases.models.AssessmentKind",
    "SessionKindEnum": "mboa.cases.models.SessionKind",
    "TrainingKindEnum": "mboa.cases.models.TrainingKind",
    "ConsentPurposeEnum": "mboa.cases.models.ConsentPurpose",
    "ConsentMethodEnum": "mboa.cases.models.ConsentMethod",
})
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "DossierKindEnum": "mboa.projects.models.DossierKind",
    "DossierStatusEnum": "mboa.projects.models.DossierStatus",
    "ValidationSessionStatusEnum": "mboa.projects.models.SessionStatus",
    "PurchaseStatusEnum": "mboa.projects.models.PurchaseStatus",
    "OperatingStatusEnum": "mboa.projects.models.OperatingStatus",
    "DeterminationOutcomeEnum": "mboa.projects.models.Outcome",
})

SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "DocumentKindEnum": "mboa.registry.models.DocumentKind",
    "PersonStatusEnum": "mboa.registry.models.PersonStatus",
})

# --- Statistics: the anonymised release, indicators as DHIS2 data (docs/statistics-release.md)
def _dhis2_mapping() -> dict:
    """The mapping of indicator codes to DHIS2 data elements and of regions to organisation
    units, from a JSON file (MBOA_DHIS2_MAPPING): {"data_set": "", "data_elements": {code: uid},
    "org_units": {region code or "CM": uid}}. Without it nothing is mapped (an empty payload)."""
    import json

    path = os.environ.get("MBOA_DHIS2_MAPPING", "")
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


_DHIS2 = _dhis2_mapping()
MBOA_STATISTICS = {
    # A published cell counting fewer people than this is suppressed (n empty, flag "c").
    "SUPPRESSION_THRESHOLD": int(os.environ.get("MBOA_STATISTICS_SUPPRESSION_THRESHOLD", "5")),
    # DHIS2 aggregate data: the data set (optional), indicator code -> data element UID,
    # region code (or "CM" for the whole country) -> organisation unit UID.
    "DHIS2_DATA_SET": _DHIS2.get("data_set", ""),
    "DHIS2_DATA_ELEMENTS": _DHIS2.get("data_elements", {}),
    "DHIS2_ORG_UNITS": _DHIS2.get("org_units", {}),
    # The most periods one DHIS2 payload covers (each period costs a query per indicator and unit).
    "DHIS2_MAX_PERIODS": int(os.environ.get("MBOA_DHIS2_MAX_PERIODS", "12")),
}

# --- Monitoring: feedback and complaints, satisfaction, community (docs/feedback.md) ---
MBOA_MONITORING = {
    # IOM staff (of these structures, as administrators or case managers) log feedback and
    # handle the queue.
    "FEEDBACK_STRUCTURES": env_list("MBOA_MONITORING_FEEDBACK_STRUCTURES", "OIM"),
    # Usernames of the designated officers: the only readers of complaints against staff
    # (administrators included: nobody else reads them). "ethique" is the demo's officer;
    # list the real officers in production. A complaint against staff is refused while no
    # listed officer has an active account, so that none is filed where nobody can read it.
    "STAFF_COMPLAINT_OFFICERS": env_list("MBOA_MONITORING_STAFF_COMPLAINT_OFFICERS", "ethique"),
    # Targets of complaint handling, in days from receipt (figures: share within the target).
    "FEEDBACK_RESPONSE_TARGET_DAYS": int(os.environ.get("MBOA_MONITORING_FEEDBACK_RESPONSE_TARGET_DAYS", "3")),
    "FEEDBACK_CLOSURE_TARGET_DAYS": int(os.environ.get("MBOA_MONITORING_FEEDBACK_CLOSURE_TARGET_DAYS", "14")),
    # Inbound SMS webhook of the gateway: HMAC-SHA256 over "<timestamp>.<body>" with this
    # secret (empty: every call is refused). Calls older or newer than the tolerance are
    # refused (replays); a call seen before is answered without being recorded twice.
    "SMS_WEBHOOK_SECRET": os.environ.get("MBOA_SMS_WEBHOOK_SECRET", ""),
    "SMS_WEBHOOK_TOLERANCE_SECONDS": int(os.environ.get("MBOA_SMS_WEBHOOK_TOLERANCE_SECONDS", "300")),
    # First word of an SMS that answers a satisfaction question: "NOTE <code> <1-5> [comment]".
    "SMS_SATISFACTION_KEYWORDS": env_list("MBOA_MONITORING_SMS_SATISFACTION_KEYWORDS", "NOTE,SCORE"),
}

SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "FeedbackChannelEnum": "mboa.monitoring.feedback.models.Channel",
    "FeedbackKindEnum": "mboa.monitoring.feedback.models.FeedbackKind",
    "FeedbackStatusEnum": "mboa.monitoring.feedback.models.FeedbackStatus",
    "SatisfactionStepEnum": "mboa.monitoring.feedback.models.Step",
    "CommunityProjectStatusEnum": "mboa.monitoring.feedback.models.CommunityProjectStatus",
    "BeneficiarySexEnum": "mboa.monitoring.feedback.models.BeneficiarySex",
    "SexEnum": "mboa.registry.models.Sex",
    "AgeGroupEnum": "mboa.monitoring.feedback.models.AgeGroup",
    "AudienceKindEnum": "mboa.monitoring.feedback.models.AudienceKind",
})
