"""Sessions: the idle timeout, logging out everywhere on a password change, 12-char passwords."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.services import api_token_issue
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-long-password-2027"


def log_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client


def idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_longer_than_the_timeout_is_logged_out(advisor, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client = log_in(advisor)
    assert client.get("/clients/").status_code == 200
    idle_for(client, 30 * 60 + 1)

    response = client.get("/clients/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "logged out after 30 minutes without activity" in response.content.decode()


def test_activity_within_the_timeout_keeps_the_session_and_moves_it_forward(advisor, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client = log_in(advisor)
    client.get("/clients/")
    idle_for(client, 29 * 60)

    assert client.get("/clients/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5
    idle_for(client, 29 * 60)
    assert client.get("/clients/").status_code == 200


def test_the_idle_timeout_is_configured_in_minutes_with_thirty_by_default():
    from django.conf import settings

    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_changing_ones_password_logs_out_every_other_session_and_keeps_this_one(advisor):
    here, elsewhere = log_in(advisor), log_in(advisor)
    assert elsewhere.get("/clients/").status_code == 200

    response = here.post(
        "/accounts/password_change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert here.get("/clients/").status_code == 200
    assert elsewhere.get("/clients/")["Location"].startswith("/accounts/login/")


def test_a_password_change_revokes_the_accounts_api_tokens(integration, application):
    _token, key = api_token_issue(user=integration)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/applications").status_code == 200

    integration.set_password(NEW_PASSWORD)
    integration.save()

    assert api.get("/api/v1/applications").status_code == 401


def test_saving_an_account_without_a_password_change_keeps_its_tokens(integration, application):
    _token, key = api_token_issue(user=integration)
    integration.email = "partner@example.com"
    integration.save()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/applications").status_code == 200


@pytest.mark.parametrize(
    ("password", "valid"),
    [("short-pass1", False), ("exactly12chr", True), ("123456789012", False)],
)
def test_passwords_need_twelve_characters_and_pass_djangos_validators(password, valid):
    if valid:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_the_password_change_form_refuses_a_short_password(advisor):
    client = log_in(advisor)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Short-1", "new_password2": "Short-1"},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
