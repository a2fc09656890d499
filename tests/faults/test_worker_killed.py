"""A worker SIGKILLed in the middle of a 5,000-row batch: another takes over, nothing
is lost or doubled.

The kill is placed, not timed: once the first chunk's progress is saved, the test
holds the job's row lock, so the worker blocks at its next progress update and is
killed there, mid-way, whatever the machine's speed.
"""

from __future__ import annotations

import io
import time

import pandas as pd
import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ml.synthetic import generate
from scoring.batch import CHUNK_ROWS, batch_job_create
from scoring.models import BatchJob, Explanation

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 5_000
TIMEOUT_SECONDS = 120


def _wait(condition, *, what: str, timeout: float = TIMEOUT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _connect() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )


def test_a_batch_whose_worker_is_killed_midway_is_finished_once_by_another(
    active_model_version, integration, this_process_uses, start_celery
):
    assert ROWS > CHUNK_ROWS  # several chunks: there is a "middle"
    rows = generate(1, seed=7, test_clients=ROWS)["application_test"]
    explanations_before = Explanation.objects.count()
    first = start_celery("worker")

    upload = SimpleUploadedFile("applications.csv", rows.to_csv(index=False).encode(), "text/csv")
    job = batch_job_create(uploaded=upload, created_by=integration)

    _wait(
        lambda: BatchJob.objects.filter(pk=job.pk, processed_rows__gt=0).exists(),
        what="the first chunk's progress",
    )
    with _connect() as lock:
        status, processed = lock.execute(
            "SELECT status, processed_rows FROM scoring_batchjob WHERE id = %s FOR UPDATE",
            [str(job.pk)],
        ).fetchone()
        assert status == BatchJob.Status.RUNNING and 0 < processed < ROWS
        time.sleep(0.5)  # the worker reaches its next update and waits on the lock
        first.kill()
        lock.rollback()
    assert BatchJob.objects.get(pk=job.pk).status == BatchJob.Status.RUNNING

    # A new worker sweeps at start-up: a batch running for more than a second with no
    # message in the queue is sent again (in production: after an hour, or on restart).
    start_celery("worker", SWEEP_BATCH_RUNNING_AFTER_SECONDS="1")
    done = _wait(
        lambda: BatchJob.objects.filter(
            pk=job.pk, status__in=[BatchJob.Status.DONE, BatchJob.Status.FAILED]
        ).first(),
        what="the batch to finish after the takeover",
    )
    assert done.status == BatchJob.Status.DONE, done.error
    assert done.total_rows == done.processed_rows == ROWS
    with done.results.open("rb") as results_file:
        results = pd.read_csv(io.BytesIO(results_file.read()))
    assert len(results) == ROWS
    assert results["SK_ID_CURR"].is_unique
    assert set(results["SK_ID_CURR"]) == set(rows["SK_ID_CURR"])
    assert results["probability"].between(0, 1).all()
    assert Explanation.objects.count() == explanations_before  # a batch stores none, twice or once
