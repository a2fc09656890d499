"""The monitoring dashboard's figures, computed by a worker and stored for the page.

Computing the figures of a window takes seconds (2.5 to 4 s on 12 weeks of
scores): the model's reference sample, the stability indices, the bootstrap
intervals of fairness. The page never computes them. It reads the row last
computed for its window and period (`DashboardFigures`) and, when there is
none or the window has new scores or decisions since, asks a worker for newer
ones (`dashboard_figures_request`): staff see the last figures with the time
they were computed, or a "being computed" notice the first time.

Celery beat recomputes the default window (the last 12 weeks, per week) every
quarter of an hour (monitoring/schedules.py), and a finished drift report asks
for it again, so the page staff open first is usually ready.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ml.artifact import ArtifactError
from ml.monitoring import FairnessError, PerformanceError, PSIError, StabilityError
from monitoring.models import DashboardFigures
from monitoring.selectors import (
    WEEK,
    Window,
    monitoring_dashboard_compute,
    monitoring_dashboard_state,
)
from scoring.queueing import task_send_on_commit

logger = logging.getLogger(__name__)

# A request no worker answered within this long (its message or its worker lost) is sent again.
REQUEST_AGAIN_AFTER = dt.timedelta(minutes=5)
# The figures of a window nobody asked for nor computed for this long are deleted: each
# window a person opens is a row, and would otherwise stay for ever. Opening it again
# computes it again, in a worker.
STALE_AFTER = dt.timedelta(days=7)
DATA_ERRORS = (PSIError, StabilityError, PerformanceError, FairnessError)


@transaction.atomic
def dashboard_figures_request(*, window: Window, freq: str = WEEK) -> DashboardFigures:
    """Ask a worker for the figures of `window` unless it is already on it; the row either way.

    Once per REQUEST_AGAIN_AFTER at most: a page reloaded while the figures are
    being computed queues nothing more.
    """
    row, _created = DashboardFigures.objects.select_for_update().get_or_create(
        since=window.since, until=window.until, freq=freq
    )
    now = timezone.now()
    waiting = row.requested_at is not None and (
        row.computed_at is None or row.requested_at > row.computed_at
    )
    if waiting and row.requested_at is not None and now - row.requested_at < REQUEST_AGAIN_AFTER:
        return row
    row.requested_at = now
    row.save(update_fields=["requested_at"])
    from monitoring.tasks import dashboard_figures_compute_task

    # Sent once committed, so that the worker finds the row; a broker down leaves the
    # request to be sent again by the next page view after REQUEST_AGAIN_AFTER.
    task_send_on_commit(dashboard_figures_compute_task, row.pk)
    return row


def dashboard_figures_compute(*, figures_id: int) -> DashboardFigures:
    """Compute and store the figures of a `DashboardFigures` row (in a worker).

    An archive that cannot be read, or scores that cannot be evaluated, are
    stored as the row's error, which the page reports; the previous figures are
    dropped then, since they no longer describe the window.
    """
    row = DashboardFigures.objects.get(pk=figures_id)
    window = Window(since=row.since, until=row.until)
    # The state before the work: a score arriving meanwhile makes the row out of date again.
    state = monitoring_dashboard_state(window=window, freq=row.freq) or ""
    figures, error = None, DashboardFigures.Error.NONE
    try:
        figures = monitoring_dashboard_compute(window=window, freq=row.freq)
    except ArtifactError:
        logger.exception("dashboard figures %s: the active model's archive cannot be read", row)
        error = DashboardFigures.Error.MODEL
    except DATA_ERRORS:
        logger.exception("dashboard figures %s: the scores cannot be evaluated", row)
        error = DashboardFigures.Error.DATA
    DashboardFigures.objects.filter(pk=row.pk).update(
        figures=_json_ready(figures), error=error, state=state, computed_at=timezone.now()
    )
    row.refresh_from_db()
    return row


def _json_ready(value: Any) -> Any:
    """`value` with every NaN or infinity as None: Postgres' jsonb refuses them, and the
    charts and `formatting` read None as a missing figure ("—") as they read NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


def dashboard_figures_refresh() -> DashboardFigures:
    """Compute the default window's figures (the last 12 weeks, per week) now, in this worker.

    The windows nobody asked for in STALE_AFTER are deleted on the way.
    """
    window = Window.last_weeks()
    row, _created = DashboardFigures.objects.get_or_create(
        since=window.since, until=window.until, freq=WEEK
    )
    dashboard_figures_purge(keep=row)
    return dashboard_figures_compute(figures_id=row.pk)


def dashboard_figures_purge(*, keep: DashboardFigures) -> int:
    """Delete the figures of windows neither asked for nor computed in STALE_AFTER; how many.

    A row that was never asked for nor computed (just created by a page) is left alone.
    """
    cutoff = timezone.now() - STALE_AFTER
    stale = (
        DashboardFigures.objects.exclude(pk=keep.pk)
        .exclude(requested_at__isnull=True, computed_at__isnull=True)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=cutoff))
        .filter(Q(computed_at__isnull=True) | Q(computed_at__lt=cutoff))
    )
    deleted, _by_model = stale.delete()
    return deleted
