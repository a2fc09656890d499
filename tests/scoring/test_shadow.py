"""A challenger in shadow: scored with every champion score, stored, never a decision.

The worker computes the challenger's score of the same applications in the
same task, from the same features; it is stored as a ShadowScore for the
risk staff's comparison page (monitoring/shadow.py) and appears nowhere
else: not on the client's page, not in the API, not in the decision record.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from clients.frames import tables_for_applications
from clients.models import Application
from scoring.governance import model_version_shadow_start
from scoring.models import ModelVersion, Score, ShadowScore
from scoring.registry import model_version_register, scoring_model_for
from scoring.services import applications_score_unscored

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenger(active_model_version, challenger_artifact, risk_staff) -> ModelVersion:
    version = model_version_register(artifact_dir=challenger_artifact)
    return model_version_shadow_start(
        version=version, started_by=risk_staff, reason="compare before the review"
    )


def predicted(version: ModelVersion, sk_id: int):
    model = scoring_model_for(version)
    return model.predict(model.features(tables_for_applications([sk_id])))


def test_every_champion_score_comes_with_the_challengers_stored_beside_it(
    challenger, active_model_version, scored
):
    score = scored(0)

    shadow = ShadowScore.objects.get(score=score)
    assert shadow.model_version == challenger
    expected = predicted(challenger, score.application_id)
    assert shadow.probability == pytest.approx(float(expected.probability[0]))
    assert shadow.would_decide == str(expected.decision[0])
    # The score itself, its decision included, is the champion's alone.
    champion = predicted(active_model_version, score.application_id)
    assert score.model_version == active_model_version
    assert score.probability == pytest.approx(float(champion.probability[0]))
    assert score.decision == str(champion.decision[0])


def test_without_a_challenger_nothing_is_stored_in_shadow(active_model_version, scored):
    scored(0)

    assert not ShadowScore.objects.exists()


def test_scoring_the_portfolio_in_chunks_scores_the_challenger_too(challenger, imported_clients):
    applications_score_unscored(chunk_size=5)

    assert ShadowScore.objects.filter(model_version=challenger).count() == len(imported_clients)
    assert Score.objects.filter(model_version=challenger).count() == 0


def test_a_challenger_that_cannot_load_never_stops_the_champions_score(
    active_model_version, scored, risk_staff
):
    broken = ModelVersion.objects.create(
        version="broken01", artifact_hash="f" * 64, archive="model-artifacts/missing.tar.gz",
        threshold=0.2, cost_false_negative=10, cost_false_positive=1,
    )  # fmt: skip
    model_version_shadow_start(version=broken, started_by=risk_staff, reason="a broken archive")

    score = scored(0)

    assert score.status == Score.Status.DONE and not ShadowScore.objects.exists()


def test_the_challengers_score_never_reaches_the_api_nor_the_client_page(
    challenger, scored, integration, client, advisor
):
    score = scored(0)
    shadow = ShadowScore.objects.get(score=score)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")

    answers = [
        api.get(f"/api/v1/scores/{score.pk}").content.decode(),
        api.get(f"/api/v1/applications/{score.application_id}").content.decode(),
    ]
    Application.objects.filter(pk=score.application_id).update(advisor=advisor)
    client.force_login(advisor)
    answers.append(client.get(f"/clients/{score.application_id}/").content.decode())

    assert shadow.model_version == challenger
    for answer in answers:
        assert challenger.version not in answer
    assert all("shadow" not in answer.lower() for answer in answers[:2])  # the API's JSON
    assert f'"probability":{score.probability}' in answers[0].replace(" ", "")


# -- the comparison page ------------------------------------------------------------------------


def test_risk_staff_compare_the_challenger_with_the_champion(
    challenger, imported_clients, client, risk_staff
):
    applications_score_unscored()
    client.force_login(risk_staff)

    response = client.get("/monitoring/shadow/")

    assert response.status_code == 200
    page = response.content.decode()
    assert challenger.version in page
    assert 'data-testid="shadow-figures"' in page and 'data-testid="shadow-differences"' in page
    figures = response.context["comparison"].figures
    assert figures["scores"] == len(imported_clients)
    assert 0 <= figures["agreement"] <= 1
    assert sum(bin_["count"] for bin_ in figures["differences"]) == len(imported_clients)
    assert figures["with_outcome"]["rows"] == Application.objects.exclude(target=None).count()


def test_the_comparison_page_says_when_nothing_was_scored_in_shadow_yet(
    challenger, client, risk_staff
):
    client.force_login(risk_staff)

    response = client.get("/monitoring/shadow/", {"version": challenger.version})

    assert response.status_code == 200
    assert 'data-testid="no-shadow-scores"' in response.content.decode()


def test_an_unknown_version_is_not_found(challenger, client, risk_staff):
    client.force_login(risk_staff)

    assert client.get("/monitoring/shadow/", {"version": "nosuch"}).status_code == 404


@pytest.mark.parametrize("who", ["advisor", "supervisor", "client_user", "integration"])
def test_no_one_but_risk_staff_reads_the_comparison(challenger, client, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/monitoring/shadow/").status_code == 403
