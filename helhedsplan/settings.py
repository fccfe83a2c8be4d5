"""Settings for Helhedsplan, read from the environment.

SQLite is the embedded default; production sets ``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DEBUG=0``.
"""

import os
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# Every setting a deployment changes comes from the environment (django-environ). Without any, the
# embedded defaults below run everything in one process: SQLite, a per-process memory cache, files
# under MEDIA_ROOT. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL and the AWS_* names for S3, so
# that any number of app servers share all state (see "Running several servers" in the README).
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "django-insecure-local-development-only-key-not-for-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.str("HELHEDSPLAN_REQUIRE_SECRET", default="") == "1":
        raise ImproperlyConfigured("SECRET_KEY skal være sat i produktion.")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "helhedsplan.notifications",
    "helhedsplan.approvals",
    "helhedsplan.documents",
    "helhedsplan.lbf",
    "helhedsplan.accounts",
    "helhedsplan.team",
    "helhedsplan.reminders",
    "helhedsplan.workspace",
]

# --- Background tasks (django-tasks + database backend: LBF-udtræk) ----------------------
# Exports of many plans run in the background: ``manage.py db_worker`` (started by ``make run``)
# picks them up from the database. Finished export files are kept LBF_EXPORT_KEEP_DAYS days in the
# default storage under the prefix LBF_EXPORT_DIR, then deleted by ``manage.py cleanup_lbf_exports``
# (and by each export).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
LBF_EXPORT_KEEP_DAYS = env.int("LBF_EXPORT_KEEP_DAYS", default=7)
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

# Form widgets render through Django's own Jinja2 widget templates (see the class).
FORM_RENDERER = "helhedsplan.forms.FormRenderer"

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
                "helhedsplan.notifications.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "helhedsplan.wsgi.application"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

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
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# --- Files --------------------------------------------------------------------------------------
# Everything the app writes or serves (approval PDFs, rendered documents, LBF export ZIPs, uploaded
# budgetark awaiting their preview) goes through the "default" storage: files under MEDIA_ROOT, or an
# S3-compatible bucket (django-storages) when AWS_STORAGE_BUCKET_NAME is set. The bucket stays private:
# a download checks the user's access, then redirects to a presigned URL valid DOWNLOAD_URL_SECONDS.
# MEDIA_URL is never served: files are only ever handed out by the access-checked views.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
DOWNLOAD_URL_SECONDS = env.int("DOWNLOAD_URL_SECONDS", default=300)
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": None,  # the bucket's own (private) policy; never public-read
            "querystring_auth": True,
            "querystring_expire": DOWNLOAD_URL_SECONDS,
            "file_overwrite": False,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Local files are readable by the app's own user only: they are handed out by the views, never by a
# web server.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Cache and sessions ------------------------------------------------------------------------
# Django's cache framework: Redis (or Valkey) shared by every app server when REDIS_URL is set, else
# each process's own memory (enough for `make run`). Sessions are kept in the database and read
# through the cache ("cached_db"): an emptied or restarted Redis costs a query, never a login, and
# logging out ends the session on every server at once. ``manage.py clearsessions`` removes expired
# sessions (daily; see the systemd and Procfile examples).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="helhedsplan"),
        # Short timeouts: a request fails fast rather than hanging when Redis is unreachable.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
else:
    DEFAULT_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}
CACHES = {"default": DEFAULT_CACHE}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- E-mail ----------------------------------------------------------------------------------
# EMAIL_URL (django-environ: smtp://user:password@host:587 with ?ssl / +tls variants); without it
# mails are printed to the console, which is what `make run` wants.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _name, _value in _email.items():
    if _name != "EMAIL_BACKEND":
        globals()[_name] = _value
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Helhedsplan <noreply@helhedsplan.dk>")
# Links in e-mails start with SITE_URL (the address users open the app at).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# A notification e-mail that fails is tried again later (1 min, 5 min, 30 min, 2 h), at most this often.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
# Seconds; a mail server that hangs must hold neither a worker nor a request (password reset mails).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The members of a plan get a bestyrelsesmøde's agenda this many days before the meeting
# (``manage.py send_reminders``, daily).
MEETING_AGENDA_DAYS = env.int("MEETING_AGENDA_DAYS", default=7)

