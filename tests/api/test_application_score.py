"""POST /api/v1/applications/{id}/score: ask for a score; 202 then poll, or ?wait=N."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.models import AuditEvent
from scoring.models import ModelVersion, Score
from scoring.registry import forget_loaded_models, scoring_model_for
from scoring.services import scores_compute

pytestmark = pytest.mark.django_db

MATRIX = {
    "anonymous": 401,
    "integration": 202,
    "advisor": 202,
    "colleague": 404,
    "supervisor": 202,
    "client_own": 403,
    "client_other": 403,
    "staff": 403,
    "stranger": 403,
}


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}/score"


@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_ask_for_a_score(caller, api_as, application, serving_version):
    response = api_as(caller).post(url(application))

    assert response.status_code == MATRIX[caller], response.content
    assert Score.objects.filter(application=application).exists() == (response.status_code == 202)


def test_a_request_answers_202_with_the_score_to_poll(api_as, application, serving_version):
    response = api_as("advisor").post(url(application))

    assert response.status_code == 202
    body = response.json()
    score = Score.objects.get(pk=body["id"])
    assert body["status"] == "pending"
    assert body["model_version"] == serving_version.version
    assert response["Location"] == body["url"]
    assert body["url"].endswith(f"/api/v1/scores/{score.pk}")
    assert score.channel == Score.Channel.API
    assert score.requested_by.username == "advisor-alice"


def test_the_score_is_computed_once_the_request_commits(
    api_as, application, serving_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("integration").post(url(application))

    score = Score.objects.get(pk=response.json()["id"])
    assert score.status == Score.Status.DONE
    assert 0 < score.probability < 1


def test_scoring_the_same_application_twice_gives_the_same_score(
    api_as, application, serving_version
):
    first = api_as("advisor").post(url(application)).json()
    second = api_as("integration").post(url(application)).json()

    assert second["id"] == first["id"]
    assert Score.objects.filter(application=application).count() == 1


def test_an_already_finished_score_is_answered_with_200(api_as, scored):
    response = api_as("advisor").post(url(scored.application))

    assert response.status_code == 200
    assert response.json()["id"] == str(scored.pk)
    assert response.json()["status"] == "done"


def test_wait_returns_the_result_when_the_worker_finishes_in_time(
    api_as, application, serving_version, monkeypatch
):
    def worker_finishes_while_we_sleep(seconds: float) -> None:
        pending = Score.objects.filter(application=application, status=Score.Status.PENDING)
        scores_compute(score_ids=[str(pk) for pk in pending.values_list("pk", flat=True)])

    monkeypatch.setattr("scoring.selectors.time.sleep", worker_finishes_while_we_sleep)

    response = api_as("advisor").post(url(application) + "?wait=5")

    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["probability"] is not None


def test_wait_gives_up_after_the_time_asked_with_a_202(api_as, application, serving_version):
    response = api_as("advisor").post(url(application) + "?wait=1")

    assert response.status_code == 202
    assert response.json()["status"] == "pending"


@pytest.mark.parametrize("wait", ["31", "-1", "soon"])
def test_wait_is_bounded(api_as, application, serving_version, wait):
    response = api_as("advisor").post(url(application) + f"?wait={wait}")

    assert response.status_code == 400
    assert "wait" in response.json()


def test_every_request_is_audited_with_who_and_which_model(api_as, application, serving_version):
    api_as("supervisor").post(url(application))

    event = AuditEvent.objects.get(action=AuditEvent.Action.SCORE_REQUESTED)
    assert event.actor_username == "supervisor-sam"
    assert event.application_id == application.pk
    assert event.model_version == serving_version.version
    assert event.detail["channel"] == "api"


def test_without_an_active_model_the_answer_is_a_clear_503(
    api_as, application, assert_model_unavailable
):
    response = api_as("advisor").post(url(application))

    assert_model_unavailable(response, "no active model version")
    assert not Score.objects.exists()


def test_a_tampered_artifact_gives_a_503_logging_the_file(
    api_as, application, active_model_version, settings, assert_model_unavailable
):
    model = scoring_model_for(active_model_version)  # fetched into this machine's cache
    model_file = model.artifact_dir / "model.txt"
    data = bytearray(model_file.read_bytes())
    data[100] ^= 1
    model_file.write_bytes(bytes(data))
    forget_loaded_models()  # as a process that starts now

    response = api_as("advisor").post(url(application))

    assert_model_unavailable(response, "model.txt has been modified since training")
    assert not Score.objects.exists()


def test_a_missing_archive_gives_a_503(
    api_as, application, active_model_version, assert_model_unavailable
):
    ModelVersion.objects.filter(pk=active_model_version.pk).update(
        archive="model-artifacts/gone.tar.gz"
    )

    response = api_as("advisor").post(url(application))

    assert_model_unavailable(response, "gone.tar.gz is missing from storage")


def test_a_corrupt_stored_archive_gives_a_503(
    api_as, application, active_model_version, settings, assert_model_unavailable
):
    stored = Path(settings.MEDIA_ROOT) / active_model_version.archive.name
    stored.write_bytes(stored.read_bytes()[:1000])  # truncated

    response = api_as("advisor").post(url(application))

    assert_model_unavailable(response, "cannot be unpacked")
