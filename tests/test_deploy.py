"""Production settings pass ``manage.py check --deploy`` without a single warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "helhedsplan.settings_production",
                "ALLOWED_HOSTS": "helhedsplan.example.dk"}, **extra_env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings():
    result = _check({"SECRET_KEY": "p7#v!q2@Zr9Lm4$Xw8Ks1^Tn6&Yb3*Hd5%Gf0)Jc-Ue=Aa+Oi_Rz~Vt"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_a_missing_or_development_secret_key():
    result = _check({"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY skal være sat" in result.stderr
