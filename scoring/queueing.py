"""Handing work to the workers, when the broker may be down.

A score or a batch is a row in Postgres first (pending), then a message to the
broker, sent once the row is committed. When the broker (Redis) cannot be
reached, the message is not sent, the row stays pending and the request still
succeeds: the sweeper (`scoring.sweeper`, run by Celery beat every minute and
by each worker as it starts) sends it again once the broker is back. So a
request made while Redis is down is late, never lost, and never an error page.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

# Sending gives up after about a second: the user's request must not hang on a dead
# broker (kombu's default policy retries three times, and connecting waits on the socket).
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.25,
    "interval_max": 0.5,
}


def task_send(task: Task, *args: Any) -> bool:
    """Send `task(*args)` to the broker now; False (logged) when it cannot be reached."""
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except (BrokerUnreachable, OSError) as error:
        logger.warning("broker unreachable, %s%r left for the sweeper: %s", task.name, args, error)
        return False
    return True


def task_send_on_commit(task: Task, *args: Any) -> None:
    """Send `task(*args)` once the current transaction commits (the worker then finds its rows)."""
    transaction.on_commit(lambda: task_send(task, *args))
