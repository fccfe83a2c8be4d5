"""Settings for Helhedsplan, read from the environment.

SQLite is the embedded default; production sets ``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DEBUG=0``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "django-insecure-local-development-only-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("HELHEDSPLAN_REQUIRE_SECRET") == "1":
        raise ImproperlyConfigured("SECRET_KEY skal være sat i produktion.")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
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
    "csp",
    "simple_history",
    "import_export",
    "axes",
    "rules",
    # The layers, lowest first: shared helpers, the domain apps, then the cross-app apps.
    "helhedsplan",
    "agreements",
    "budgets",
    "indicators",
    "helhedsplan.approvals",
    "helhedsplan.documents",
    "helhedsplan.lbf",
    "helhedsplan.workspace",
]

# --- Background tasks (django-tasks + database backend: LBF-udtræk) ----------------------
# Exports of many plans run in the background: ``manage.py db_worker`` (started by ``make run``)
# picks them up from the database. Finished export files are kept LBF_EXPORT_KEEP_DAYS days under
# MEDIA_ROOT/LBF_EXPORT_DIR, then deleted by ``manage.py cleanup_lbf_exports`` (and by each export).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
LBF_EXPORT_KEEP_DAYS = int(os.environ.get("LBF_EXPORT_KEEP_DAYS", "7"))
LBF_EXPORT_DIR = "lbf-udtraek"
# --- end background tasks -------------------------------------------------------------------------

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helhedsplan.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "helhedsplan.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["helhedsplan.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# --- Caches ------------------------------------------------------------------------------
# Cached page parts and PDFs are keyed by the plan's revision tokens (agreements/revisions.py), so a
# cache never has to be cleared or shared to stay correct. "default" (page parts, small) lives in each
# process's memory; "documents" (rendered PDFs, up to a few MB each) in files under DOCUMENT_CACHE_DIR,
# shared by the server's worker processes, so a document version is rendered once per machine.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "documents": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DOCUMENT_CACHE_DIR", str(BASE_DIR / "var" / "document-cache")),
        "TIMEOUT": 7 * 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# --- Sessions ---------------------------------------------------------------------------
# Django's file session backend: every signed-in request reads its session, and a file (JSON, signed,
# mode 0600) costs a fraction of a database query while the worker processes of one server still
# share it: logging out deletes the file, which ends the session in every process at once. Several
# app servers need a shared SESSION_FILE_PATH (or SESSION_ENGINE "django.contrib.sessions.backends.db").
# ``manage.py clearsessions`` removes expired files (the systemd example runs it at every start).
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.file")
SESSION_FILE_PATH = os.environ.get("SESSION_FILE_PATH", str(BASE_DIR / "var" / "sessions"))
Path(SESSION_FILE_PATH).mkdir(mode=0o700, parents=True, exist_ok=True)

# --- Login throttling (django-axes) -----------------------------------------------------
# AXES_FAILURE_LIMIT failed logins for one username from one client address lock that pair (the user
# can still log in from elsewhere); LOGIN_ADDRESS_FAILURE_LIMIT failed logins from one address, any
# usernames, lock the address (password spraying). Both count within AXES_COOLOFF_TIME hours and lock
# for as long; a Danish page explains why. helhedsplan/throttling.py gives the address its own limit.
# An administrator lifts locks with ``manage.py axes_reset`` (or axes_reset_ip / axes_reset_username).
AUTHENTICATION_BACKENDS = [
    "helhedsplan.throttling.LoginThrottlingBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "helhedsplan.throttling.LoginThrottlingHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_CALLABLE = "helhedsplan.throttling.lockout_response"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address (django-ipware): here the connection's own, as nobody proxies the development
# server. Behind a reverse proxy settings_production reads it from X-Forwarded-For instead.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_IPWARE_PROXY_COUNT = None
# --- end login throttling --------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "agreements:plan_list"
LOGOUT_REDIRECT_URL = "login"

# django-import-export: permissions, formula escaping and all-or-nothing imports.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Bounds on every imported file (budgetark, indicator values, admin imports), checked by
# helhedsplan.uploads before any parser reads the file. Each can be set in the environment.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024))
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("IMPORT_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_PART_BYTES = int(os.environ.get("IMPORT_MAX_PART_BYTES", 25 * 1024 * 1024))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "10000"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "250000"))
BUDGET_IMPORT_MAX_ROWS = int(os.environ.get("BUDGET_IMPORT_MAX_ROWS", "2000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},  # no log line per successful login
    },
}
