"""Settings come from the environment (django-environ), with embedded defaults that need nothing
running; each production engine is chosen by its variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["DATABASE_URL", "REDIS_URL", "EMAIL_URL", "AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME",
         "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DEBUG", "SECRET_KEY"]

PRINT = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "db_engine": db["ENGINE"], "db_name": str(db["NAME"]), "db_host": db.get("HOST", ""),
    "cache": settings.CACHES["default"]["BACKEND"], "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "caches": sorted(settings.CACHES), "sessions": settings.SESSION_ENGINE,
    "storage": settings.STORAGES["default"]["BACKEND"],
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "email": settings.EMAIL_BACKEND, "email_host": settings.EMAIL_HOST, "email_port": settings.EMAIL_PORT,
    "email_tls": settings.EMAIL_USE_TLS,
}))
"""


def settings_for(module: str = "helhedsplan.settings", **environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NAMES}
    env.update({"DJANGO_SETTINGS_MODULE": module, **environment})
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", PRINT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_any_variable_everything_is_embedded():
    found = settings_for()
    assert found["db_engine"] == "django.db.backends.sqlite3" and found["db_name"].endswith("db.sqlite3")
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["caches"] == ["default"]
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_engines_come_from_their_variables():
    found = settings_for(
        DATABASE_URL="postgres://app:hemmelig@db.internal:5432/helhedsplan",
        REDIS_URL="redis://cache.internal:6379/1",
        EMAIL_URL="smtp+tls://post:kode@smtp.internal:587",
        AWS_S3_ENDPOINT_URL="https://s3.internal", AWS_STORAGE_BUCKET_NAME="helhedsplan-filer",
        AWS_ACCESS_KEY_ID="nøgle", AWS_SECRET_ACCESS_KEY="hemmelighed",
    )
    assert found["db_engine"] == "django.db.backends.postgresql"
    assert (found["db_name"], found["db_host"]) == ("helhedsplan", "db.internal")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://cache.internal:6379/1"
    assert found["storage"] == "storages.backends.s3.S3Storage"
    options = found["storage_options"]
    assert options["bucket_name"] == "helhedsplan-filer" and options["endpoint_url"] == "https://s3.internal"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert found["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["email_host"], found["email_port"], found["email_tls"]) == ("smtp.internal", 587, True)
