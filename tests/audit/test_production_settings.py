"""With DEBUG off and production-like environment variables, `check --deploy` reports nothing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="teichaku.example.jp",
        CSRF_TRUSTED_ORIGINS="https://teichaku.example.jp",
        DATABASE_URL="sqlite:////tmp/teichaku-deploy-check.sqlite3",
    )
    return env


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_responses_carry_a_csp_without_inline_scripts(as_staff):
    response = as_staff.get("/clients/")
    # enforced when DEBUG is off, report-only under DEBUG=1 (e.g. `make test`, which exports DEBUG=1)
    policy = response.get("Content-Security-Policy") or response["Content-Security-Policy-Report-Only"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()  # scripts only from static files
