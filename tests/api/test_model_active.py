"""GET /api/v1/models/active: the model card of the version that serves."""

from __future__ import annotations

import pytest

from scoring.models import ModelVersion
from scoring.registry import forget_loaded_models

pytestmark = pytest.mark.django_db

URL = "/api/v1/models/active"

MATRIX = {
    "anonymous": 401,
    "integration": 200,
    "advisor": 200,
    "colleague": 200,
    "supervisor": 200,
    "client_own": 403,
    "client_other": 403,
    "staff": 200,
    "stranger": 403,
}


@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_read_the_model_card(caller, api_as, serving_version, application):
    response = api_as(caller).get(URL)

    assert response.status_code == MATRIX[caller], response.content


def test_the_card_describes_the_active_version(api_as, serving_version):
    body = api_as("staff").get(URL, {"lang": "en"}).json()

    assert body["version"] == serving_version.version
    assert body["threshold"] == pytest.approx(serving_version.threshold)
    assert body["cost_weights"] == {
        "false_negative": serving_version.cost_false_negative,
        "false_positive": serving_version.cost_false_positive,
    }
    assert body["metrics"] == serving_version.metrics
    assert body["trained_on"] == serving_version.trained_on
    assert body["feature_count"] == len(serving_version.feature_names) > 0
    assert body["activated_at"] is not None
    importance = body["global_importance"]
    assert len(importance) == 20
    values = [row["importance"] for row in importance]
    assert values == sorted(values, reverse=True)
    assert all(row["label"] for row in importance)
    assert body["model_card"].startswith("#")


def test_without_an_active_model_the_card_is_a_404(api_as, serving_version):
    ModelVersion.objects.update(is_active=False)

    response = api_as("staff").get(URL)

    assert response.status_code == 404
    assert "no active model version" in response.json()["detail"]


def test_a_broken_artifact_gives_a_503(
    api_as, active_model_version, settings, tmp_path, assert_model_unavailable
):
    # The archive is gone and this machine never unpacked it.
    settings.MODEL_CACHE_DIR = tmp_path / "empty-cache"
    forget_loaded_models()
    ModelVersion.objects.filter(pk=active_model_version.pk).update(archive="model-artifacts/x.tgz")

    response = api_as("staff").get(URL)

    assert_model_unavailable(response, "x.tgz is missing from storage")
