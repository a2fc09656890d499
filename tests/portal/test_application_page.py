"""My application: the client's record in words, their own and nobody else's."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.builders import add_credit_history
from tests.pages import without_per_request_values

pytestmark = pytest.mark.django_db
URL = "/portal/application/"


def test_the_page_says_the_record_in_words_with_dates_and_currency(client_a, application):
    add_credit_history(application)
    body = client_a.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-testid="record-section-' in body
    assert "€" in body  # amounts with their currency
    assert "before the application" in body  # dates, not day counts
    assert not re.search(r">\s*-\d", body), "a negative count is shown"
    assert "DAYS_" not in body and "AMT_" not in body
    assert "Source:" in body


def test_client_b_cannot_reach_client_as_record_by_a_parameter(
    client, application, other_client_user, other_application
):
    client.force_login(other_client_user)
    body = without_per_request_values(
        client.get(f"{URL}?sk_id_curr={application.pk}&id={application.pk}").content
    )
    assert str(other_application.pk) in body or "record-section" in body
    assert str(application.pk) not in body


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor", "risk_staff", "integration"])
def test_staff_are_refused(client, request, user_fixture, application):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(URL).status_code == 403
