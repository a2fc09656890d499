"""The production settings: `check --deploy` clean, HTTPS everywhere, __Host- cookies, the proxy
header believed only when configured, and no demo users. Each case runs manage.py in a
subprocess with the production settings and a dummy secret, as a deployment would."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "OTP_REQUIRED", "IS_PRODUCTION",
    "AXES_LOCKOUT_PARAMETERS",
]}))
"""


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "OTP_", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="creditscore.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="credit.example.com",
        **overrides,
    )
    return env


def run(args: list[str], **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=300,
    )


def production_settings(**overrides: str) -> dict:
    result = run(["-c", READ_SETTINGS], **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_check_deploy_reports_nothing():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_would_catch_insecure_cookies():
    """The test above can fail: turning cookies insecure makes the same command fail."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECURE_COOKIES="false",
    )

    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr


@pytest.mark.slow
def test_https_only_with_hsts_and_host_only_cookies_and_the_second_factor():
    values = production_settings()

    assert values["DEBUG"] is False and values["IS_PRODUCTION"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["OTP_REQUIRED"] is True


@pytest.mark.slow
def test_the_demos_exemptions_do_not_apply_in_production():
    values = production_settings(OTP_REQUIRED="false", LOGIN_LOCKOUT_BY_ADDRESS="false")

    assert values["OTP_REQUIRED"] is True
    assert values["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]


@pytest.mark.slow
def test_the_proxy_ssl_header_is_believed_only_when_configured():
    assert production_settings()["SECURE_PROXY_SSL_HEADER"] is None
    assert production_settings(DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto")[
        "SECURE_PROXY_SSL_HEADER"
    ] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.slow
def test_create_demo_users_refuses_to_run_with_the_production_settings():
    result = run(["manage.py", "create_demo_users", "--password", "a-long-demo-password"])

    assert result.returncode != 0
    assert "production settings" in result.stderr
    assert "a-long-demo-password" not in result.stdout
