"""A client lives in /portal/: they land there, and everything else refuses them (403)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from tests.test_url_access import url_patterns

pytestmark = pytest.mark.django_db


def test_a_client_lands_on_the_portal_after_logging_in(client, client_user, application):
    client_user.set_password("a-long-client-password")
    client_user.save()

    response = client.post(
        "/accounts/login/",
        {"username": client_user.username, "password": "a-long-client-password"},
        follow=True,
    )

    assert response.redirect_chain[-1] == ("/portal/", 302)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/clients/",
        "/reviews/",
        "/model/",
        "/admin/",
        "/admin/login/",
        "/admin/clients/application/",
        "/monitoring/",
        "/api/docs/",
        "/api/schema/",
        "/api/v1/models/active",
    ],
)
def test_a_client_is_refused_pages_outside_the_portal(client_a, path):
    response = client_a.get(path)
    # /monitoring/ may have no page yet: refused or absent, never shown.
    assert response.status_code in ((403, 404) if path == "/monitoring/" else (403,))


def test_a_client_is_refused_their_own_record_on_the_advisors_pages(client_a, application):
    for name in ("client", "explanation", "counterfactual", "score-status"):
        response = client_a.get(reverse(f"dashboard:{name}", args=[application.pk]))
        assert response.status_code == 403, name


def _api_urls(application_id: int) -> list[str]:
    """Every /api/ URL pattern, with the client's own application id wherever one is asked
    (any other id, a score's or a batch's, is a random one: the refusal comes first)."""
    urls = []
    for route, _name, _view in url_patterns():
        if route.startswith("api/"):
            path = re.sub(r"<int:[a-z_]+>", str(application_id), "/" + route)
            urls.append(re.sub(r"<uuid:[a-z_]+>", str(uuid.uuid4()), path))
    assert all("<" not in url for url in urls), urls
    return sorted(urls)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_clients_session_gets_403_on_every_api_endpoint(client_a, application, method):
    urls = _api_urls(application.pk)
    assert any("explanation" in url for url in urls), urls

    answers = {url: getattr(client_a, method)(url).status_code for url in urls}

    assert answers and all(status == 403 for status in answers.values()), answers


def test_an_api_refusal_for_a_client_is_json(client_a, application):
    response = client_a.get(f"/api/v1/applications/{application.pk}/explanation")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["/", "/accounts/password_change/"])
def test_a_client_keeps_the_account_pages(client_a, path):
    assert client_a.get(path).status_code in (200, 302)


def test_the_home_page_sends_a_client_to_the_portal(client_a):
    response = client_a.get("/")
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_the_language_switch_works_for_a_client(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
