"""Celery tasks: take ids, reload, call a service.

Tasks are acknowledged late, so a worker that dies mid-task leaves the message
to another worker; the services are idempotent, so running twice is harmless.
Transient failures (database or broker connection) are retried with
exponential backoff; anything else marks the score failed with its reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from smtplib import SMTPException

from celery import Task, shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError

from ml.artifact import ArtifactError
from scoring.queueing import task_send
from scoring.reviews import review_notify_client
from scoring.services import score_fail, scores_compute
from scoring.sweeper import stale_work_resend

logger = logging.getLogger(__name__)

# What a caller reads when the model's archive fails its verification (details: the log).
MODEL_UNVERIFIED = "the model could not be verified: no score was computed"

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@contextmanager
def _failure_recorded(task: Task, fail: Callable[[str], object], what: str) -> Iterator[None]:
    """The work of a scoring task, its failure recorded with `fail(reason)`.

    A transient error is retried by Celery (the task's `autoretry_for`) and recorded only
    once the retries are spent. A model archive that fails its verification is recorded
    and ends the task: the details (which version, which file, which hash) are for staff,
    in the log; the caller and the advisor read that the model could not be used, and
    retrying cannot mend an archive, so the worker goes on with the next task. Anything
    else is recorded with its reason and raised.
    """
    try:
        yield
    except TRANSIENT_ERRORS:
        if task.request.retries >= task.max_retries:
            fail("the database could not be reached")
        raise
    except ArtifactError as error:
        logger.error("%s refused: %s", what, error)
        fail(MODEL_UNVERIFIED)
    except Exception as error:
        logger.exception("%s failed", what)
        fail(f"{type(error).__name__}: {error}")
        raise


@shared_task(
    bind=True,
    name="scoring.score_application",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def score_application_task(self, score_id: str) -> str:
    with _failure_recorded(
        self, lambda error: score_fail(score_id=score_id, error=error), f"scoring {score_id}"
    ):
        scores_compute(score_ids=[score_id])
    return score_id


@shared_task(
    bind=True,
    name="scoring.score_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
    soft_time_limit=3600,
    time_limit=3700,
)
def score_batch_task(self, job_id: str) -> str:
    from scoring.batch import batch_job_fail, batch_job_run

    with _failure_recorded(
        self, lambda error: batch_job_fail(job_id=job_id, error=error), f"batch {job_id}"
    ):
        batch_job_run(job_id=job_id)
    return job_id


@shared_task(
    # Not "scoring.*": e-mails go to the default queue, never behind a batch of scorings.
    name="notify.review_status",
    acks_late=True,
    autoretry_for=(*TRANSIENT_ERRORS, SMTPException),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def review_notify_task(review_id: int, status: str) -> bool:
    """E-mail the client that their review request reached `status` (see scoring/reviews.py)."""
    return review_notify_client(review_id=review_id, status=status)


@shared_task(name="scoring.batch_files_purge", acks_late=True)
def batch_files_purge_task() -> int:
    """Daily (scoring/schedules.py): batch files past their retention period are deleted."""
    from scoring.batch import batch_files_purge

    purged = batch_files_purge()
    logger.info("batch files purged: %d batches past their retention", purged)
    return purged


@shared_task(name="scoring.stale_work_resend", ignore_result=True)
def stale_work_resend_task() -> dict[str, object]:
    """Send again the scores and batches the workers never got (scoring/sweeper.py)."""
    swept = stale_work_resend()
    return {"scores": swept.scores, "batches": swept.batches, "skipped": swept.skipped}


@worker_ready.connect
def _sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    # A worker (re)starting is the moment work may have been lost (a crash, a broker
    # restart): sweep now rather than at the next beat, which may not run at all.
    task_send(stale_work_resend_task)
