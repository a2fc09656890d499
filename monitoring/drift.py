"""Drift reports: does the population scored today still look like the one the model learnt from?

`drift_report_create(...)` records the request (a pending `DriftReport`) and
queues the Celery task once the transaction commits; the worker calls
`drift_report_run(report_id=...)`, which compares the active model's training
sample (the artifact's reference sample) with the current population:

* the applications scored in a window: the feature values each score's model
  saw (stored with its explanation), the latest score of each application,
  plus the attributes the model may not use (`ml.policy.EXCLUDED_ATTRIBUTES`,
  kept in the reference sample for fairness monitoring) from the application;
* or an imported Kaggle application file (`application_test.csv`...), whose
  features are built as scoring builds them.

Evidently's report (`ml.monitoring.drift`) runs in the worker only: its first
import takes seconds and a report a minute or more. The HTML is stored
gzip-compressed in Postgres beside the summary, whose columns are ranked by
the model's mean |SHAP| importance, drifted first. A finished report checks
the drift-share alert limit (monitoring/alerts.py).
"""

from __future__ import annotations

import gzip
import logging
import shutil
import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from monitoring.models import DriftReport
from scoring.models import Explanation, ModelVersion, Score
from scoring.queueing import task_send, task_send_on_commit
from scoring.registry import NoActiveModel, scoring_model_for

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 7
# Fewer scored applications than this is no population to compare: Evidently's
# tests would flag noise, so the report fails with a clear reason instead.
MIN_CURRENT_ROWS = 30
MAX_ERROR_LENGTH = 4000


class DriftReportError(ValueError):
    """A drift report cannot be made as asked (the message says why, for the person who asked)."""


# -- writes ---------------------------------------------------------------------------------


def drift_report_create(
    *,
    trigger: str,
    requested_by=None,
    since: datetime | None = None,
    until: datetime | None = None,
    current_file: File | None = None,
    file_name: str = "",
    columns: Sequence[str] | None = None,
    reference_file: File | None = None,
    reference_file_name: str = "",
    queue: bool = True,
) -> DriftReport:
    """Record a drift report of the active model and queue its computation.

    Current data: `current_file` (a Kaggle application CSV, .csv or .csv.gz),
    else the applications scored in [`since`, `until`) (default: the last
    7 days up to now). `columns`: compare only these features (default: every
    column both sides have). `reference_file`: an application file to compare
    with instead of the model's training sample. `queue=False` leaves it
    pending for the caller to run (`drift_report_run`) in its own process.

    Raises DriftReportError when no model is active or the window is empty or
    reversed; nothing is recorded then.
    """
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        raise DriftReportError(
            "no active model version: a drift report compares with the active model's "
            "training sample (train one with manage.py train_model)"
        )
    chosen = [str(name).strip() for name in (columns or []) if str(name).strip()]
    report = DriftReport(
        trigger=trigger,
        requested_by=requested_by,
        model_version=version,
        columns=list(dict.fromkeys(chosen)),
    )
    if reference_file is not None:
        report.reference_file_name = _file_name(reference_file, reference_file_name)
    if current_file is not None:
        report.source = DriftReport.Source.FILE
        report.current_file_name = _file_name(current_file, file_name)
    else:
        until = until or timezone.now()
        since = since or until - timedelta(days=DEFAULT_WINDOW_DAYS)
        if since >= until:
            raise DriftReportError(
                f"the period is empty: it starts ({since:%Y-%m-%d %H:%M}) at or after "
                f"its end ({until:%Y-%m-%d %H:%M})"
            )
        report.source = DriftReport.Source.WINDOW
        report.window_start, report.window_end = since, until
    with transaction.atomic():
        if current_file is not None:
            report.current_file.save(report.current_file_name, current_file, save=False)
        if reference_file is not None:
            report.reference_file.save(report.reference_file_name, reference_file, save=False)
        report.save()
        if queue:
            from monitoring.tasks import drift_report_run_task

            # A broker down must not turn the request into an error: the report stays
            # pending and is sent again later (scoring.queueing).
            task_send_on_commit(drift_report_run_task, str(report.pk))
    return report


def _file_name(upload: File, given: str) -> str:
    name = Path(given or upload.name or "applications.csv").name
    if not name.endswith((".csv", ".csv.gz")):
        raise DriftReportError(f"{name}: an application file is a .csv or .csv.gz file")
    return name


