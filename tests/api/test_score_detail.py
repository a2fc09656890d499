"""GET /api/v1/scores/{id}: a score, scoped through its application, every read audited."""

from __future__ import annotations

import uuid

import pytest

from audit.models import AuditEvent
from tests.api.matrices import READ_WITHIN_SCOPE

pytestmark = pytest.mark.django_db

MATRIX = READ_WITHIN_SCOPE


def url(score) -> str:
    return f"/api/v1/scores/{score.pk}"


@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_read_a_score(caller, api_as, scored):
    response = api_as(caller).get(url(scored))

    assert response.status_code == MATRIX[caller], response.content
    viewed = AuditEvent.objects.filter(action=AuditEvent.Action.SCORE_VIEWED)
    assert viewed.exists() == (response.status_code == 200)


def test_a_score_shows_its_result_and_the_model_that_made_it(api_as, scored, serving_version):
    body = api_as("advisor").get(url(scored)).json()

    assert body["id"] == str(scored.pk)
    assert body["application"] == scored.application_id
    assert body["status"] == "done"
    assert body["probability"] == pytest.approx(scored.probability)
    assert body["decision"] in ("granted", "refused")
    assert body["threshold"] == pytest.approx(serving_version.threshold)
    assert body["model_version"] == serving_version.version
    assert body["explanation_url"].endswith(
        f"/api/v1/applications/{scored.application_id}/explanation"
    )


def test_a_colleagues_score_looks_like_a_score_that_does_not_exist(api_as, scored):
    colleague = api_as("colleague")

    hidden = colleague.get(url(scored))
    missing = colleague.get(f"/api/v1/scores/{uuid.uuid4()}")

    assert hidden.status_code == missing.status_code == 404
    assert str(scored.pk) in hidden.json()["detail"]


def test_every_read_is_audited_with_who_and_which_model(api_as, scored, serving_version):
    api_as("advisor").get(url(scored))

    event = AuditEvent.objects.get(action=AuditEvent.Action.SCORE_VIEWED)
    assert event.actor_username == "advisor-alice"
    assert event.application_id == scored.application_id
    assert event.model_version == serving_version.version
    assert event.detail["score"] == str(scored.pk)
