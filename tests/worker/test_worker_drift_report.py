"""A drift report made by a real Celery worker process (Evidently imported there, not here)."""

from __future__ import annotations

import time

import pytest
from django.core.files.base import File

from monitoring.drift import drift_report_create
from monitoring.models import DriftReport
from monitoring.tasks import drift_report_run_task
from tests.monitoring.conftest import COMPARED, SHIFTED, write_applications

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shifted_applications_csv(tmp_path):
    return write_applications(
        tmp_path / "application_shifted.csv", rows=1200, seed=99, shifted=True
    )


def test_a_real_worker_makes_the_drift_report_and_stores_it(
    active_model_version, shifted_applications_csv, start_worker, worker_queue
):
    start_worker()
    with open(shifted_applications_csv, "rb") as handle:
        report = drift_report_create(
            trigger=DriftReport.Trigger.ADMIN,
            current_file=File(handle, name="application_shifted.csv"),
            columns=COMPARED,
            queue=False,
        )
    # The monitoring tasks go to the default queue; the test's worker reads its own.
    drift_report_run_task.apply_async(args=[str(report.pk)], queue=worker_queue)

    deadline = time.monotonic() + 240
    while report.status not in {DriftReport.Status.DONE, DriftReport.Status.FAILED}:
        assert time.monotonic() < deadline, f"report still {report.status}"
        time.sleep(0.5)
        report.refresh_from_db()

    assert report.status == DriftReport.Status.DONE, report.error
    drifted = {c["column"] for c in report.summary["columns"] if c["drifted"]}
    assert drifted == set(SHIFTED)
    assert report.html_gzip and report.html_size > 100_000