def drift_report_run(*, report_id: str) -> DriftReport:
    """Compute a pending report (in a worker): Evidently's comparison, stored with its summary.

    Idempotent: a report already taken by another worker, done or failed is
    returned as it is. Input problems (an unreadable file, no scored
    application in the window...) mark the report failed with the reason.
    """
    taken = DriftReport.objects.filter(pk=report_id, status=DriftReport.Status.PENDING).update(
        status=DriftReport.Status.RUNNING, started_at=timezone.now()
    )
    report = DriftReport.objects.select_related("model_version").get(pk=report_id)
    if not taken:
        return report
    from ml.artifact import ArtifactError
    from ml.dataset import DatasetError
    from ml.monitoring.drift import DriftError, drift_report

    try:
        if report.model_version is None:
            raise DriftReportError("the report names no model version")
        model = scoring_model_for(report.model_version)
        if report.reference_file_name:
            reference = _features_of_file(report.reference_file, report.reference_file_name, model)
        else:
            reference = model.reference_sample()
        current = _current_frame(report, model)
        result = drift_report(
            reference,
            current,
            columns=report.columns or None,
            importance=model.metadata.get("global_importance") or None,
            drift_share=_drift_share_limit(),
            context=_context(report),
        )
    except (DriftReportError, DriftError, DatasetError, ArtifactError, NoActiveModel) as error:
        return drift_report_fail(report_id=report_id, error=str(error))
    _store(report, result.summary, result.html or "")
    from monitoring.alerts import alerts_check

    alerts_check(figures={"drift_share": report.drift_share}, drift_report=report)
    from monitoring.tasks import dashboard_figures_scheduled

    # Staff told of a drift (the Monday report, its alert) open the dashboard next: its
    # default window is recomputed now rather than at the next quarter of an hour.
    task_send_on_commit(dashboard_figures_scheduled)
    return report


# A pending report no worker took within this long lost its message (the broker was down
# when it was asked for, or Redis restarted and lost its queue): it is sent again. A
# running one past the task's time limit (21 min) lost its worker (a message taken by a
# worker that died comes back only after the broker's visibility timeout, an hour, and
# then finds the report running): it is made pending again and sent again.
RESEND_PENDING_AFTER = timedelta(minutes=10)
RESEND_RUNNING_AFTER = timedelta(minutes=25)


def drift_reports_resend(*, now: datetime | None = None) -> int:
    """Send again the reports stuck pending or running (see above); how many were sent.

    Like the scores' sweeper (scoring/sweeper.py), only once the broker answers and
    the default queue is empty: messages still waiting mean the workers are behind,
    not that the work was lost. Sending twice is harmless: a worker takes a report
    only while it is pending.
    """
    from monitoring.tasks import drift_report_run_task
    from scoring.sweeper import queue_length

    if queue_length() != 0:
        return 0
    now = now or timezone.now()
    DriftReport.objects.filter(
        status=DriftReport.Status.RUNNING, started_at__lt=now - RESEND_RUNNING_AFTER
    ).update(status=DriftReport.Status.PENDING, started_at=None)
    stuck = DriftReport.objects.filter(
        status=DriftReport.Status.PENDING, created_at__lt=now - RESEND_PENDING_AFTER
    ).values_list("pk", flat=True)[:100]
    sent = sum(task_send(drift_report_run_task, str(pk)) for pk in stuck)
    if sent:
        logger.warning("drift reports sent again: %d", sent)
    return sent


def drift_report_fail(*, report_id: str, error: str) -> DriftReport:
    """Mark a report failed with the reason staff read in the admin site."""
    DriftReport.objects.filter(pk=report_id).exclude(status=DriftReport.Status.DONE).update(
        status=DriftReport.Status.FAILED,
        error=error[:MAX_ERROR_LENGTH],
        finished_at=timezone.now(),
    )
    return DriftReport.objects.get(pk=report_id)


@transaction.atomic
def _store(report: DriftReport, summary: dict[str, Any], html: str) -> None:
    encoded = html.encode("utf-8")
    report.summary = summary
    report.html_gzip = gzip.compress(encoded, compresslevel=6)
    report.html_size = len(encoded)
    report.rows_reference = summary["rows"]["reference"]
    report.rows_current = summary["rows"]["current"]
    report.columns_compared = summary["columns_compared"]
    report.drifted_columns = summary["drifted_columns"]
    report.drift_share = summary["drift_share"]
    report.dataset_drift = summary["dataset_drift"]
    report.status = DriftReport.Status.DONE
    report.error = ""
    report.finished_at = timezone.now()
    report.save()


def _drift_share_limit() -> float:
    # Evidently's dataset test fails at the staff's own alert limit: the report's
    # verdict and the alert then say the same thing.
    from monitoring.alerts import alert_limits_get

    return alert_limits_get().drift_share


def _context(report: DriftReport) -> dict[str, Any]:
    context: dict[str, Any] = {
        "model_version": report.model_version.version if report.model_version else None,
        "source": report.source,
        "trigger": report.trigger,
        "report": str(report.pk),
    }
    if report.window_start and report.window_end:
        context["window"] = [report.window_start.isoformat(), report.window_end.isoformat()]
    else:
        context["file"] = report.current_file_name
    context["reference"] = report.reference_file_name or "training sample of the model"
    return context


