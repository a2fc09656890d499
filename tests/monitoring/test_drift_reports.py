"""Drift reports made through the service and its Celery task (eager here; see tests/worker)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile, File
from django.utils import timezone

from monitoring.drift import (
    DriftReportError,
    drift_report_create,
    drift_report_html,
    drift_report_ranked_columns,
)
from monitoring.models import DriftReport
from tests.monitoring.conftest import COMPARED, SHIFTED, UNCHANGED

pytestmark = pytest.mark.django_db


def run_report(django_capture_on_commit_callbacks, **kwargs) -> DriftReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = drift_report_create(trigger=DriftReport.Trigger.COMMAND, **kwargs)
    report.refresh_from_db()
    return report


@pytest.fixture
def shifted_report(
    active_model_version, shifted_applications_csv, django_capture_on_commit_callbacks
):
    with open(shifted_applications_csv, "rb") as handle:
        return run_report(
            django_capture_on_commit_callbacks,
            current_file=File(handle, name=shifted_applications_csv.name),
            columns=COMPARED,
        )


def test_a_shifted_batch_has_its_shifted_columns_flagged_and_no_other(shifted_report):
    assert shifted_report.status == DriftReport.Status.DONE, shifted_report.error
    verdicts = {c["column"]: c["drifted"] for c in shifted_report.summary["columns"]}

    assert set(verdicts) == set(COMPARED)
    assert {name for name, drifted in verdicts.items() if drifted} == set(SHIFTED)
    assert not any(verdicts[name] for name in UNCHANGED)
    assert shifted_report.drifted_columns == 2
    assert shifted_report.drift_share == pytest.approx(2 / len(COMPARED))


def test_the_report_stores_evidentlys_html_and_the_summary_of_the_run(
    shifted_report, active_model_version
):
    html = drift_report_html(shifted_report)

    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html[:500].lower()
    assert shifted_report.html_size == len(html.encode())
    assert len(shifted_report.html_gzip) < shifted_report.html_size / 3
    assert shifted_report.model_version == active_model_version
    assert shifted_report.rows_current == 1200
    assert shifted_report.rows_reference == shifted_report.summary["rows"]["reference"] > 0
    context = shifted_report.summary["context"]
    assert context["file"] == "application_shifted.csv"
    assert context["model_version"] == active_model_version.version
    assert shifted_report.started_at <= shifted_report.finished_at


def test_drifted_features_come_ranked_by_the_models_importance(
    shifted_report, active_model_version
):
    from scoring.registry import scoring_model_for

    importance = scoring_model_for(active_model_version).metadata["global_importance"]
    ranked = drift_report_ranked_columns(shifted_report)

    assert [c["column"] for c in ranked] == sorted(SHIFTED, key=lambda name: -importance[name])
    for column in ranked:
        assert column["importance"] == pytest.approx(importance[column["column"]])
        assert column["drift_score"] >= column["threshold"]  # Wasserstein: a distance
    everything = drift_report_ranked_columns(shifted_report, drifted_only=False)
    assert [c["drifted"] for c in everything] == [True, True, False, False, False, False]


def test_a_report_of_the_applications_scored_in_a_period(
    active_model_version, scored, imported_clients, django_capture_on_commit_callbacks,
    monkeypatch,
):  # fmt: skip
    monkeypatch.setattr("monitoring.drift.MIN_CURRENT_ROWS", 5)
    for position in range(len(imported_clients)):
        scored(position)
    now = timezone.now()

    report = run_report(
        django_capture_on_commit_callbacks,
        since=now - timedelta(hours=1),
        until=now + timedelta(minutes=1),
        columns=["AMT_CREDIT", "AMT_INCOME_TOTAL", "CODE_GENDER", "NAME_CONTRACT_TYPE"],
    )

    assert report.status == DriftReport.Status.DONE, report.error
    assert report.source == DriftReport.Source.WINDOW
    assert report.rows_current == len(imported_clients)
    compared = {c["column"] for c in report.summary["columns"]}
    # CODE_GENDER is no feature of the model: it comes from the applications themselves.
    assert compared == {"AMT_CREDIT", "AMT_INCOME_TOTAL", "CODE_GENDER", "NAME_CONTRACT_TYPE"}


def test_a_period_without_enough_scored_applications_fails_with_the_reason(
    active_model_version, django_capture_on_commit_callbacks
):
    now = timezone.now()

    report = run_report(django_capture_on_commit_callbacks, since=now - timedelta(days=7))

    assert report.status == DriftReport.Status.FAILED
    assert "0 application(s) in the period" in report.error
    assert "at least 30" in report.error
    assert report.html_gzip is None


def test_a_file_with_a_bad_value_fails_naming_the_file_line_and_column(
    active_model_version, shifted_applications_csv, django_capture_on_commit_callbacks
):
    lines = shifted_applications_csv.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("AMT_CREDIT")] = "a lot"
    lines[3] = ",".join(row)

    report = run_report(
        django_capture_on_commit_callbacks,
        current_file=ContentFile("\n".join(lines).encode(), name="mine.csv"),
    )

    assert report.status == DriftReport.Status.FAILED
    assert "mine.csv" in report.error and "line 4" in report.error
    assert "AMT_CREDIT" in report.error
    assert "/tmp" not in report.error  # the worker's copy is no name the person knows


def test_without_an_active_model_nothing_is_recorded_and_the_reason_is_given(db):
    with pytest.raises(DriftReportError, match="no active model"):
        drift_report_create(trigger=DriftReport.Trigger.COMMAND)

    assert not DriftReport.objects.exists()


def test_a_reversed_period_is_refused(active_model_version):
    now = timezone.now()

    with pytest.raises(DriftReportError, match="the period is empty"):
        drift_report_create(trigger=DriftReport.Trigger.COMMAND, since=now, until=now)

    assert not DriftReport.objects.exists()


def test_a_file_that_is_no_csv_is_refused(active_model_version):
    with pytest.raises(DriftReportError, match=r"report\.xlsx: an application file is a \.csv"):
        drift_report_create(
            trigger=DriftReport.Trigger.ADMIN, current_file=ContentFile(b"x", name="report.xlsx")
        )


def test_a_report_taken_by_a_worker_is_not_run_twice(active_model_version):
    from monitoring.drift import drift_report_run

    report = drift_report_create(trigger=DriftReport.Trigger.COMMAND, queue=False)
    DriftReport.objects.filter(pk=report.pk).update(status=DriftReport.Status.RUNNING)

    again = drift_report_run(report_id=str(report.pk))

    assert again.status == DriftReport.Status.RUNNING and again.summary == {}


def test_the_command_makes_a_report_of_a_file_and_says_where_to_open_it(
    active_model_version, shifted_applications_csv, tmp_path
):
    from io import StringIO

    from django.core.management import call_command

    from tests.monitoring.conftest import write_applications

    reference = write_applications(tmp_path / "application_train.csv", rows=1100, seed=3,
                                   shifted=False)  # fmt: skip
    out = StringIO()

    call_command(
        "drift_report", "--file", str(shifted_applications_csv), "--reference", str(reference),
        "--columns", ",".join(COMPARED), stdout=out,
    )  # fmt: skip

    report = DriftReport.objects.get()
    assert report.status == DriftReport.Status.DONE
    assert (report.trigger, report.reference_file_name) == ("command", "application_train.csv")
    assert report.rows_reference == 1100 and report.rows_current == 1200
    assert {c["column"] for c in drift_report_ranked_columns(report)} == set(SHIFTED)
    printed = out.getvalue()
    assert "drifted: 2" in printed and "AMT_CREDIT" in printed
    assert f"/admin/monitoring/driftreport/{report.pk}/change/" in printed


def test_the_command_refuses_a_period_and_a_file_together(active_model_version, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="either a period"):
        call_command("drift_report", "--since", "2026-11-01", "--file", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no date"):
        call_command("drift_report", "--since", "01/11/2026")
    assert not DriftReport.objects.exists()


@pytest.fixture
def broker_down():
    """The Celery producer points at a closed port (restored after)."""
    from creditscore.celery import app as celery_app

    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    conf.broker_url, conf.task_always_eager = "redis://127.0.0.1:1/0", False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    conf.broker_url, conf.task_always_eager = saved


def test_a_report_asked_while_the_broker_is_down_is_recorded_pending_not_an_error(
    active_model_version, scored, django_capture_on_commit_callbacks, broker_down
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = drift_report_create(trigger=DriftReport.Trigger.ADMIN)

    assert len(callbacks) == 1  # the send was tried, gave up, and raised nothing
    report.refresh_from_db()
    assert report.status == DriftReport.Status.PENDING


# --- Reports whose message or worker was lost ------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """The report ids sent to the workers; the default queue reads empty."""
    ids: list[str] = []
    monkeypatch.setattr("scoring.sweeper.queue_length", lambda queue=None: 0)
    monkeypatch.setattr(
        "monitoring.drift.task_send", lambda task, report_id: ids.append(report_id) or True
    )
    return ids


def _report(*, status: str, minutes_ago: int) -> DriftReport:
    report = drift_report_create(trigger=DriftReport.Trigger.COMMAND, queue=False)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    DriftReport.objects.filter(pk=report.pk).update(status=status, created_at=at, started_at=at)
    return report


def test_a_report_left_pending_is_sent_again_and_a_fresh_one_is_not(active_model_version, sent):
    from monitoring.drift import drift_reports_resend

    lost = _report(status=DriftReport.Status.PENDING, minutes_ago=30)
    fresh = _report(status=DriftReport.Status.PENDING, minutes_ago=2)

    assert drift_reports_resend() == 1
    assert sent == [str(lost.pk)]
    assert str(fresh.pk) not in sent


def test_a_report_running_past_the_time_limit_is_made_pending_and_sent_again(
    active_model_version, sent
):
    from monitoring.drift import drift_reports_resend

    orphaned = _report(status=DriftReport.Status.RUNNING, minutes_ago=40)
    running = _report(status=DriftReport.Status.RUNNING, minutes_ago=5)

    drift_reports_resend()

    orphaned.refresh_from_db()
    running.refresh_from_db()
    assert (orphaned.status, orphaned.started_at) == (DriftReport.Status.PENDING, None)
    assert running.status == DriftReport.Status.RUNNING
    assert sent == [str(orphaned.pk)]


@pytest.mark.parametrize("waiting", [None, 3], ids=["broker unreachable", "queue busy"])
def test_nothing_is_sent_again_while_the_broker_is_down_or_the_workers_are_behind(
    active_model_version, sent, monkeypatch, waiting
):
    from monitoring.drift import drift_reports_resend

    monkeypatch.setattr("scoring.sweeper.queue_length", lambda queue=None: waiting)
    _report(status=DriftReport.Status.PENDING, minutes_ago=30)

    assert drift_reports_resend() == 0
    assert sent == []
