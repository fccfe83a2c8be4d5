"""Production settings: ``DJANGO_SETTINGS_MODULE=helhedsplan.settings_production``.

Behind a TLS-terminating proxy (which sets ``X-Forwarded-Proto``), served by gunicorn, static files
by WhiteNoise (compressed, hashed names), PostgreSQL via ``DATABASE_URL`` with persistent
connections. ``manage.py check --deploy`` passes without warnings (see tests/test_deploy.py).
"""

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import _DEV_SECRET, DATABASES, DEFAULT_STORAGE, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY skal være sat til en lang, tilfældig værdi i produktion.")

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# HTTPS everywhere, behind a proxy that terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Login throttling behind the proxy: the client's address, not the proxy's (django-axes asks
# django-ipware). REVERSE_PROXY_COUNT is the number of reverse proxies in front of gunicorn, each
# appending the address it was connected from to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for).
# The client is then the REVERSE_PROXY_COUNT-th entry from the right; what a client writes into the
# header itself stands further left and is never used. django-ipware counts only the proxies *listed*
# in the header (the last proxy is REMOTE_ADDR, not listed), hence the - 1, and non-strict so that a
# client's own X-Forwarded-For does not make the header unusable (IPWARE_STRICT, read since
# django-ipware 8; 7 is always strict and would fall back to the proxy). 0: no proxy, the connection's
# address. gunicorn must be reachable only through the proxy (it binds 127.0.0.1 by default).
REVERSE_PROXY_COUNT = env.int("REVERSE_PROXY_COUNT", default=1)
if REVERSE_PROXY_COUNT < 0:
    raise ImproperlyConfigured("REVERSE_PROXY_COUNT skal være 0 eller større.")
if REVERSE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR"]
    AXES_IPWARE_PROXY_COUNT = REVERSE_PROXY_COUNT - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = None

# Content Security Policy (django-csp): only our own scripts; inline styles allowed for SVG charts.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Structured (JSON-lines) logging to stdout for the process manager / journald.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "helhedsplan.logging.JsonFormatter",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}
