"""Celery tasks of monitoring: take ids, reload, call a service.

Drift reports run here, never in a web request: Evidently's first import
takes seconds and a report on 50,000 applications a minute or more; so do the
dashboard's figures (seconds for 12 weeks of scores). The scheduled tasks are
registered with Celery beat after each migrate (monitoring/schedules.py); staff
change their schedule in the admin site.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from monitoring.alerts import alerts_check
from monitoring.dashboard_figures import dashboard_figures_compute, dashboard_figures_refresh
from monitoring.drift import (
    MIN_CURRENT_ROWS,
    DriftReportError,
    drift_report_create,
    drift_report_fail,
    drift_report_run,
    drift_reports_resend,
    drift_window_applications,
)
from monitoring.models import DriftReport

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    name="monitoring.drift_report_run",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    max_retries=3,
    # Evidently on 150 columns and 50,000 rows: one to three minutes on 2 cores.
    soft_time_limit=20 * 60,
    time_limit=21 * 60,
)
def drift_report_run_task(self, report_id: str) -> str:
    try:
        drift_report_run(report_id=report_id)
    except TRANSIENT_ERRORS:
        if self.request.retries >= self.max_retries:
            drift_report_fail(report_id=report_id, error="the database could not be reached")
        raise
    except Exception as error:
        # Not retried: the same input would fail the same way. Staff read the reason.
        logger.exception("drift report %s failed", report_id)
        drift_report_fail(report_id=report_id, error=f"{type(error).__name__}: {error}")
    return report_id


@shared_task(name="monitoring.drift_report_scheduled", acks_late=True)
def drift_report_scheduled(days: int = 7) -> str | None:
    """The scheduled report: the applications scored over the last `days` days.

    A week with too few scored applications to compare (none at all on a new
    installation) records no report: a failed row every Monday would read as
    something broken, and the weekly volume is on the dashboard already. A
    report asked for by a person still fails with its reason.
    """
    until = timezone.now()
    since = until - timedelta(days=days)
    scored = drift_window_applications(since=since, until=until)
    if scored < MIN_CURRENT_ROWS:
        logger.info(
            "scheduled drift report skipped: %d application(s) scored since %s, %d needed",
            scored,
            since,
            MIN_CURRENT_ROWS,
        )
        return None
    try:
        report = drift_report_create(
            trigger=DriftReport.Trigger.SCHEDULE,
            since=since,
            until=until,
            queue=False,
        )
    except DriftReportError as error:
        logger.warning("scheduled drift report not made: %s", error)
        return None
    # Already in a worker: run it here rather than queue a second task.
    drift_report_run_task.run(str(report.pk))
    return str(report.pk)


@shared_task(name="monitoring.drift_reports_resend")
def drift_reports_resend_scheduled() -> int:
    """Drift reports whose message or worker was lost, sent again (monitoring/drift.py)."""
    return drift_reports_resend()


@shared_task(name="monitoring.alerts_check_scheduled", acks_late=True)
def alerts_check_scheduled(days: int = 7) -> list[int]:
    """The scheduled check of the score figures of the last `days` days."""
    until = timezone.now()
    raised = alerts_check(since=until - timedelta(days=days), until=until)
    return [alert.pk for alert in raised]


@shared_task(
    name="monitoring.dashboard_figures_compute",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    max_retries=3,
    # Seconds on 12 weeks of scores; a year of them, under a minute.
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def dashboard_figures_compute_task(figures_id: int) -> int:
    """The figures of one window the dashboard asked for (monitoring/dashboard_figures.py)."""
    return dashboard_figures_compute(figures_id=figures_id).pk


@shared_task(name="monitoring.dashboard_figures_scheduled", acks_late=True)
def dashboard_figures_scheduled() -> int:
    """The default window's figures, recomputed on a schedule so the page is ready when opened."""
    return dashboard_figures_refresh().pk
