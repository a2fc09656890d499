"""Each event of issue 13 that exists today is recorded, with who, which client, from where.

Recorded and tested elsewhere, beside their feature: score requests
(tests/scoring/test_score_request.py), score views (tests/api/test_score_detail.py),
explanation views (tests/api/test_application_explanation.py,
tests/dashboard/test_scoring_views.py), stateless predictions
(tests/api/test_predict.py), model activations (tests/scoring/test_model_activation.py).
The kinds whose feature is still to come are in test_kinds_to_come.py.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from audit import receivers
from audit.models import AuditEvent
from audit.verify import audit_chain_verify
from scoring.batch import batch_job_create
from scoring.decisions import credit_decision_record
from scoring.reviews import review_request_create
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
Action, Channel = AuditEvent.Action, AuditEvent.Channel
LOGIN = "/accounts/login/"


def only(action: Action) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


@pytest.fixture
def api(integration) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="198.51.100.7")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")
    return client


# -- accounts ------------------------------------------------------------------------------


def test_a_login_is_recorded_with_the_address(client, advisor):
    response = client.post(
        LOGIN,
        {"username": advisor.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )

    assert response.status_code == 302
    event = only(Action.LOGIN_SUCCEEDED)
    assert (event.actor_id, event.actor_username, event.actor_role) == (
        advisor.pk, advisor.username, "advisor",
    )  # fmt: skip
    assert (event.channel, event.client_address) == (Channel.WEB, "203.0.113.5")


def test_a_failed_login_keeps_the_name_tried_and_never_the_password(client, advisor):
    client.post(
        LOGIN, {"username": advisor.username, "password": "wrong"}, REMOTE_ADDR="203.0.113.6"
    )
    client.post(LOGIN, {"username": "nobody-at-all", "password": "wrong"})

    tried = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    assert [(e.actor_id, e.actor_username) for e in tried] == [
        (None, advisor.username), (None, "nobody-at-all"),
    ]  # fmt: skip
    assert tried[0].client_address == "203.0.113.6"
    assert "wrong" not in str(list(tried.values()))
    assert not AuditEvent.objects.filter(action=Action.LOGIN_SUCCEEDED).exists()


def test_a_failed_token_request_is_a_failed_login_through_the_api(integration):
    APIClient().post("/api/v1/auth/token", {"username": integration.username, "password": "x"})

    event = only(Action.LOGIN_FAILED)
    assert (event.actor_username, event.channel) == (integration.username, Channel.API)


def test_a_logout_is_recorded(client, advisor):
    client.force_login(advisor)
    client.post("/accounts/logout/")

    assert only(Action.LOGOUT).actor_id == advisor.pk


def test_a_lockout_is_recorded_with_the_locked_name_and_address(db):
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.9.9.9")

    receivers.record_lockout("axes", request=request, username="alice", ip_address="192.0.2.44")

    event = only(Action.LOGIN_LOCKED_OUT)
    assert (event.actor_username, event.client_address) == ("alice", "192.0.2.44")
    assert event.detail == {"username": "alice", "by": "axes"}


def test_a_real_lockout_on_the_login_page_is_recorded(client, advisor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(3):
        client.post(
            LOGIN,
            {"username": advisor.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}",
        )

    event = only(Action.LOGIN_LOCKED_OUT)
    assert (event.actor_username, event.client_address) == (advisor.username, "203.0.113.3")
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 3
    assert audit_chain_verify().ok


def test_a_refusal_is_recorded_with_what_was_asked(client, stranger):
    client.force_login(stranger)

    assert client.get("/clients/").status_code == 403

    event = only(Action.ACCESS_DENIED)
    assert event.actor_id == stranger.pk
    assert event.detail == {"method": "GET", "path": "/clients/"}


def test_an_api_token_issued_and_revoked_is_recorded(integration):
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token", {"username": integration.username, "password": DEFAULT_PASSWORD}
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert api.delete("/api/v1/auth/token").status_code == 204

    key = response.data["token"]
    created = only(Action.TOKEN_CREATED)
    assert created.actor_id == integration.pk
    assert created.detail["prefix"] == key[:8]
    assert only(Action.TOKEN_REVOKED).detail == {"revoked": 1, "prefix": key[:8]}
    assert key not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_tokens_revoked_by_staff_in_the_admin_are_recorded_with_who_did_it(
    client, integration, risk_staff
):
    token, key = api_token_issue(user=integration)
    client.force_login(risk_staff)

    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = only(Action.TOKEN_REVOKED)
    assert event.actor_id == risk_staff.pk
    assert event.detail == {
        "revoked": 1, "prefixes": [token.prefix], "users": [integration.pk], "by": "admin",
    }  # fmt: skip
    assert key not in str(event.detail)


# -- client records ------------------------------------------------------------------------


def test_an_advisor_opening_a_client_page_is_recorded(client, advisor, application):
    client.force_login(advisor)
    assert client.get(f"/clients/{application.pk}/", REMOTE_ADDR="10.1.2.3").status_code == 200

    event = only(Action.CLIENT_RECORD_VIEWED)
    assert (event.actor_id, event.application_id) == (advisor.pk, application.pk)
    assert (event.channel, event.client_address) == (Channel.DASHBOARD, "10.1.2.3")
    assert event.detail == {"view": "client_page", "own_record": False}


def test_a_client_opening_their_own_record_is_recorded(client, client_user, application):
    client.force_login(client_user)
    assert client.get("/portal/application/").status_code == 200

    event = only(Action.CLIENT_RECORD_VIEWED)
    assert (event.actor_role, event.detail["own_record"]) == ("client", True)
    assert (event.application_id, event.channel) == (application.pk, Channel.PORTAL)


def test_an_application_read_through_the_api_is_recorded(api, integration, application):
    assert api.get(f"/api/v1/applications/{application.pk}").status_code == 200

    event = only(Action.CLIENT_RECORD_VIEWED)
    assert (event.actor_id, event.application_id, event.channel) == (
        integration.pk, application.pk, Channel.API,
    )  # fmt: skip
    assert event.client_address == "198.51.100.7"


def test_a_page_of_the_api_list_names_every_record_shown(api, application):
    api.get("/api/v1/applications")

    assert only(Action.CLIENT_RECORDS_LISTED).detail == {
        "applications": [application.pk], "page": "1",
    }  # fmt: skip


def test_an_application_created_through_the_api_is_recorded_with_its_fields(
    api, integration, advisor
):
    body = {
        "SK_ID_CURR": 123456, "NAME_CONTRACT_TYPE": "Cash loans", "AMT_INCOME_TOTAL": 150000.0,
        "AMT_CREDIT": 500000, "AMT_ANNUITY": 25000.0, "DAYS_BIRTH": -12000,
        "DAYS_EMPLOYED": -1500,
    }  # fmt: skip

    response = api.post("/api/v1/applications", body)

    assert response.status_code == 201, response.content

    event = only(Action.APPLICATION_CREATED)
    assert (event.actor_id, event.application_id, event.channel) == (
        integration.pk, 123456, Channel.API,
    )  # fmt: skip
    assert event.detail["changes"]["AMT_CREDIT"] == {"before": None, "after": 500000}
    assert event.detail["changes"]["NAME_CONTRACT_TYPE"]["after"] == "Cash loans"
    # ...then given to an advisor (clients.services.application_create_assigned), after it.
    assigned = only(Action.APPLICATION_ASSIGNED)
    assert assigned.pk > event.pk and assigned.detail["advisor"] == advisor.username


def test_an_update_through_the_api_records_each_changed_field_before_and_after(api, application):
    before = application.amt_credit
    response = api.patch(
        f"/api/v1/applications/{application.pk}",
        {"AMT_CREDIT": before + 1000, "AMT_INCOME_TOTAL": application.amt_income_total},
    )

    assert response.status_code == 200
    event = only(Action.APPLICATION_UPDATED)
    assert event.application_id == application.pk
    # Only what changed: the income was sent with its current value.
    assert event.detail == {
        "changes": {"AMT_CREDIT": {"before": before, "after": before + 1000}},
        "replace": False,
    }


# -- decisions, reviews, models ------------------------------------------------------------


def test_a_review_request_is_recorded(application, client_user):
    review = review_request_create(
        application=application,
        requested_by=client_user,
        message="My income is wrong.",
        claimed={"AMT_INCOME_TOTAL": 42000},
    )

    event = only(Action.REVIEW_REQUESTED)
    assert (event.actor_id, event.actor_role, event.application_id) == (
        client_user.pk, "client", application.pk,
    )  # fmt: skip
    assert event.detail == {
        "review": review.pk,
        "message_length": len("My income is wrong."),
        "claimed": {"AMT_INCOME_TOTAL": 42000.0},
        "claimed_other": False,
        "due_at": review.due_at.isoformat(),
    }


def test_a_decision_without_a_score_is_an_override_recorded_with_its_justification(
    application, advisor
):
    justification = "No score yet: decided on the payslips and the contract."
    decision = credit_decision_record(
        application=application, decided_by=advisor, outcome="granted", justification=justification
    )

    event = only(Action.DECISION_RECORDED)
    assert (event.actor_id, event.actor_role, event.application_id) == (
        advisor.pk, "advisor", application.pk,
    )  # fmt: skip
    assert event.detail["decision"] == decision.pk
    assert event.detail["override"] is True and event.detail["model_decision"] == ""
    assert event.detail["justification"] == justification


def test_a_model_registration_is_recorded_with_its_artifact(active_model_version):
    event = only(Action.MODEL_REGISTERED)

    assert event.model_version == active_model_version.version
    assert event.detail["artifact_hash"] == active_model_version.artifact_hash
    assert event.detail["threshold"] == active_model_version.threshold
    # Registered first, then activated: the chain keeps that order.
    assert only(Action.MODEL_ACTIVATED).pk > event.pk


def test_a_batch_submission_is_recorded(active_model_version, integration):
    from ml.synthetic import generate

    frame = generate(1, seed=4, test_clients=3)["application_test"]
    data = frame.to_csv(index=False).encode()
    upload = SimpleUploadedFile("batch.csv", data, "text/csv")

    job = batch_job_create(uploaded=upload, created_by=integration)

    event = only(Action.BATCH_SUBMITTED)
    assert (event.actor_id, event.model_version) == (integration.pk, active_model_version.version)
    # The rows are counted by the worker (job.total_rows); the request knows the file's size.
    assert event.detail == {"job": str(job.pk), "bytes": len(data)}
