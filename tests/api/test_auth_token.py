"""POST/DELETE /api/v1/auth/token: integration accounts obtain and revoke their token."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token"


def obtain(username: str, password: str = DEFAULT_PASSWORD):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        URL, {"username": username, "password": password}
    )


def test_an_integration_account_gets_a_token_that_opens_the_api(integration, application):
    response = obtain("integration-partner")

    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=integration).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/applications").status_code == 200


def test_asking_again_returns_the_same_token(integration):
    assert obtain("integration-partner").json() == obtain("integration-partner").json()


def test_wrong_credentials_are_a_400_without_a_token(integration):
    response = obtain("integration-partner", "wrong")

    assert response.status_code == 400
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    "fixture", ["advisor", "supervisor", "client_user", "risk_staff", "stranger"]
)
def test_people_use_their_session_not_a_token(request, fixture):
    user = request.getfixturevalue(fixture)

    response = obtain(user.username)

    assert response.status_code == 403
    assert "integration accounts" in response.json()["detail"]
    assert not Token.objects.exists()


def test_a_token_revoked_by_its_owner_stops_working(api_as, integration):
    client = api_as("integration")

    response = client.delete(URL)

    assert response.status_code == 204
    assert not Token.objects.filter(user=integration).exists()
    assert client.get("/api/v1/applications").status_code == 401


@pytest.mark.parametrize(
    ("caller", "status"),
    [("anonymous", 401), ("advisor", 403), ("client_own", 403), ("stranger", 403)],
)
def test_only_token_holders_revoke(api_as, caller, status):
    assert api_as(caller).delete(URL).status_code == status


def test_an_administrator_revokes_any_token_in_the_admin_site(client, integration_token):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    token = Token.objects.get(key=integration_token)

    page = client.get(f"/admin/authtoken/tokenproxy/{token.user_id}/delete/")
    response = client.post(f"/admin/authtoken/tokenproxy/{token.user_id}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert not Token.objects.exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {integration_token}")
    assert api.get("/api/v1/applications").status_code == 401
