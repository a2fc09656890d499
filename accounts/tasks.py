"""Celery tasks of accounts: the retention of django-axes' login records.

Registered with Celery beat by scoring/schedules.py (daily); staff change the
time in the admin site. Not named "scoring.*": it runs on the default queue,
never behind a batch of scorings.
"""

from __future__ import annotations

import logging

from celery import shared_task

from accounts.services import login_records_purge

logger = logging.getLogger(__name__)


@shared_task(name="accounts.login_records_purge", acks_late=True)
def login_records_purge_task() -> dict[str, int]:
    """Daily: axes' logins, failures and attempts past LOGIN_RECORDS_RETENTION_DAYS go."""
    purged = login_records_purge()
    logger.info(
        "login records purged: %d logins, %d attempts, %d failures",
        purged.access_logs,
        purged.access_attempts,
        purged.access_failure_logs,
    )
    return {
        "access_logs": purged.access_logs,
        "access_attempts": purged.access_attempts,
        "access_failure_logs": purged.access_failure_logs,
    }
