"""The portal's home: the client's status, and nobody else's way in."""

from __future__ import annotations

import pytest
from django.utils import translation

from scoring.models import CreditDecision, Decision
from tests.pages import without_per_request_values

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/portal/"


@pytest.mark.parametrize(
    "user_fixture", ["advisor", "colleague", "supervisor", "risk_staff", "integration", "stranger"]
)
def test_everyone_but_clients_is_refused(client, request, user_fixture, application):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get("/portal/").status_code == 403


def test_a_superuser_is_no_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    assert client.get("/portal/").status_code == 403


def test_a_client_without_a_linked_record_is_told_so(client, client_user):
    client.force_login(client_user)
    response = client.get("/portal/")
    assert response.status_code == 200
    assert b'data-testid="no-record"' in response.content


def test_the_home_says_under_review_before_a_person_decided(client_a, application):
    with translation.override("en"):
        body = client_a.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Under review" in body
    assert str(application.pk) in body


def test_the_home_says_the_decision_once_recorded(client_a, application, advisor):
    CreditDecision.objects.create(
        application=application, outcome=Decision.REFUSED, decided_by=advisor
    )
    body = client_a.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Refused on" in body


def test_the_home_is_french_by_default(client_a):
    body = client_a.get("/portal/").content.decode()
    assert '<html lang="fr">' in body


def test_client_b_sees_only_their_own_file(
    client, other_client_user, other_application, application
):
    client.force_login(other_client_user)
    body = without_per_request_values(client.get(f"/portal/?sk_id_curr={application.pk}").content)
    assert str(other_application.pk) in body
    assert str(application.pk) not in body


@pytest.mark.parametrize(
    ("outcome", "french"), [(Decision.REFUSED, "Refusée le"), (Decision.GRANTED, "Accordée le")]
)
def test_the_status_agrees_with_the_application_in_french(
    client_a, application, advisor, outcome, french
):
    # Under "Où en est ma demande", beside "Reçue le": the application is what was refused.
    CreditDecision.objects.create(application=application, outcome=outcome, decided_by=advisor)
    body = client_a.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    status = body.split('data-testid="portal-status-text">')[1].split("</dd>")[0]
    assert status.startswith(f"{french} ")
