"""Who may open the portfolio and a client's page: every role, including the ones that may not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import ApplicationFactory, UserFactory
from tests.pages import without_per_request_values

pytestmark = pytest.mark.django_db


def detail_url(application) -> str:
    return reverse("dashboard:client", args=[application.pk])


PORTFOLIO = "/clients/"


# -- Portfolio -------------------------------------------------------------


def test_anonymous_user_is_sent_to_login_from_the_portfolio(client):
    response = client.get(PORTFOLIO)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/clients/"


def test_advisor_sees_their_portfolio(client, advisor, application):
    client.force_login(advisor)
    response = client.get(PORTFOLIO)
    assert response.status_code == 200
    assert [row["sk_id_curr"] for row in response.context["rows"]] == [application.pk]


def test_colleague_sees_their_own_portfolio_without_another_advisors_client(
    client, colleague, application
):
    client.force_login(colleague)
    response = client.get(PORTFOLIO)
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_supervisor_sees_every_client_with_its_advisor(client, supervisor, application):
    other = ApplicationFactory(advisor=UserFactory(role=Role.ADVISOR))
    client.force_login(supervisor)
    response = client.get(PORTFOLIO)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row["sk_id_curr"] for row in rows} == {application.pk, other.pk}
    assert "advisor-alice" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["client_user", "stranger", "integration", "risk_staff"])
def test_users_without_a_portfolio_get_403_on_the_portfolio(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(PORTFOLIO).status_code == 403


def test_portfolio_refuses_post(client, advisor):
    client.force_login(advisor)
    assert client.post(PORTFOLIO).status_code == 405


# -- Client page -------------------------------------------------------------


def test_anonymous_user_is_sent_to_login_from_a_client_page(client, application):
    response = client.get(detail_url(application))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/clients/")


def test_owner_advisor_opens_their_clients_page(client, advisor, application):
    client.force_login(advisor)
    assert client.get(detail_url(application)).status_code == 200


def test_colleague_gets_404_on_another_advisors_client(client, colleague, application):
    client.force_login(colleague)
    assert client.get(detail_url(application)).status_code == 404


def test_404_for_a_hidden_client_is_the_same_as_for_a_missing_one(client, colleague, application):
    """The answer must not tell an existing record of another portfolio from no record."""
    client.force_login(colleague)
    hidden = client.get(detail_url(application))
    missing = client.get(reverse("dashboard:client", args=[999_999_999]))
    assert hidden.status_code == missing.status_code == 404
    assert without_per_request_values(hidden.content) == without_per_request_values(missing.content)


def test_supervisor_opens_any_clients_page(client, supervisor, application):
    client.force_login(supervisor)
    assert client.get(detail_url(application)).status_code == 200


def test_client_is_refused_the_advisors_page_of_their_own_record(client, client_user, application):
    # Their record, in words, is in the portal (/portal/): the advisor's page shows codes,
    # day counts and the model's output before anyone decided.
    client.force_login(client_user)
    assert client.get(detail_url(application)).status_code == 403


def test_client_is_refused_someone_elses_record_alike(client, client_user, application):
    someone_else = ApplicationFactory(advisor=application.advisor)
    client.force_login(client_user)
    assert client.get(detail_url(someone_else)).status_code == 403


def test_user_without_any_role_gets_403_on_a_client_page(client, stranger, application):
    client.force_login(stranger)
    assert client.get(detail_url(application)).status_code == 403


def test_user_without_any_role_gets_403_even_for_a_missing_record(client, stranger):
    client.force_login(stranger)
    assert client.get(reverse("dashboard:client", args=[999_999_999])).status_code == 403


def test_inactive_advisor_cannot_log_in_to_the_client_page(client, advisor, application):
    advisor.is_active = False
    advisor.save()
    client.force_login(advisor)
    # Django's ModelBackend refuses inactive users: the session is not accepted.
    response = client.get(detail_url(application))
    assert response.status_code == 302


def test_an_integration_account_cannot_open_a_client_page(client, integration, application):
    """Machine accounts see every application through the API, never through the pages."""
    client.force_login(integration)
    assert client.get(detail_url(application)).status_code == 403
