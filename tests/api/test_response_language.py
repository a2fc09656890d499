"""One language per response: the request's Accept-Language, or ?lang=, for every message."""

from __future__ import annotations

import json
import re

import pytest
from rest_framework.test import APIClient

from tests.api.bodies import SCORABLE

pytestmark = pytest.mark.django_db

PREDICT = "/api/v1/predict"
# One bad body that gets a message from each source: a required field missing
# (ours), an unknown level, a number out of range, an unknown key (ours), a
# whole number that is not one (DRF's own) and a bad level in a history row.
BAD = {
    **{name: value for name, value in SCORABLE.items() if name != "AMT_ANNUITY"},
    "NAME_CONTRACT_TYPE": "Bogus",
    "EXT_SOURCE_2": 3,
    "amt_goods_price": 1,
    "CNT_CHILDREN": "two",
    "bureau_balance": [{"SK_ID_BUREAU": 9, "MONTHS_BALANCE": -1, "STATUS": "Z"}],
}
# Words only one of the two languages writes (whole words, case-insensitive).
ENGLISH = ["the", "must", "required", "level", "allowed", "field", "valid", "number", "is", "not"]
FRENCH = ["le", "doit", "obligatoire", "niveau", "autorisés", "champ", "nombre", "est", "pas"]


def words(body: object) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", json.dumps(body, ensure_ascii=False).lower()))


def messages_only(errors: dict) -> dict:
    """The error messages, without the keys (field names, table names, quoted values)."""
    text = json.dumps(list(_messages(errors)), ensure_ascii=False)
    return json.loads(re.sub(r"'[^']*'", "''", text))


def _messages(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _messages(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from _messages(value)
    else:
        yield re.sub(r"\b[A-Z][A-Z0-9_]{2,}\b", "", str(errors))  # Kaggle names are not words


@pytest.fixture
def api(integration_token, serving_version):
    def make(accept_language: str | None) -> APIClient:
        client = APIClient(**({"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}))
        client.credentials(HTTP_AUTHORIZATION=f"Token {integration_token}")
        return client

    return make


def test_a_bad_body_asked_in_french_is_answered_in_french_only(api):
    response = api("fr").post(PREDICT, BAD)

    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
    errors = response.json()
    assert set(errors) == {
        "AMT_ANNUITY",
        "NAME_CONTRACT_TYPE",
        "EXT_SOURCE_2",
        "amt_goods_price",
        "CNT_CHILDREN",
        "bureau_balance",
    }
    found = words(messages_only(errors))
    assert found & set(FRENCH), found
    assert not found & set(ENGLISH), found & set(ENGLISH)


def test_the_same_body_asked_in_english_is_answered_in_english_only(api):
    response = api("en").post(PREDICT, BAD)

    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    found = words(messages_only(response.json()))
    assert found & set(ENGLISH), found
    assert not found & set(FRENCH), found & set(FRENCH)


def test_lang_in_the_query_string_wins_over_accept_language(api):
    response = api("en").post(PREDICT + "?lang=fr", BAD)

    assert response["Content-Language"] == "fr"
    assert "obligatoire" in response.json()["AMT_ANNUITY"][0]
    assert response.json()["CNT_CHILDREN"] == ["Un nombre entier valide est requis."]


def test_without_accept_language_the_site_default_french_is_used(api):
    response = api(None).post(PREDICT, BAD)

    assert response["Content-Language"] == "fr"
    assert "obligatoire" in response.json()["AMT_ANNUITY"][0]


def test_authentication_and_permission_refusals_follow_the_language_too(stranger):
    anonymous = APIClient().post(PREDICT + "?lang=fr", SCORABLE)
    client = APIClient()
    client.force_login(stranger)
    refused = client.post(PREDICT + "?lang=fr", SCORABLE)
    english = client.post(PREDICT + "?lang=en", SCORABLE)

    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == "Informations d'authentification non fournies."
    assert refused.status_code == 403
    assert "Votre rôle" in refused.json()["detail"]
    assert english.json()["detail"].startswith("Your role cannot ask for a prediction")


def test_a_prediction_speaks_the_language_of_its_warnings_and_reasons(api):
    body = api("en").post(PREDICT + "?lang=fr", SCORABLE).json()

    assert body["explanation"]["language"] == "fr"
    assert "Aucune ligne" in body["warnings"][0]["message"]


def test_a_language_we_do_not_write_is_refused_where_lang_is_documented(api):
    response = api("en").post(PREDICT + "?lang=de", SCORABLE)

    assert response.status_code == 400
    assert response.json() == {"lang": ["must be one of fr, en."]}


def test_a_clients_refusal_follows_the_language_too(client_user):
    client = APIClient()
    client.force_login(client_user)
    french = client.post(PREDICT + "?lang=fr", SCORABLE)
    english = client.post(PREDICT + "?lang=en", SCORABLE)

    assert french.status_code == english.status_code == 403
    assert french["Content-Language"] == "fr" and "/portal/" in french.json()["detail"]
    assert english.json()["detail"].startswith("Your role (client) has no access to the API")
