"""/healthz: database, broker, worker and model, as JSON; 200 when the deployment can score."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from creditscore import health
from scoring.models import ModelVersion
from scoring.registry import scoring_model_for

pytestmark = pytest.mark.django_db

URL = "/healthz"
WORKER_UP = {"status": "ok", "workers": ["celery@test"]}
WORKER_DOWN = {"status": "down", "detail": "no Celery worker answered within 0.2 s"}


@pytest.fixture(autouse=True)
def _short_worker_timeout(settings):
    settings.HEALTHZ_WORKER_TIMEOUT = 0.2


@pytest.fixture
def worker(monkeypatch):
    """Set what the worker check finds (real workers come and go on a shared broker)."""

    def set_worker(result: dict) -> None:
        monkeypatch.setattr(health, "check_worker", lambda: dict(result))

    return set_worker


def test_everything_fine_is_a_200_ok_without_login(client, serving_version, worker):
    worker(WORKER_UP)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    for check in ("database", "broker", "worker", "model"):
        assert body[check]["status"] == "ok", body
    assert body["model"]["version"] == serving_version.version


def test_no_worker_is_degraded_but_still_200(client, serving_version, worker):
    worker(WORKER_DOWN)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["status"] == "down"


def test_the_worker_check_asks_the_real_broker_and_gives_up_quickly():
    started = time.monotonic()

    result = health.check_worker(timeout=0.2)

    assert time.monotonic() - started < 5
    assert result["status"] in ("ok", "down"), result


def test_no_active_model_is_a_503_saying_so(client, worker):
    worker(WORKER_UP)

    response = client.get(URL)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["model"]["status"] == "error"
    assert "no active model version" in body["model"]["detail"]
    assert body["database"]["status"] == "ok"


def test_an_artifact_modified_after_loading_is_reported(client, active_model_version, worker):
    worker(WORKER_UP)
    model = scoring_model_for(active_model_version)
    assert client.get(URL).status_code == 200
    model_file = model.artifact_dir / "model.txt"
    data = bytearray(model_file.read_bytes())
    data[-10] ^= 1
    model_file.write_bytes(bytes(data))

    response = client.get(URL)

    assert response.status_code == 503
    model_check = response.json()["model"]
    assert model_check["status"] == "error"
    assert model_check["version"] == active_model_version.version
    assert "model.txt has been modified since training" in model_check["detail"]


def test_an_archive_missing_from_storage_is_reported(client, active_model_version, worker):
    worker(WORKER_UP)
    ModelVersion.objects.filter(pk=active_model_version.pk).update(
        archive="model-artifacts/lost.tar.gz"
    )

    response = client.get(URL)

    assert response.status_code == 503
    assert "lost.tar.gz" in response.json()["model"]["detail"]
    assert "missing from storage" in response.json()["model"]["detail"]


def test_an_unreachable_broker_is_a_503_and_the_worker_unknown(client, serving_version, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(URL)

    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["status"] == "error"
    assert "broker unreachable" in body["broker"]["detail"]
    assert body["worker"]["status"] == "unknown"


def test_only_get_is_allowed(client):
    assert client.post(URL).status_code == 405


def test_a_truncated_stored_archive_is_reported(client, active_model_version, settings, worker):
    worker(WORKER_UP)
    stored = Path(settings.MEDIA_ROOT) / active_model_version.archive.name
    stored.write_bytes(stored.read_bytes()[:1000])

    response = client.get(URL)

    assert response.status_code == 503
    detail = response.json()["model"]["detail"]
    assert f"archive {active_model_version.archive.name} cannot be unpacked" in detail


def test_a_garbled_stored_archive_is_reported(client, active_model_version, settings, worker):
    worker(WORKER_UP)
    stored = Path(settings.MEDIA_ROOT) / active_model_version.archive.name
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["model"]["status"] == "error"
    assert response.json()["model"]["detail"]


def test_an_unexpected_failure_of_a_check_is_reported_not_raised(client, monkeypatch, worker):
    worker(WORKER_UP)

    def broken():
        raise PermissionError("model cache not readable")

    monkeypatch.setattr(health, "check_model", broken)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["model"] == {
        "status": "error",
        "detail": "PermissionError: model cache not readable",
        "ms": response.json()["model"]["ms"],
    }
