"""Response headers: the Content-Security-Policy and its companions on every page, no-store on
every response that may hold a client's data, and templates the policy does not break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_login_page_carries_every_security_header(client):
    response = client.get("/accounts/login/")

    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval
    assert csp["style-src"] == ["'self'"]
    # Inline style elements: only the two plotly.js creates, by the hash of their content.
    assert csp["style-src-elem"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in csp["style-src-elem"][1:])
    assert "'unsafe-inline'" not in str(csp) and "'unsafe-eval'" not in str(csp)
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_over_https_the_production_settings_add_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_clients_page_says_no_store(client, advisor, application):
    client.force_login(advisor)

    response = client.get(f"/clients/{application.pk}/")

    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_api_answers_with_a_token_say_no_store(integration, application):
    from rest_framework.test import APIClient

    from accounts.services import api_token_issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")
    response = api.get(f"/api/v1/applications/{application.pk}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/clients/", "/api/v1/applications", "/missing/"])
def test_every_dynamic_response_says_no_store(client, path):
    assert "no-store" in client.get(path)["Cache-Control"]


def test_the_api_docs_keep_scripts_strict(client):
    """Swagger UI's start-up script comes from a URL of its own, not inline."""
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy(response)["style-src-elem"]  # this page only
    assert "'unsafe-inline'" not in str(policy(client.get("/accounts/login/")))
    html = response.content.decode()
    assert not re.search(r"<script>(?!\s*</script>)", html)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


# -- templates: nothing the policy would refuse -----------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return [path for folder in folders for path in folder.rglob("*.html")]


def test_no_template_has_an_inline_script_handler_or_style():
    found = []
    for path in templates():
        text = path.read_text()
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("event handler", EVENT_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("style element", STYLE_ELEMENT),
        ):
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert not found, "\n".join(found)
    assert len(templates()) > 30  # the walk found the templates


def test_the_scan_would_catch_each_pattern():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="a" type="application/json">{}</script>')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<div style="color: red">')
    assert STYLE_ELEMENT.search("<style>p {}</style>")
