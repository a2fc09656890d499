"""The worker path, for real: a Celery worker process, Redis, Postgres."""

from __future__ import annotations

import time

import pytest

from clients.models import Application
from scoring.models import Explanation, Score
from scoring.services import score_request
from tests.worker.conftest import wait_for_score

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_scores_an_application_and_stores_the_result(
    active_model_version, imported_clients, start_worker
):
    start_worker()
    application = Application.objects.get(pk=imported_clients[0])

    score = score_request(application=application, channel=Score.Channel.API)
    done = wait_for_score(score.pk, statuses={"done", "failed"})

    assert done.status == "done", done.error
    assert 0 < done.probability < 1
    assert done.decision in {"granted", "refused"}
    assert Explanation.objects.filter(score=done).exists()


def test_a_transient_database_failure_is_retried_until_it_succeeds(
    active_model_version, imported_clients, start_worker, lock_score_row
):
    """The worker gives up waiting for a lock after 300 ms (an OperationalError) and retries."""
    application = Application.objects.get(pk=imported_clients[0])
    score = score_request(application=application)  # queued: no worker runs yet
    lock = lock_score_row(score.pk)
    worker = start_worker(db_options={"lock_timeout": "300ms"})

    deadline = time.monotonic() + 60
    while "Retry in" not in worker.log:
        assert time.monotonic() < deadline, worker.log
        time.sleep(0.2)
    assert Score.objects.get(pk=score.pk).status == "pending"
    lock.rollback()  # the "outage" ends

    done = wait_for_score(score.pk, statuses={"done", "failed"})
    assert done.status == "done", done.error
    assert "lock timeout" in worker.log


def test_a_task_whose_worker_is_killed_is_redelivered_to_another_worker(
    active_model_version, imported_clients, start_worker, lock_score_row
):
    """acks_late: a worker killed mid-task never acknowledged it, so it comes back."""
    application = Application.objects.get(pk=imported_clients[1])
    score = score_request(application=application)
    lock = lock_score_row(score.pk)  # the first worker will be stuck inside the task
    first = start_worker(visibility_timeout=2)
    deadline = time.monotonic() + 60
    while "Task scoring.score_application" not in first.log:
        assert time.monotonic() < deadline, first.log
        time.sleep(0.2)

    first.kill()
    lock.rollback()
    # The killed worker never finished: the score is not done. It may read
    # "running": Postgres does not notice a dead client while its backend waits
    # for a lock, so the killed worker's queued "mark running" UPDATE can still
    # go through once the lock is released. The service rescores such a row.
    assert Score.objects.get(pk=score.pk).status in {"pending", "running"}
    assert "succeeded" not in first.log
    time.sleep(3)  # past the visibility timeout: Redis hands the task out again
    second = start_worker(visibility_timeout=2)

    done = wait_for_score(score.pk, statuses={"done", "failed"})
    assert done.status == "done", done.error
    assert "Task scoring.score_application" in second.log
