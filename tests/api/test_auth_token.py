"""POST/DELETE /api/v1/auth/token: integration accounts obtain and revoke their tokens.

Tokens are stored as digests with an expiry (accounts.ApiToken); the endpoint
answers a wrong password and a wrong role identically, and counts both for the
login lockout (tests/accounts/test_login_lockout.py covers the lockout itself).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_issue
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token"


def obtain(username: str, password: str = DEFAULT_PASSWORD):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        URL, {"username": username, "password": password}
    )


def api_with(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_integration_account_gets_a_token_that_opens_the_api(integration, application):
    response = obtain("integration-partner")

    assert response.status_code == 200
    key = response.json()["token"]
    assert api_with(key).get("/api/v1/applications").status_code == 200


def test_the_answer_says_when_the_token_expires(integration, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30

    expires_at = parse_datetime(obtain("integration-partner").json()["expires_at"])

    assert abs(expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_the_key_is_not_in_the_database_only_its_digest_and_prefix(integration):
    key = obtain("integration-partner").json()["token"]

    token = ApiToken.objects.get(user=integration)
    assert token.prefix == key[:8]
    assert token.key_digest != key and len(token.key_digest) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = str(cursor.fetchall())
    assert key not in stored


def test_each_request_issues_a_new_token_and_the_earlier_ones_keep_working(
    integration, application
):
    first, second = (obtain("integration-partner").json()["token"] for _ in range(2))

    assert first != second
    assert api_with(first).get("/api/v1/applications").status_code == 200
    assert api_with(second).get("/api/v1/applications").status_code == 200


def test_an_expired_token_is_refused(integration, application):
    token, key = api_token_issue(user=integration)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = api_with(key).get("/api/v1/applications")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid, expired or revoked token."


def test_a_revoked_token_is_refused(integration, application):
    token, key = api_token_issue(user=integration)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    assert api_with(key).get("/api/v1/applications").status_code == 401


def test_the_token_of_a_disabled_account_is_refused(integration, application):
    _token, key = api_token_issue(user=integration)
    integration.is_active = False
    integration.save()

    assert api_with(key).get("/api/v1/applications").status_code == 401


def test_a_token_records_when_it_was_last_used(integration, application):
    token, key = api_token_issue(user=integration)

    api_with(key).get("/api/v1/applications")

    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    "fixture", ["advisor", "supervisor", "client_user", "risk_staff", "stranger"]
)
def test_a_right_password_of_another_role_gets_the_same_answer_as_a_wrong_password(
    request, integration, fixture
):
    person = request.getfixturevalue(fixture)
    wrong_password = obtain("integration-partner", "not-the-password")
    unknown_account = obtain("nobody-by-that-name")

    right_password_wrong_role = obtain(person.username)

    for response in (right_password_wrong_role, unknown_account):
        assert response.status_code == wrong_password.status_code == 400
        assert response.json() == wrong_password.json()
        assert response.content == wrong_password.content
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("body", [["integration-partner", DEFAULT_PASSWORD], "x", 3, None])
def test_a_json_body_that_is_not_an_object_is_a_400_naming_the_two_fields(integration, body):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ['Must include "username" and "password".']}
    assert not ApiToken.objects.exists()


def test_a_token_revoked_by_its_owner_stops_working_and_only_that_one(integration, application):
    _token, kept = api_token_issue(user=integration)
    client = api_with(api_token_issue(user=integration)[1])

    response = client.delete(URL)

    assert response.status_code == 204
    assert client.get("/api/v1/applications").status_code == 401
    assert api_with(kept).get("/api/v1/applications").status_code == 200
    assert ApiToken.objects.filter(user=integration, revoked_at__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("caller", "status"),
    [("anonymous", 401), ("advisor", 403), ("client_own", 403), ("stranger", 403)],
)
def test_only_token_holders_revoke(api_as, caller, status):
    assert api_as(caller).delete(URL).status_code == status


def test_the_admin_lists_tokens_by_prefix_and_revokes_them_never_showing_a_key(
    client, integration, application
):
    token, key = api_token_issue(user=integration)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/accounts/apitoken/")
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert listing.status_code == detail.status_code == 200
    for page in (listing, detail):
        assert token.prefix in page.content.decode()
        assert key not in page.content.decode()
        assert token.key_digest not in page.content.decode()
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_with(key).get("/api/v1/applications").status_code == 401


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "integration\x00partner", "password": "x"},
        {"username": "integration-partner", "password": "pass\x00word"},
        {"username": "u" * 151, "password": "x"},
        {"username": "integration-partner", "password": "x" * 4097},
    ],
    ids=["NUL in the username", "NUL in the password", "long username", "long password"],
)
def test_a_nul_character_or_an_overlong_field_is_a_400_not_a_server_error(
    api_as, integration, credentials
):
    # Found by the fuzzer: a NUL reached django-axes' lockout query, which PostgreSQL refused.
    response = api_as("anonymous").post("/api/v1/auth/token", credentials, format="json")

    assert response.status_code == 400, response.content
