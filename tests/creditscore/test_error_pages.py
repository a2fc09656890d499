"""The error pages (400, 403, 404, 500, CSRF): styled like the site, in French and English,
naming nothing internal; a 500 gives a reference that is in the log with the traceback."""

from __future__ import annotations

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from accounts.access import PUBLIC, access_rule
from creditscore.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


@access_rule(PUBLIC)
def broken_view(request) -> HttpResponse:
    raise RuntimeError("secret detail: /srv/app/settings.py password=hunter2")


# The site's URLs plus a view that fails (the handlers come from creditscore/urls.py).
urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
handler400 = "creditscore.errors.bad_request"
handler403 = "creditscore.errors.permission_denied"
handler404 = "creditscore.errors.page_not_found"
handler500 = "creditscore.errors.server_error"

WORDS = {
    "en": {404: "Page not found", 403: "Access refused", 500: "Something went wrong"},
    "fr": {404: "Page introuvable", 403: "Accès refusé", 500: "Une erreur est survenue"},
}


def visitor(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)


def assert_styled_and_bare(response, language: str) -> str:
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "bootstrap.min.css" in html and "Prêt à dépenser" in html
    assert 'data-testid="error-page"' in html
    for internal in ("Traceback", "urlpatterns", "Django", "DEBUG", "settings.py", "/srv/"):
        assert internal not in html
    return html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_missing_page_is_a_styled_404_listing_no_url(language):
    response = visitor(language).get("/no/such/page/")

    assert response.status_code == 404
    html = assert_styled_and_bare(response, language)
    assert WORDS[language][404] in html
    assert "api/v1" not in html and "admin/" not in html.replace('href="/admin/', "")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_refused_page_is_a_styled_403(language, client_user):
    client = visitor(language)
    client.force_login(client_user)

    response = client.get("/reviews/")

    assert response.status_code == 403
    html = assert_styled_and_bare(response, language)
    assert WORDS[language][403] in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_error_is_a_styled_500_with_a_reference_found_in_the_log(language, settings, caplog):
    settings.ROOT_URLCONF = __name__

    with caplog.at_level(logging.ERROR, logger="creditscore.errors"):
        response = visitor(language).get("/broken/")

    assert response.status_code == 500
    html = assert_styled_and_bare(response, language)
    assert WORDS[language][500] in html
    assert "hunter2" not in html
    reference = re.search(r'data-testid="error-reference">([0-9a-f]{12})<', html)[1]
    (record,) = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info and "hunter2" in str(record.exc_info[1])


def test_an_api_error_is_json_with_a_reference(settings, caplog):
    settings.ROOT_URLCONF = __name__
    urlpatterns.insert(0, path("api/broken/", broken_view))
    try:
        response = visitor("en").get("/api/broken/")
    finally:
        urlpatterns.pop(0)

    assert response.status_code == 500
    body = response.json()
    assert body["reference"] in body["detail"]
    assert "hunter2" not in response.content.decode()


def test_an_unknown_api_path_is_a_json_404():
    response = visitor("en").get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_disallowed_host_is_a_styled_400(language):
    response = visitor(language).get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert_styled_and_bare(response, language)


def test_a_form_without_its_csrf_token_gets_the_sites_403_page():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    html = assert_styled_and_bare(response, "en")
    assert "Form expired" in html