# -- the current population -----------------------------------------------------------------


def _current_frame(report: DriftReport, model) -> pd.DataFrame:
    if report.source == DriftReport.Source.FILE:
        frame = _features_of_file(report.current_file, report.current_file_name, model)
    elif report.window_start and report.window_end:
        frame = _features_of_window(report.window_start, report.window_end)
    else:
        raise DriftReportError("the report names neither a file nor a period")
    if len(frame) < MIN_CURRENT_ROWS:
        where = (
            report.current_file_name if report.source == DriftReport.Source.FILE else "the period"
        )
        raise DriftReportError(
            f"{len(frame)} application(s) in {where}: a drift report needs at least "
            f"{MIN_CURRENT_ROWS} to compare a population"
        )
    return frame


def drift_window_applications(*, since: datetime, until: datetime) -> int:
    """How many applications a report of [since, until) would compare (scored, explained)."""
    return (
        Explanation.objects.filter(
            score__status=Score.Status.DONE,
            score__created_at__gte=since,
            score__created_at__lt=until,
        )
        .values("score__application_id")
        .distinct()
        .count()
    )


def _features_of_window(since: datetime, until: datetime) -> pd.DataFrame:
    """The features each application scored in [since, until) was scored on (its latest score)."""
    # pandas and the feature code load with the first report, not with this module: the
    # admin site imports it at start-up, and every management command paid 0.4 s for them.
    import pandas as pd

    from ml.policy import EXCLUDED_ATTRIBUTES

    attribute_fields = [f"score__application__{name.lower()}" for name in EXCLUDED_ATTRIBUTES]
    rows = (
        Explanation.objects.filter(
            score__status=Score.Status.DONE,
            score__created_at__gte=since,
            score__created_at__lt=until,
        )
        .order_by("score__application_id", "-score__created_at")
        .distinct("score__application_id")
        .values_list("score__application_id", "feature_values", *attribute_fields)
    )
    ids, records = [], []
    for application_id, values, *attributes in rows.iterator(chunk_size=2000):
        record = dict(values)
        record.update(zip(EXCLUDED_ATTRIBUTES, attributes, strict=True))
        ids.append(application_id)
        records.append(record)
    if not records:
        return pd.DataFrame()
    frame = pd.DataFrame.from_records(records, index=pd.Index(ids, name="SK_ID_CURR"))
    # JSON gives None for a missing number: make numeric columns numbers again.
    for name in frame.columns:
        if frame[name].dtype == object and name not in EXCLUDED_ATTRIBUTES:
            numbers = pd.to_numeric(frame[name], errors="coerce")
            if numbers.notna().sum() == frame[name].notna().sum():
                frame[name] = numbers
    return frame


def _features_of_file(stored_file, file_name: str, model) -> pd.DataFrame:
    """The model's features of the applications of an uploaded Kaggle application file."""
    import pandas as pd

    from ml import schema
    from ml.dataset import DatasetError, read_table
    from ml.policy import EXCLUDED_ATTRIBUTES

    suffix = ".csv.gz" if file_name.endswith(".gz") else ".csv"
    with tempfile.TemporaryDirectory(prefix="drift-") as folder:
        local = Path(folder) / f"current{suffix}"
        try:
            with (
                default_storage.open(stored_file.name, "rb") as stored,
                open(local, "wb") as copy,
            ):
                shutil.copyfileobj(stored, copy)
        except FileNotFoundError as error:
            raise DriftReportError(
                f"{file_name}: the uploaded file is missing from storage"
            ) from error
        try:
            application = read_table(schema.APPLICATION, local)
        except DatasetError as error:
            # Name the file as the person knows it, not the worker's temporary copy.
            raise DriftReportError(str(error).replace(str(local), file_name)) from error
        except (OSError, EOFError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise DriftReportError(f"{file_name}: not a readable CSV file ({error})") from error
    features = model.features({"application": application})
    keyed = application.set_index("SK_ID_CURR") if "SK_ID_CURR" in application else application
    for name in EXCLUDED_ATTRIBUTES:
        if name in keyed.columns:
            features[name] = keyed[name].reindex(features.index).to_numpy()
    return features


# -- reads ----------------------------------------------------------------------------------


def drift_report_html(report: DriftReport) -> str | None:
    """Evidently's full HTML report, decompressed (None until the report is done)."""
    if not report.html_gzip:
        return None
    return gzip.decompress(bytes(report.html_gzip)).decode("utf-8")


def drift_report_ranked_columns(report: DriftReport, *, drifted_only: bool = True) -> list[dict]:
    """The compared columns, drifted first, most important to the model first (the summary's order).

    Each: column, drift_score, method, threshold, score_kind, drifted,
    importance (mean |SHAP|), importance_rank.
    """
    columns = (report.summary or {}).get("columns", [])
    return [c for c in columns if c.get("drifted") or not drifted_only]