# --- Login throttling (django-axes) -----------------------------------------------------
# AXES_FAILURE_LIMIT failed logins for one username from one client address lock that pair (the user
# can still log in from elsewhere); LOGIN_ADDRESS_FAILURE_LIMIT failed logins from one address, any
# usernames, lock the address (password spraying). Both count within AXES_COOLOFF_TIME hours and lock
# for as long; a Danish page explains why. helhedsplan/throttling.py gives the address its own limit.
# An administrator lifts locks with ``manage.py axes_reset`` (or axes_reset_ip / axes_reset_username).
# Users log in with their username or e-mail address (helhedsplan.accounts.backends); axes counts the
# attempts of one person under one name, whichever of the two (in whatever letter case) was typed.
AUTHENTICATION_BACKENDS = [
    "helhedsplan.throttling.LoginThrottlingBackend",
    "rules.permissions.ObjectPermissionBackend",
    "helhedsplan.accounts.backends.EmailOrUsernameBackend",
]
AXES_USERNAME_CALLABLE = "helhedsplan.accounts.backends.throttling_username"
AXES_HANDLER = "helhedsplan.throttling.LoginThrottlingHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
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
# The admin's export formats (helhedsplan.importing) neutralise formulas themselves and keep numbers as
# numbers; django-import-export's own escaping only strips one »=« and turns every cell into text.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# An admin import is uploaded in one request and confirmed in the next, which may reach another app
# server: the file waits in the default storage (local files or the bucket), not in this machine's /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

# Bounds on every imported file (budgetark, indicator values, admin imports), checked by
# helhedsplan.uploads before any parser reads the file. Each can be set in the environment.
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_PART_BYTES = env.int("IMPORT_MAX_PART_BYTES", default=25 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10000)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=250000)
BUDGET_IMPORT_MAX_ROWS = env.int("BUDGET_IMPORT_MAX_ROWS", default=2000)
# Bilag (organisationsdiagram PNG/JPEG, PDF bilag), checked by helhedsplan.uploads.check_attachment_file.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_PIXELS = env.int("ATTACHMENT_MAX_PIXELS", default=40_000_000)
ATTACHMENT_MAX_PDF_PAGES = env.int("ATTACHMENT_MAX_PDF_PAGES", default=200)

# --- PDF rendering ----------------------------------------------------------------------------
# Web requests never render a PDF: a document's PDF is made by the background worker (django-tasks,
# ``manage.py db_worker``) and kept in the default storage (see "Dokumenter (PDF)" in the README).
# At most PDF_RENDER_SLOTS renders run at a time on one machine, across all its processes: each render
# holds one of that many lock files in PDF_RENDER_SLOT_DIR (a directory every process of the machine
# sees). A document requested but not rendered within PDF_RENDER_REQUEUE_SECONDS (a worker lost, say)
# is queued again by the next request for it.
PDF_RENDER_SLOTS = env.int("PDF_RENDER_SLOTS", default=max(1, (os.cpu_count() or 1) - 1))
PDF_RENDER_SLOT_DIR = Path(env.str("PDF_RENDER_SLOT_DIR",
                                   default=str(Path(tempfile.gettempdir()) / "helhedsplan-pdf-slots")))
PDF_RENDER_REQUEUE_SECONDS = env.int("PDF_RENDER_REQUEUE_SECONDS", default=180)
if PDF_RENDER_SLOTS < 1:
    raise ImproperlyConfigured("PDF_RENDER_SLOTS skal være mindst 1.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},  # no log line per successful login
    },
}
