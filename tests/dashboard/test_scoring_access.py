"""Who may use the scoring views of a client's page: every role against every view.

These answers come before any model is used (scoping, roles, permissions), so
no model is needed here; what each view does for the people allowed is tested
in test_scoring_views.py and test_decision_support_views.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (url name, HTTP method, whether the URL names a client).
CLIENT_VIEWS = [
    ("dashboard:score", "post"),
    ("dashboard:score-status", "get"),
    ("dashboard:what-if", "post"),
    ("dashboard:counterfactual", "get"),
    ("dashboard:decision", "post"),
    ("dashboard:explanation", "get"),
    ("dashboard:distribution", "get"),
    ("dashboard:bivariate", "get"),
]


def call(client, name: str, method: str, sk_id_curr: int):
    url = reverse(name, args=[sk_id_curr])
    return getattr(client, method)(url)


@pytest.mark.parametrize(("name", "method"), CLIENT_VIEWS)
def test_anonymous_user_is_sent_to_login(client, application, name, method):
    response = call(client, name, method, application.pk)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/clients/")


@pytest.mark.parametrize(("name", "method"), CLIENT_VIEWS)
def test_user_without_any_role_gets_403(client, stranger, application, name, method):
    client.force_login(stranger)
    assert call(client, name, method, application.pk).status_code == 403


@pytest.mark.parametrize(("name", "method"), CLIENT_VIEWS)
def test_colleague_gets_404_on_another_advisors_client(
    client, colleague, application, name, method
):
    client.force_login(colleague)
    assert call(client, name, method, application.pk).status_code == 404


@pytest.mark.parametrize(("name", "method"), CLIENT_VIEWS)
def test_a_missing_client_is_a_404_like_a_hidden_one(client, colleague, name, method):
    client.force_login(colleague)
    assert call(client, name, method, 999_999_999).status_code == 404


@pytest.mark.parametrize(("name", "method"), CLIENT_VIEWS)
def test_a_client_cannot_use_the_staff_tools_on_their_own_record(
    client, client_user, application, name, method
):
    client.force_login(client_user)
    assert call(client, name, method, application.pk).status_code == 403


@pytest.mark.parametrize(("name", "method"), CLIENT_VIEWS)
def test_a_client_gets_404_or_403_on_someone_elses_record(
    client, client_user, advisor, name, method
):
    from tests.factories import ApplicationFactory

    someone_else = ApplicationFactory(advisor=advisor)
    client.force_login(client_user)
    # POST views check the permission first (403), the others the scope (404): either
    # way nothing tells the client whether the record exists.
    assert call(client, name, method, someone_else.pk).status_code in (403, 404)


@pytest.mark.parametrize(
    ("name", "method"), [("dashboard:score", "post"), ("dashboard:decision", "post")]
)
def test_risk_staff_may_not_score_or_decide(client, risk_staff, application, name, method):
    client.force_login(risk_staff)
    assert call(client, name, method, application.pk).status_code == 403


# The decision form's address answers a GET by leading back to the client's decision (a
# refreshed or bookmarked form never shows a 405): tests/dashboard/test_scoring_views.py.
@pytest.mark.parametrize(
    ("name", "method"), [view for view in CLIENT_VIEWS if view[0] != "dashboard:decision"]
)
def test_actions_refuse_the_wrong_http_method(client, advisor, application, name, method):
    client.force_login(advisor)
    other = "get" if method == "post" else "post"
    assert call(client, name, other, application.pk).status_code == 405


def test_the_decision_forms_address_leads_a_get_back_to_the_clients_decision(
    client, advisor, application
):
    client.force_login(advisor)
    response = call(client, "dashboard:decision", "get", application.pk)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{application.pk}/#final-decision-heading")


@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor", "risk_staff"])
def test_staff_who_see_the_client_get_through_to_the_view(
    client, request, application, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    # No model and no score here: the views answer that, after letting the user in.
    assert call(client, "dashboard:score-status", "get", application.pk).status_code == 200
    counterfactual = call(client, "dashboard:counterfactual", "get", application.pk)
    assert counterfactual.status_code == 200
    assert "aucun modèle n’est actif" in counterfactual.content.decode()
    assert call(client, "dashboard:explanation", "get", application.pk).status_code == 404


# -- The review queue ---------------------------------------------------------------


def test_anonymous_user_is_sent_to_login_from_the_review_queue(client):
    response = client.get(reverse("dashboard:reviews"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reviews/"


@pytest.mark.parametrize("user_fixture", ["client_user", "stranger", "risk_staff", "integration"])
def test_users_without_a_portfolio_get_403_on_the_review_queue(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("dashboard:reviews")).status_code == 403


@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor"])
def test_advisors_and_supervisors_open_the_review_queue(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("dashboard:reviews")).status_code == 200
