"""Settings for every environment, read from environment variables (see .env.example).

DJANGO_ENV chooses the defaults: "development" (make run: SQLite, a file-system Celery broker, console
email), "test" (set by the test suite) or "production" (everything secure; SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL must be given).
"""

import os
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise environ.ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

DEBUG = env.bool("DJANGO_DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-4b1f0c7e-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "kim.accounts.apps.StaffAdminConfig",  # django.contrib.admin, staff administrators only
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
    "axes",
    "simple_history",
    "kim",
    "villages",
    "outreach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every response after this (static files are WhiteNoise's) is `private, no-store`.
    "kim.accounts.middleware.PrivatePagesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail's author: every model save during a request, in the app or Django admin, is this user's.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Before any view queries the database: a NUL in a URL is a 404, not a DataError on PostgreSQL.
    "kim.lib.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kim.accounts.access.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out an idle or old session (SESSION_IDLE_TIMEOUT, SESSION_COOKIE_AGE) before any view sees it.
    "kim.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kim.urls"
WSGI_APPLICATION = "kim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kim.home.context_processors.site",
                "kim.home.context_processors.abilities",
                "kim.home.context_processors.nav_status",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://user@host:5432/name).
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kim.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web server and the Celery worker write without "database is
    # locked" errors during development.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if TESTING:
        # A file, not memory: the live server and Celery worker threads of the tests must see the same data.
        # One file per test process, so that two test runs on one machine do not share it.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # Tests: no persistent connections, or the live server's and the worker's threads keep the test
    # database open and it cannot be dropped.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if TESTING else 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "kim.User"
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Sign-in throttling: five failures for the same username from the same address lock that pair out for
# 15 minutes. Phones on one carrier share addresses, so neither the address nor the username alone is locked.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "kim.accounts.access.sign_in_throttle_username"
AXES_VERBOSE = False
AXES_HANDLER = "kim.accounts.throttle.SignInThrottle"
AXES_LOCKOUT_CALLABLE = "kim.accounts.throttle.locked_out"
# The client's address, which django-axes reads through django-ipware. PROXY_COUNT is the number of reverse
# proxies in front of gunicorn, each appending the address it was reached from to X-Forwarded-For: the client
# is then the PROXY_COUNT-th address from the right (the last proxy is REMOTE_ADDR, not in the header), and
# whatever a client wrote into the header itself stands to the left and is never read. Without a proxy only
# REMOTE_ADDR is read.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1 if PROXY_COUNT else None  # ipware counts the proxies in the header
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)
# Not strict: addresses a client forged ahead of the real ones are skipped, not a reason to fall back to
# REMOTE_ADDR (the proxy's own address, shared by every client).
IPWARE_STRICT = False
# And slower, per account from any address (kim.accounts.throttle): this many failures within this many
# seconds, counted since the account last signed in, refuse every password for it until they age out; a
# password-reset link still works and signs its owner in. Every failure is kept (axes' failure log) to count.
SIGN_IN_ACCOUNT_FAILURE_LIMIT = env.int("SIGN_IN_ACCOUNT_FAILURE_LIMIT", default=20)
SIGN_IN_ACCOUNT_WINDOW = env.int("SIGN_IN_ACCOUNT_WINDOW", default=24 * 3600)
# Axes keeps a row per sign-in failure and per (username, address, browser) attempt, for made-up usernames too;
# the beat deletes those older than this many days (kim.accounts.throttle.sign_in_records_prune).
SIGN_IN_RECORDS_KEPT_DAYS = env.int("SIGN_IN_RECORDS_KEPT_DAYS", default=30)
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# A signed-in session ends after this many seconds without a request, and this many after signing in however
# busy (kim.accounts.middleware): a phone left on a table, or a village-office computer, is not signed in for
# days. A signed-out person keeps nothing but the sign-in page to go back to.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 3600)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kim.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Outside production, WhiteNoise serves straight from the source folders; in production from collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development, SMTP (EMAIL_URL=smtp://user:pass@host:587) in production.
_email = env.email_url("EMAIL_URL") if PRODUCTION else env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 15,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v not in (None, "")}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
# The regency this deployment serves, by name: every page, email, document and calendar feed says it
# (kim.lib.regency). The short name titles the app ("KIM Purbalingga"); left empty, it is the name without
# "Kabupaten " or "Kota ".
KIM_REGENCY_NAME = env.str("KIM_REGENCY_NAME", default="Kabupaten Purbalingga")
KIM_REGENCY_SHORT_NAME = env.str("KIM_REGENCY_SHORT_NAME", default="")
_regency_short = KIM_REGENCY_SHORT_NAME or KIM_REGENCY_NAME.removeprefix("Kabupaten ").removeprefix("Kota ")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"KIM {_regency_short} <noreply@kim.purbalinggakab.go.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without REDIS_URL the broker is kombu's file-system transport under var/broker, so that
# `make run` needs no server. Results are never stored: the database records what a task did.
REDIS_URL = env.str("REDIS_URL", default="")
# How long the cache and the health check wait for Redis: a stopped Redis must not hold up a page.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "kim.tasks.record_heartbeat", "schedule": 60.0},
    "reminder-sweep": {"task": "kim.tasks.sweep_reminders", "schedule": 60.0},
    "sign-in-records-prune": {"task": "kim.accounts.tasks.prune_sign_in_records", "schedule": 24 * 3600.0},
    "export-sweep": {"task": "kim.tasks.sweep_exports", "schedule": 60.0},
}
# Exports (kim.downloads): files are kept in EXPORT_ROOT (never the public media) for EXPORT_KEEP_DAYS days.
# A job waiting this long after it was handed to the broker is handed over again (the claim lets one build
# through); a running job whose heartbeat is older than EXPORT_STUCK_AFTER_SECONDS lost its worker, and is given
# back to the queue up to EXPORT_MAX_ATTEMPTS builds, then marked failed. One build may take at most
# EXPORT_TIME_LIMIT_SECONDS.
EXPORT_ROOT = env.path("EXPORT_ROOT", default=str(VAR_DIR / "exports"))
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
EXPORT_RESEND_AFTER_SECONDS = env.int("EXPORT_RESEND_AFTER_SECONDS", default=5 * 60)
EXPORT_STUCK_AFTER_SECONDS = env.int("EXPORT_STUCK_AFTER_SECONDS", default=5 * 60)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
EXPORT_TIME_LIMIT_SECONDS = env.int("EXPORT_TIME_LIMIT_SECONDS", default=30 * 60)
# Reminders: a row queued or being sent for longer than this (a lost message, a worker that died) is given
# back to the sweep (longer than CELERY_TASK_TIME_LIMIT, so that no send still running is given back); a
# transient failure is retried with backoff up to this many attempts.
REMINDER_STUCK_AFTER_SECONDS = env.int("REMINDER_STUCK_AFTER_SECONDS", default=10 * 60)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# Reminders about a date (a due date, a term's end) go out at this hour, WIB.
REMINDER_HOUR = 8
# The address of this site, for the links in emails and WhatsApp messages.
SITE_URL = env.str("SITE_URL") if PRODUCTION else env.str("SITE_URL", default="http://127.0.0.1:8000")
# Beat and worker are considered stalled when the heartbeat is older than this.
HEARTBEAT_STALE_AFTER_SECONDS = 5 * 60

CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Content-Security-Policy (Django's own middleware): nothing inline, nothing from other origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Sessions are read from the cache (memory, outside production) and written through to the database. In
# production they live in the database only (below), so that a stopped Redis cannot sign anyone out or fail a
# page: a cache that missed a logout while Redis was down would bring the session back with it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # With Redis down, the cache misses and drops writes and the page still serves (kim/lib/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "kim.lib.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each rendering step, and fontTools each font it subsets, at INFO: only their warnings.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The regency this deployment serves: its villages are the default scope of lists and the map.
KIM_REGENCY_CODE = env.str("KIM_REGENCY_CODE", default="33.03")
# The agency that runs this system (Dinkominfo): its binaan villages come first when choosing targets.
KIM_HOST_AGENCY_SHORT_NAME = env.str("KIM_HOST_AGENCY_SHORT_NAME", default="Dinkominfo")
VILLAGE_LIST_PAGE_SIZE = 25
MAX_STATUS_UPLOAD_BYTES = 512 * 1024
# Uploaded SK decrees and scanned letters: at most this many bytes each (photos have their own limit, below).
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Photos: a phone camera's (often 5 to 15 MB) is taken, then stored shrunk to this long edge in pixels, as a JPEG
# without EXIF, with a thumbnail of the second long edge for lists and documents.
MAX_PHOTO_UPLOAD_BYTES = env.int("MAX_PHOTO_UPLOAD_BYTES", default=20 * 1024 * 1024)
PHOTO_MAX_EDGE = env.int("PHOTO_MAX_EDGE", default=1600)
PHOTO_THUMBNAIL_EDGE = env.int("PHOTO_THUMBNAIL_EDGE", default=320)
# A KIM with fewer members than this is flagged (local rules differ: 3 to 30, or at least 10).
KIM_MIN_MEMBERS = env.int("KIM_MIN_MEMBERS", default=10)
# A KIM not visited by its mentors within this many days is flagged.
KIM_VISIT_CADENCE_DAYS = env.int("KIM_VISIT_CADENCE_DAYS", default=90)

# The public check page of issued documents (kim.documents): this many uses (opening a code, checking a file)
# per address within this many seconds, counted in the database.
DOCUMENT_CHECK_LIMIT = env.int("DOCUMENT_CHECK_LIMIT", default=30)
DOCUMENT_CHECK_WINDOW_SECONDS = env.int("DOCUMENT_CHECK_WINDOW_SECONDS", default=600)
