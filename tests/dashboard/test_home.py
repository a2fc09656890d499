"""`/` sends each role to its home."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor"])
def test_advisors_and_supervisors_land_on_the_portfolio(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/clients/"


def test_risk_staff_land_on_the_admin_site(client, risk_staff):
    client.force_login(risk_staff)
    response = client.get("/")
    assert response["Location"] == "/admin/"


def test_client_lands_on_the_portal(client, client_user, application):
    client.force_login(client_user)
    response = client.get("/")
    assert response["Location"] == "/portal/"


def test_integration_account_is_pointed_to_the_api_docs(client, integration):
    client.force_login(integration)
    response = client.get("/")
    assert response.status_code == 200
    assert "/api/docs/" in response.content.decode()


def test_user_without_a_role_gets_403(client, stranger):
    client.force_login(stranger)
    assert client.get("/").status_code == 403


def test_login_form_logs_an_advisor_in_and_lands_on_the_portfolio(client, advisor):
    from tests.factories import DEFAULT_PASSWORD

    response = client.post(
        "/accounts/login/",
        {"username": advisor.username, "password": DEFAULT_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1] == ("/clients/", 302)
    assert response.status_code == 200


def test_login_page_has_the_username_and_password_fields(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in body
    assert 'name="password"' in body
