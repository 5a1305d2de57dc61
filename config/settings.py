"""Settings for teichaku, read from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    ONLINE_COUNTS_DEFAULT=(bool, False),
    RECORD_RETENTION_YEARS=(int, 5),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-only-for-debug")
else:
    SECRET_KEY = env("SECRET_KEY")  # required in production: ImproperlyConfigured when missing
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "audit.admin_apps.TeichakuAdminConfig",  # django.contrib.admin with OTP and an access log
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "core",
    "cases",
    "visits",
    "plans",
    "flags",
    "meetings",
    "claims",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "audit",
    "demo",
    "office",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.NoStoreMiddleware",  # after WhiteNoise: static files keep their long cache headers
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "audit.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cases.middleware.CurrentOfficeMiddleware",
    "audit.middleware.TwoFactorMiddleware",
    "office.middleware.PasswordChangeRequiredMiddleware",
    "audit.middleware.AccessLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "core.context_processors.office",
                "flags.context_processors.open_flags",
                "core.nav.nav",
            ],
        },
    },
    {
        # The long lists of the busiest pages (core.rows): loops over rows prepared in Python, placed into
        # the page's Django template as one string.
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.rows.environment"},
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # JIT compiling costs more than it saves on this app's short queries (the month job's facts query:
    # +60 ms of compiling for a 30 ms query, bench/README.md). An office's data sits in memory or on SSD:
    # PostgreSQL's default random_page_cost (4, for spinning disks) chose a scan of every plan review over
    # an index lookup for a page's 100 clients (5 ms instead of 1.5 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}"
    )
    # Parameters bound by the server and queries prepared the second time a connection runs them: the
    # pages' reads are the same SQL text on every request (core.statements), so PostgreSQL parses and
    # plans each once per connection (the office month's facts query: ~1 ms a request). Off behind a
    # pooler in transaction mode that does not keep prepared statements.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cases.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout first (django-axes)
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 13}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "audit.passwords.UsernameInPasswordValidator"},
    {"NAME": "audit.passwords.TrivialPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="teichaku@localhost")

# Celery: Redis when REDIS_URL is set, otherwise a file-system broker that needs no server.
REDIS_URL = env("REDIS_URL")
CELERY_LOCAL_DIR = Path(env("CELERY_LOCAL_DIR", default=str(BASE_DIR / "var" / "celery")))
# A task a dead worker left unacknowledged goes back to the queue after the visibility timeout: above the
# hard time limit (12 minutes, so a running task is never handed out twice) and below the shortest expiry
# of a scheduled job (the hourly month job's 50 minutes, flags/schedules.py), so it still runs.
# Workers look for such tasks every CELERY_RESTORE_INTERVAL seconds (kombu's default sweep is every 100 s).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60)
CELERY_RESTORE_INTERVAL = env.int("CELERY_RESTORE_INTERVAL", default=10)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": CELERY_RESTORE_INTERVAL,
        "unacked_restore_throttle": 1,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = None
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_LOCAL_DIR / "queue"),
        "data_folder_out": str(CELERY_LOCAL_DIR / "queue"),
        "processed_folder": str(CELERY_LOCAL_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(CELERY_LOCAL_DIR / "control"),  # else ./control in the working directory
    }
    # kombu's file-system transport does not create its folders; the worker dies without them.
    for _folder in ("queue", "processed", "control"):
        (CELERY_LOCAL_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic flag jobs live in flags/schedules.py (written to the beat tables by a migration).

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "teichaku"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
}

# Domain settings
ONLINE_COUNTS_DEFAULT = env("ONLINE_COUNTS_DEFAULT")
RECORD_RETENTION_YEARS = env("RECORD_RETENTION_YEARS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Login hardening: a limit per account across addresses (5) and per address across accounts (20),
# audit/throttle.py; a locked account is unlocked by the office admin or after 15 minutes.
AXES_HANDLER = "audit.throttle.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 20  # audit.throttle.ADDRESS_LIMIT; the account's 5 are scaled to it
AXES_USERNAME_CALLABLE = "audit.throttle.username_from"
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A success does not wipe the count: else a sprayer's own valid account would reset its address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "audit/lockout.html"
# Number of reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "audit.log.client_ip"
# Sessions: 30 minutes idle, at browser close, and 12 hours after login at most. The audit middleware
# re-saves the session (pushing its expiry 30 minutes on) at most once a minute, rather than
# SESSION_SAVE_EVERY_REQUEST, which would add an UPDATE to every page's query budget.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # reads from the cache, writes through to the DB
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_EVERY = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
OTP_TOTP_ISSUER = "teichaku"

# Production: HTTPS behind a proxy that sets X-Forwarded-Proto; on only when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): no inline scripts; JS lives in static/js. Report-only in DEBUG
# so Django's debug pages still work.
_CSP = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
