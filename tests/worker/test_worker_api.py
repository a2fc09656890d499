"""The API's scoring through a real Celery worker: POST a score, the worker computes it, GET it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from tests.worker.conftest import wait_for_score

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def api(integration) -> APIClient:
    """An integration account's API client, with its token."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")
    return client


def test_a_score_asked_through_the_api_is_computed_by_the_worker_and_read_back(
    active_model_version, imported_clients, start_worker, api
):
    worker = start_worker()
    sk_id = imported_clients[3]

    asked = api.post(f"/api/v1/applications/{sk_id}/score")
    assert asked.status_code == 202, asked.content
    assert asked.json()["status"] == "pending"
    score_id = asked.json()["id"]

    wait_for_score(score_id, statuses={"done", "failed"})
    read = api.get(f"/api/v1/scores/{score_id}")
    assert read.status_code == 200
    assert read.json()["status"] == "done", read.json()["error"]
    assert 0 < read.json()["probability"] < 1
    assert read.json()["model_version"] == active_model_version.version
    assert "Task scoring.score_application[" in worker.log

    explanation = api.get(f"/api/v1/applications/{sk_id}/explanation?lang=fr")
    assert explanation.status_code == 200
    body = explanation.json()
    assert body["reasons"]["raising"] or body["reasons"]["lowering"]


def test_wait_answers_with_the_result_the_worker_stored(
    active_model_version, imported_clients, start_worker, api
):
    start_worker()
    sk_id = imported_clients[4]

    response = api.post(f"/api/v1/applications/{sk_id}/score?wait=30")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert response.json()["decision"] in {"granted", "refused"}
