"""Redis (broker and cache) goes down and comes back: nothing is lost, nobody acts.

A real worker and a real beat run against a Redis server of the test's own,
which the test stops while an advisor works and starts again afterwards.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from clients.models import Application
from creditscore.health import forget_cached_report
from ml.synthetic import generate
from scoring.models import BatchJob, Score
from scoring.schedules import SWEEPER_NAME
from tests.worker.conftest import wait_for_score

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_score_requests_made_while_redis_is_down_complete_once_it_returns(
    active_model_version, imported_clients, advisor, client, this_process_uses, start_celery
):
    redis_server = this_process_uses
    # The sweeper every two seconds instead of every minute, as staff may set it in the admin.
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
    PeriodicTask.objects.filter(name=SWEEPER_NAME).update(interval=every_two_seconds)
    applications = imported_clients[:3]
    Application.objects.filter(pk__in=applications).update(advisor=advisor)
    start_celery("worker")
    start_celery("beat")
    client.force_login(advisor)

    redis_server.stop()
    started = time.monotonic()
    for sk_id_curr in applications:
        response = client.post(reverse("dashboard:score", args=[sk_id_curr]), **HTMX)
        assert response.status_code == 200, response.content[:500]
    # Each request gave up on the broker within about a second, not after a hang.
    assert time.monotonic() - started < 3 * 3
    pending = Score.objects.filter(application_id__in=applications)
    assert sorted(pending.values_list("status", flat=True)) == ["pending"] * 3

    # Pages that need no new score work without Redis; the health check says degraded.
    assert client.get(reverse("dashboard:portfolio")).status_code == 200
    assert client.get(reverse("dashboard:client", args=[applications[0]])).status_code == 200
    forget_cached_report()
    health = client.get("/healthz")
    assert health.status_code == 200  # degraded: this web process still serves people
    assert health.json()["status"] == "degraded"

    redis_server.start()
    for score in pending:
        done = wait_for_score(score.pk, statuses={"done", "failed"}, timeout=90)
        assert done.status == "done", done.error
    assert Score.objects.filter(application_id__in=applications).count() == 3


def _wait_for_batch(batch_id, *, timeout: float) -> BatchJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = BatchJob.objects.get(pk=batch_id)
        if job.status in (BatchJob.Status.DONE, BatchJob.Status.FAILED):
            return job
        time.sleep(0.5)
    raise AssertionError(f"batch {batch_id} still {job.status} after {timeout} s")


def test_the_api_accepts_scores_and_batches_while_redis_is_down_and_they_complete_later(
    active_model_version, imported_clients, integration, this_process_uses, start_celery
):
    redis_server = this_process_uses
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
    PeriodicTask.objects.filter(name=SWEEPER_NAME).update(interval=every_two_seconds)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")
    applications_csv = generate(1, seed=4, test_clients=12)["application_test"].to_csv(index=False)
    start_celery("worker")
    start_celery("beat")

    redis_server.stop()
    # The request is stored pending in Postgres: 202 and its URL, as when Redis is up.
    asked = api.post(f"/api/v1/applications/{imported_clients[5]}/score")
    assert asked.status_code == 202, asked.content
    assert asked.json()["status"] == "pending"
    upload = SimpleUploadedFile("applications.csv", applications_csv.encode(), "text/csv")
    sent = api.post("/api/v1/batches", {"file": upload}, format="multipart")
    assert sent.status_code == 202, sent.content
    assert BatchJob.objects.get(pk=sent.json()["id"]).status == BatchJob.Status.PENDING
    # Reading needs no broker.
    assert api.get(f"/api/v1/scores/{asked.json()['id']}").json()["status"] == "pending"

    redis_server.start()  # nobody acts: the beat's sweeper sends both again
    done = wait_for_score(asked.json()["id"], statuses={"done", "failed"}, timeout=90)
    assert done.status == "done", done.error
    job = _wait_for_batch(sent.json()["id"], timeout=90)
    assert job.status == BatchJob.Status.DONE, job.error
    assert job.total_rows == job.processed_rows == 12
