"""Rebox settings.

Everything a deployment changes comes from the environment; the defaults are the
embedded mode (SQLite under ``var/``, jobs in-process, mail written to ``var/mail/``).
See README.md, "Configuration".
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REBOX_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("REBOX_DEBUG", False)
SECRET_KEY = os.environ.get("REBOX_SECRET_KEY") or "embedded-insecure-" + str(BASE_DIR)
ALLOWED_HOSTS = [h for h in os.environ.get("REBOX_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("REBOX_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
PUBLIC_URL = os.environ.get("REBOX_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rebox.core",
    "rebox.catalog",
    "rebox.inventory",
    "rebox.orders",
    "rebox.policies",
    "rebox.returns",
    # refunds before shipping: its handlers of an event run first, so a return resolved on
    # approval (keep the item) is no longer approved when shipping would plan its parcels
    "rebox.refunds",
    "rebox.shipping",
    "rebox.warehouse",
    "rebox.notifications",
    "rebox.portal",
    "rebox.backoffice",
    "rebox.api",
    "rebox.bench",
]

# Page middleware that /api/ does not need is skipped for it (rebox/api/middleware.py):
# each class is Django's own, with a bypass for API paths.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rebox.api.middleware.SessionMiddlewareExceptApi",
    "rebox.api.middleware.LocaleMiddlewareExceptApi",
    "django.middleware.common.CommonMiddleware",
    "rebox.api.middleware.CsrfViewMiddlewareExceptApi",
    "rebox.api.middleware.AuthenticationMiddlewareExceptApi",
    "rebox.api.middleware.MessageMiddlewareExceptApi",
    "rebox.api.middleware.XFrameOptionsMiddlewareExceptApi",
]

ROOT_URLCONF = "rebox.urls"
WSGI_APPLICATION = "rebox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'rebox.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=int(os.environ.get("REBOX_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web process and the worker: wait for locks
    # instead of failing, and use WAL so readers never block the writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and \
        os.environ.get("REBOX_DB_JIT", "0") != "1":
    # Rebox's statements are short; PostgreSQL's JIT compiles a plan whose *estimated* cost
    # passes jit_above_cost, which stale statistics or a generic plan can make it do on every
    # call, for tens of milliseconds each. Off unless REBOX_DB_JIT=1.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("he", "עברית"), ("da", "Dansk"), ("uk", "Українська")]
# One catalogue per area that has pages of its own (the back office, warehouse screens,
# supplier pages), so areas translate without editing one another's files.
LOCALE_PATHS = [BASE_DIR / "rebox" / "locale", BASE_DIR / "rebox" / "warehouse" / "locale",
                BASE_DIR / "rebox" / "shipping" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("REBOX_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# --- Jobs -------------------------------------------------------------------
# Without a broker, tasks run in-process after the transaction commits and the
# `rebox worker` loop sweeps the outbox for retries. With one, Celery workers and beat
# run the very same task functions.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "rebox.core.tasks.outbox_sweep", "schedule": 5.0},
    "notification-sweep": {"task": "rebox.notifications.tasks.notification_sweep", "schedule": 10.0},
    "webhook-sweep": {"task": "rebox.notifications.tasks.webhook_sweep", "schedule": 10.0},
    "label-sweep": {"task": "rebox.shipping.tasks.label_sweep", "schedule": 30.0},
    "refund-sweep": {"task": "rebox.refunds.tasks.refund_sweep", "schedule": 10.0},
    "credit-expiry": {"task": "rebox.refunds.tasks.credit_expiry", "schedule": 3600.0},
    "refund-reconcile": {"task": "rebox.refunds.tasks.refund_reconcile", "schedule": 900.0},
    "refunds-digest": {"task": "rebox.refunds.tasks.refunds_digest", "schedule": 3600.0},
    "instant-exchanges": {"task": "rebox.refunds.instant.instant_exchanges_check", "schedule": 3600.0},
    "return-deadlines": {"task": "rebox.returns.tasks.returns_deadlines", "schedule": 300.0},
}

# --- Cache (rate limits of the shopper's portal, short-lived lookups) -----------
# One shared cache for every web process: REBOX_CACHE_URL, else the Redis broker, else a
# per-process memory cache (embedded mode: one process).
_cache_url = os.environ.get("REBOX_CACHE_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
     "KEY_PREFIX": "rebox"}
    if _cache_url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"})}

# --- Back-office log-in throttling (rebox/backoffice/throttle.py) ----------------
# Failed log-ins are counted in the cache above per account and per client address; the
# failure that reaches a limit locks log-ins for one window (the password is not checked).
REBOX_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("REBOX_LOGIN_FAILURES_PER_ACCOUNT", "5"))
REBOX_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("REBOX_LOGIN_FAILURES_PER_ADDRESS", "20"))
REBOX_LOGIN_WINDOW_SECONDS = int(os.environ.get("REBOX_LOGIN_WINDOW_SECONDS", "900"))
# A browser that has logged in to an account before (its signed device cookie) is counted
# apart from strangers, with its own limit, so that guessing cannot lock the owner out.
REBOX_LOGIN_FAILURES_PER_DEVICE = int(os.environ.get("REBOX_LOGIN_FAILURES_PER_DEVICE", "5"))
# Proxies (addresses or networks) whose X-Forwarded-For is believed; without any, the
# client address is REMOTE_ADDR alone, so that a client cannot choose its own.
REBOX_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("REBOX_TRUSTED_PROXIES", "").split(",")
                         if p.strip()]

# --- Mail -------------------------------------------------------------------
# Embedded: every message is written as an .eml file under var/mail (and listed in the
# back office). Production: set EMAIL_HOST and friends.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 15
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("REBOX_FROM_EMAIL", "Rebox <no-reply@rebox.localhost>")

# --- Object storage -----------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Rebox ------------------------------------------------------------------
# Benchmark-only bare endpoints (the "ceiling" cases); never on in a real deployment.
REBOX_BENCH_ENDPOINTS = env_flag("REBOX_BENCH_ENDPOINTS", False)
REBOX_API_PAGE_SIZE = 50
# The hot API statements (order read and write) run as prepared statements on PostgreSQL;
# turn off behind a pooler that does not keep sessions (PgBouncer in transaction mode).
REBOX_DB_PREPARED_STATEMENTS = env_flag("REBOX_DB_PREPARED_STATEMENTS", True)
# How long a web process trusts an API key it has verified (revocation delay elsewhere).
REBOX_API_KEY_CACHE_SECONDS = float(os.environ.get("REBOX_API_KEY_CACHE_SECONDS", "30"))
# Outbound webhooks to loopback/private/link-local addresses are refused unless this is on.
REBOX_WEBHOOKS_ALLOW_INTERNAL = env_flag("REBOX_WEBHOOKS_ALLOW_INTERNAL", False)

# --- Secrets at rest (rebox/core/crypto.py) -------------------------------------
# Keys for the integration secrets stored in the database: the first encrypts, all decrypt
# (rotation: new key first, `rebox rotate-secrets`, drop the old). Empty: derived from SECRET_KEY.
REBOX_ENCRYPTION_KEYS = [k.strip() for k in os.environ.get("REBOX_ENCRYPTION_KEYS", "").split(",")
                         if k.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("REBOX_LOG_LEVEL", "WARNING")},
    # In embedded mode the in-memory broker has no host to name; kombu would warn each time.
    "loggers": {"kombu.connection": {"level": "ERROR" if CELERY_TASK_ALWAYS_EAGER else "WARNING"}},
}
