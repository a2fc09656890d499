"""GET /api/v1/applications/{id}/explanation: why the latest score is what it is."""

from __future__ import annotations

import math

import pytest

from audit.models import AuditEvent
from scoring.models import Explanation
from tests.api.matrices import READ_WITHIN_SCOPE

pytestmark = pytest.mark.django_db

MATRIX = READ_WITHIN_SCOPE


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}/explanation"


@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_read_an_explanation(caller, api_as, scored):
    response = api_as(caller).get(url(scored.application))

    assert response.status_code == MATRIX[caller], response.content
    viewed = AuditEvent.objects.filter(action=AuditEvent.Action.EXPLANATION_VIEWED)
    assert viewed.exists() == (response.status_code == 200)


def test_the_explanation_adds_up_to_the_models_raw_output(api_as, scored):
    body = api_as("advisor").get(url(scored.application), {"lang": "en", "top": 5}).json()

    assert body["score_id"] == str(scored.pk)
    assert len(body["contributions"]) == 5
    total = (
        body["base_value"]
        + math.fsum(row["contribution"] for row in body["contributions"])
        + body["other_features"]
    )
    assert total == pytest.approx(body["raw_score"], abs=1e-6)
    stored = Explanation.objects.get(score=scored)
    assert body["raw_score"] == pytest.approx(stored.raw_score)
    assert body["probability"] == pytest.approx(scored.probability)


def test_reasons_are_given_in_french_and_in_english(api_as, scored):
    advisor = api_as("advisor")

    english = advisor.get(url(scored.application), {"lang": "en"}).json()
    french = advisor.get(url(scored.application), {"lang": "fr"}).json()

    assert english["language"] == "en" and french["language"] == "fr"
    for body in (english, french):
        assert body["reasons"]["raising"] or body["reasons"]["lowering"]
    assert english["reasons"] != french["reasons"]
    assert english["contributions"][0]["label"] != french["contributions"][0]["label"]


def test_without_a_finished_score_the_answer_is_a_404_saying_what_to_do(api_as, application):
    response = api_as("advisor").get(url(application))

    assert response.status_code == 404
    assert "no finished score yet" in response.json()["detail"]
    assert f"/api/v1/applications/{application.pk}/score" in response.json()["detail"]


@pytest.mark.parametrize(("params", "name"), [({"lang": "de"}, "lang"), ({"top": 0}, "top")])
def test_bad_parameters_are_named(api_as, scored, params, name):
    response = api_as("advisor").get(url(scored.application), params)

    assert response.status_code == 400
    assert name in response.json()


def test_every_read_is_audited_with_who_and_which_model(api_as, scored, serving_version):
    api_as("integration").get(url(scored.application), {"lang": "fr"})

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPLANATION_VIEWED)
    assert event.actor_username == "integration-partner"
    assert event.application_id == scored.application_id
    assert event.model_version == serving_version.version
    assert event.detail["score"] == str(scored.pk)


def test_the_explanation_lists_the_client_facts_adding_up_to_the_same_raw_output(api_as, scored):
    body = api_as("advisor").get(url(scored.application), {"lang": "en"}).json()

    facts = body["facts"]
    assert facts and len({fact["key"] for fact in facts}) == len(facts)
    total = math.fsum(fact["contribution"] for fact in facts) + body["other_facts"]["contribution"]
    assert body["base_value"] + total == pytest.approx(body["raw_score"], abs=1e-6)
    points = math.fsum(fact["points"] for fact in facts) + body["other_facts"]["points"]
    assert points == pytest.approx(
        100 * (body["client_probability"] - body["base_probability"]), abs=1e-6
    )
    assert body["client_probability"] == pytest.approx(body["probability"])
    said = [fact["sentence"] for fact in facts if fact["is_reason"]]
    assert sorted(said) == sorted(body["reasons"]["raising"] + body["reasons"]["lowering"])
