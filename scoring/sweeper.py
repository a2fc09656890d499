"""Work the workers never got, sent again: scores and batches left pending or running.

A pending row without a message happens when the broker was down at the moment of
the request (`scoring.queueing`), or when Redis restarted and lost its queue (it
keeps nothing on disk here); a running row without a worker when a worker died
and its message went with the broker. The sweeper finds rows older than a limit
and sends their task again, once the broker answers and its queue is empty: a
queue still holding messages means the workers are behind, not that work was
lost, and sending the backlog again would only double it.

Sending twice is harmless: `scores_compute` leaves a done score alone and
`batch_job_run` starts a job afresh. Run by Celery beat every minute
(`scoring/schedules.py`) and by each worker as it starts (`scoring/tasks.py`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from scoring.models import BatchJob, Score
from scoring.queueing import task_send

logger = logging.getLogger(__name__)

# Rows sent again per sweep, at most: the next sweep takes the rest.
SWEEP_LIMIT = 5_000


@dataclass(frozen=True)
class Swept:
    scores: int = 0
    batches: int = 0
    # Why nothing was sent, when nothing was: "broker unreachable", "queue busy (N messages)".
    skipped: str = ""


def stale_work_resend(
    *,
    pending_after: timedelta | None = None,
    running_after: timedelta | None = None,
    batch_running_after: timedelta | None = None,
    limit: int = SWEEP_LIMIT,
) -> Swept:
    """Send again the task of every score and batch stuck longer than its limit."""
    from scoring.tasks import score_application_task, score_batch_task

    pending_after = pending_after or timedelta(seconds=settings.SWEEP_PENDING_AFTER_SECONDS)
    running_after = running_after or timedelta(seconds=settings.SWEEP_RUNNING_AFTER_SECONDS)
    batch_running_after = batch_running_after or timedelta(
        seconds=settings.SWEEP_BATCH_RUNNING_AFTER_SECONDS
    )
    waiting = queue_length()
    if waiting is None:
        return Swept(skipped="broker unreachable")
    if waiting:
        return Swept(skipped=f"queue busy ({waiting} messages)")
    now = timezone.now()
    score_ids = _stuck(
        Score, pending_before=now - pending_after, running_before=now - running_after, limit=limit
    )
    job_ids = _stuck(
        BatchJob,
        pending_before=now - pending_after,
        running_before=now - batch_running_after,
        limit=limit,
    )
    sent_scores = sum(task_send(score_application_task, str(pk)) for pk in score_ids)
    sent_jobs = sum(task_send(score_batch_task, str(pk)) for pk in job_ids)
    if sent_scores or sent_jobs:
        logger.warning("sweeper sent again %d scores and %d batches", sent_scores, sent_jobs)
    return Swept(scores=sent_scores, batches=sent_jobs)


def _stuck(
    model: type[Score] | type[BatchJob],
    *,
    pending_before: datetime,
    running_before: datetime,
    limit: int,
) -> list[Any]:
    """Ids of `model`'s rows pending or running since before the limits (`limit` of each)."""
    rows = model.objects.values_list("pk", flat=True)
    pending = rows.filter(status=model.Status.PENDING, created_at__lt=pending_before)
    running = rows.filter(status=model.Status.RUNNING, started_at__lt=running_before)
    return list(pending[:limit]) + list(running[:limit])


def queue_length(queue: str | None = None) -> int | None:
    """Messages waiting in `queue` (the default one); None when the broker cannot be reached."""
    from celery import current_app

    name = queue or current_app.conf.task_default_queue
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            declared = connection.default_channel.queue_declare(queue=name, passive=True)
            return int(declared.message_count)
    except Exception as error:  # noqa: BLE001 - any broker failure means "unreachable" here
        if "NOT_FOUND" in str(error) or "no queue" in str(error).lower():
            return 0  # the queue was never declared: nothing waits in it
        logger.warning("sweeper: broker unreachable: %s", error)
        return None
