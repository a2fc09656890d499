"""/healthz: a bare status for anyone, the checks' details for staff and the monitoring token;
computed at most every few seconds per process."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

import pytest

from creditscore import health
from scoring.models import ModelVersion
from scoring.registry import scoring_model_for

pytestmark = pytest.mark.django_db

URL = "/healthz"
WORKER_UP = {"status": "ok", "workers": 1}
WORKER_DOWN = {"status": "down", "reason": "no worker answered within 0.2 s"}
MONITORING_TOKEN = "monitoring-token-for-tests"


@pytest.fixture(autouse=True)
def _fresh_report(settings):
    """Each test computes its own report (the cache is per process and outlives a test)."""
    settings.HEALTHZ_WORKER_TIMEOUT = 0.2
    settings.HEALTHZ_TOKEN = MONITORING_TOKEN
    health.forget_cached_report()
    yield
    health.forget_cached_report()


@pytest.fixture
def worker(monkeypatch):
    """Set what the worker check finds (real workers come and go on a shared broker)."""

    def set_worker(result: dict) -> None:
        monkeypatch.setattr(health, "check_worker", lambda: dict(result))

    return set_worker


def details(client, **headers):
    """The detailed report, as the monitoring system reads it."""
    return client.get(URL, HTTP_X_HEALTHZ_TOKEN=MONITORING_TOKEN, **headers)


def test_anyone_gets_the_status_alone(client, serving_version, worker):
    worker(WORKER_UP)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_the_monitoring_token_gets_every_check(client, serving_version, worker):
    worker(WORKER_UP)

    body = details(client).json()

    assert body["status"] == "ok"
    for check in ("database", "broker", "worker", "model"):
        assert body[check]["status"] == "ok", body
    assert body["model"]["version"] == serving_version.version
    assert body["model"]["verified"] is True
    assert body["worker"]["workers"] == 1


def test_a_wrong_token_gets_the_status_alone(client, serving_version, worker):
    worker(WORKER_UP)

    response = client.get(URL, HTTP_X_HEALTHZ_TOKEN="guess")

    assert response.json() == {"status": "ok"}


def test_no_token_configured_means_no_one_gets_details_by_header(client, settings, worker):
    worker(WORKER_UP)
    settings.HEALTHZ_TOKEN = ""

    assert set(client.get(URL, HTTP_X_HEALTHZ_TOKEN="").json()) == {"status"}


def test_risk_staff_signed_in_get_the_details(client, risk_staff, serving_version, worker):
    worker(WORKER_UP)
    client.force_login(risk_staff)

    assert client.get(URL).json()["model"]["version"] == serving_version.version


@pytest.mark.parametrize("fixture", ["advisor", "client_user", "integration"])
def test_other_roles_get_the_status_alone(request, client, fixture, serving_version, worker):
    worker(WORKER_UP)
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(URL).json() == {"status": "ok"}


def test_failures_name_no_host_path_or_version_even_in_details(
    client, active_model_version, settings, worker, caplog
):
    worker(WORKER_UP)
    settings.CELERY_BROKER_URL = "redis://secret-user:secret-pass@127.0.0.1:1/0"
    ModelVersion.objects.filter(pk=active_model_version.pk).update(
        archive="model-artifacts/lost.tar.gz"
    )

    with caplog.at_level(logging.ERROR, logger="creditscore.health"):
        anonymous = client.get(URL)
        health.forget_cached_report()
        detailed = details(client)

    assert anonymous.status_code == detailed.status_code == 503
    assert anonymous.json() == {"status": "error"}
    text = detailed.content.decode()
    for secret in ("127.0.0.1", "secret", "lost.tar.gz", "model-artifacts", settings.MEDIA_ROOT):
        assert secret not in text
    body = detailed.json()
    assert body["broker"] == {
        "status": "error",
        "reason": "broker unreachable",
        "reference": body["broker"]["reference"],
        "ms": body["broker"]["ms"],
    }
    assert "missing from storage" in body["model"]["reason"]
    # The log line with the same reference says what failed.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"reference {body['model']['reference']}" in logged
    assert "lost.tar.gz" in logged


def test_no_worker_is_degraded_but_still_200(client, serving_version, worker):
    worker(WORKER_DOWN)

    response = details(client)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["status"] == "down"


def test_the_worker_check_asks_the_real_broker_and_gives_up_quickly():
    started = time.monotonic()

    result = health.check_worker(timeout=0.2)

    assert time.monotonic() - started < 5
    assert result["status"] in ("ok", "down"), result
    assert "celery@" not in str(result)  # how many workers, never their host names


def test_no_active_model_is_a_503_saying_so_in_the_details(client, worker):
    worker(WORKER_UP)

    response = details(client)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["model"]["reason"] == "no active model version"
    assert body["database"]["status"] == "ok"


def test_an_artifact_modified_after_loading_is_reported(client, active_model_version, worker):
    worker(WORKER_UP)
    model = scoring_model_for(active_model_version)
    assert client.get(URL).status_code == 200
    model_file = model.artifact_dir / "model.txt"
    data = bytearray(model_file.read_bytes())
    data[-10] ^= 1
    model_file.write_bytes(bytes(data))
    health.forget_cached_report()

    response = details(client)

    assert response.status_code == 503
    model_check = response.json()["model"]
    assert model_check["status"] == "error"
    assert model_check["reason"] == f"model {active_model_version.version} failed its verification"


def test_an_unreachable_broker_is_degraded_not_down_and_the_worker_unknown(
    client, serving_version, settings
):
    # Pages still work and score requests wait in Postgres for the sweeper: a load
    # balancer must keep sending people to this web process.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = details(client)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"]["status"] == "error"
    assert body["worker"]["status"] == "unknown"


def test_only_get_is_allowed(client):
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("damage", ["truncate", "garble"])
def test_a_damaged_stored_archive_is_reported(
    client, active_model_version, settings, worker, damage
):
    worker(WORKER_UP)
    stored = Path(settings.MEDIA_ROOT) / active_model_version.archive.name
    data = bytearray(stored.read_bytes())
    if damage == "truncate":
        data = data[:1000]
    else:
        data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))

    response = details(client)

    assert response.status_code == 503
    assert response.json()["model"]["status"] == "error"


def test_an_unexpected_failure_of_a_check_is_reported_not_raised(client, monkeypatch, worker):
    worker(WORKER_UP)

    def broken():
        raise PermissionError("/srv/model-cache not readable")

    monkeypatch.setattr(health, "check_model", broken)

    response = details(client)

    assert response.status_code == 503
    model = response.json()["model"]
    assert model["reason"] == "the model check failed"
    assert re.fullmatch(r"[0-9a-f]{12}", model["reference"])
    assert "/srv" not in response.content.decode()


def test_the_report_is_computed_once_per_period_whoever_asks(
    client, serving_version, monkeypatch, settings
):
    settings.HEALTHZ_CACHE_SECONDS = 60
    calls = []
    monkeypatch.setattr(health, "check_worker", lambda: calls.append(1) or dict(WORKER_UP))

    for _ in range(5):
        assert client.get(URL).status_code == 200
    details(client)

    assert len(calls) == 1


def test_a_stale_report_is_computed_again(client, serving_version, monkeypatch, settings):
    settings.HEALTHZ_CACHE_SECONDS = 0
    calls = []
    monkeypatch.setattr(health, "check_worker", lambda: calls.append(1) or dict(WORKER_UP))

    client.get(URL)
    client.get(URL)

    assert len(calls) == 2


def test_callers_arriving_during_a_computation_get_the_previous_report_at_once(
    serving_version, monkeypatch, settings
):
    """One slow computation (a worker ping waiting for its timeout) holds up one caller only."""
    settings.HEALTHZ_CACHE_SECONDS = 0
    health.cached_health_report()  # a previous report exists
    computing = threading.Event()
    release = threading.Event()

    def slow_worker_check():
        computing.set()
        release.wait(5)
        return dict(WORKER_UP)

    monkeypatch.setattr(health, "check_worker", slow_worker_check)
    from django.db import connections

    def recompute():
        try:
            health.cached_health_report()
        finally:
            connections.close_all()

    thread = threading.Thread(target=recompute)
    thread.start()
    try:
        assert computing.wait(5)
        started = time.monotonic()
        report, code = health.cached_health_report()  # meanwhile, in this thread
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(5)

    assert waited < 0.5
    assert code in (200, 503) and "status" in report
