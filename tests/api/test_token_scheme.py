"""Authorization headers in another scheme than Token get a 401 that names the Token scheme."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"


def get_with(header: str, language: str = "en"):
    return APIClient(HTTP_ACCEPT_LANGUAGE=language).get(URL, HTTP_AUTHORIZATION=header)


def test_bearer_gets_a_401_saying_to_use_the_token_scheme(integration_token):
    response = get_with(f"Bearer {integration_token}")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    detail = response.json()["detail"]
    assert '"Bearer"' in detail
    assert '"Authorization: Token <key>"' in detail


def test_the_hint_speaks_the_requests_language(integration_token):
    response = get_with(f"Bearer {integration_token}", language="fr")

    assert response.status_code == 401
    assert "schéma" in response.json()["detail"]


def test_a_bare_key_gets_the_hint_without_being_echoed(integration_token):
    response = get_with(integration_token)

    assert response.status_code == 401
    assert integration_token not in response.content.decode()
    assert "Authorization: Token <key>" in response.json()["detail"]


@pytest.mark.parametrize("scheme", ["Token", "token", "TOKEN"])
def test_the_token_scheme_still_opens_the_api_in_any_case(integration_token, scheme):
    assert get_with(f"{scheme} {integration_token}").status_code == 200


def test_a_wrong_token_in_the_right_scheme_is_the_token_classs_401(integration_token):
    response = get_with("Token not-a-real-key")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid, expired or revoked token."


def test_without_any_header_the_answer_is_unchanged():
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Authentication credentials were not provided."
