"""An application created through the API joins an advisor's portfolio, by a documented rule."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from clients.models import Application
from clients.selectors.advisors import advisor_for_new_application
from tests.api.bodies import SCORABLE
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"


def create(api_as, sk_id_curr: int):
    return api_as("integration").post(URL, {"SK_ID_CURR": sk_id_curr, **SCORABLE})


def test_the_integration_accounts_default_advisor_takes_its_applications(
    api_as, integration, advisor, colleague
):
    integration.default_advisor = colleague
    integration.save()
    ApplicationFactory.create_batch(3, advisor=advisor)  # colleague is not the least loaded

    response = create(api_as, 501)

    assert response.status_code == 201, response.content
    assert response.json()["advisor"] == colleague.username
    assert Application.objects.get(pk=501).advisor == colleague


def test_without_a_default_the_least_loaded_advisor_takes_it(api_as, advisor, colleague):
    ApplicationFactory.create_batch(2, advisor=advisor)
    ApplicationFactory.create_batch(1, advisor=colleague)

    create(api_as, 502)
    create(api_as, 503)

    assert Application.objects.get(pk=502).advisor == colleague  # 1 application against 2
    assert Application.objects.get(pk=503).advisor == advisor  # 2 each: the older account


def test_supervisors_and_inactive_advisors_take_nothing_by_the_rule(api_as, advisor, supervisor):
    ApplicationFactory.create_batch(2, advisor=advisor)
    UserFactory(username="advisor-gone", role=Role.ADVISOR, is_active=False)

    create(api_as, 504)

    assert Application.objects.get(pk=504).advisor == advisor


def test_a_default_advisor_who_cannot_take_applications_is_passed_over(
    api_as, integration, advisor, supervisor
):
    gone = UserFactory(username="advisor-gone", role=Role.ADVISOR, is_active=False)
    integration.default_advisor = gone
    integration.save()

    create(api_as, 505)

    assert Application.objects.get(pk=505).advisor == advisor
    event = AuditEvent.objects.get(action=AuditEvent.Action.APPLICATION_ASSIGNED)
    assert event.detail["rule"] == "least_loaded"
    assert event.detail["default_advisor_passed_over"] == "advisor-gone"


def test_the_assignment_is_audited(api_as, advisor):
    create(api_as, 506)

    event = AuditEvent.objects.get(action=AuditEvent.Action.APPLICATION_ASSIGNED)
    assert event.actor_username == "integration-partner"
    assert event.application_id == 506
    assert event.detail == {"advisor": "advisor-alice", "rule": "least_loaded", "channel": "api"}


def test_the_advisor_sees_the_new_application_in_their_portfolio(api_as, advisor):
    create(api_as, 507)

    assert Application.objects.for_user(advisor).filter(pk=507).exists()
    assert api_as("advisor").get(f"{URL}/507").status_code == 200


def test_with_no_advisor_at_all_nothing_is_recorded_and_the_answer_says_why(
    api_as, integration, supervisor
):
    response = api_as("integration").post(URL, {"SK_ID_CURR": 508, **SCORABLE})

    assert response.status_code == 503
    assert "no advisor can take this application" in response.json()["detail"]
    assert not Application.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_rule_breaks_ties_the_same_way_every_time(integration, advisor, colleague):
    chosen = {advisor_for_new_application(created_by=integration).advisor for _ in range(3)}

    assert chosen == {advisor}  # the older account (lower id) among equals
