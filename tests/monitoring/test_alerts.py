"""Alerts: one e-mail when a limit is crossed, nothing more until a person acknowledges it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from audit.verify import audit_chain_verify
from monitoring.alerts import AlertError, alert_acknowledge, alert_limits_get, alerts_check
from monitoring.models import Alert

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """`check(figures, **kwargs)`: alerts_check with its e-mail sent as the check commits."""

    def run(figures, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return alerts_check(figures=figures, **kwargs)

    return run


def test_a_crossed_limit_raises_one_alert_and_emails_staff_once(check, risk_staff, advisor):
    raised = check({"score_psi": 0.31})

    assert [(a.kind, a.value, a.limit) for a in raised] == [("score_psi", 0.31, 0.25)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [risk_staff.email]  # staff only, not the advisor
    assert "0,31" in mail.outbox[0].body  # French, the product's default language
    assert Alert.objects.get().email_recipients == 1


def test_the_same_crossing_while_the_alert_is_open_does_not_alert_again(check, risk_staff):
    first = check({"score_psi": 0.31})
    again = check({"score_psi": 0.40})
    other_window = check({"score_psi": 0.35}, since=timezone.now() - timedelta(days=3),
                         until=timezone.now())  # fmt: skip

    assert len(first) == 1 and again == [] and other_window == []
    assert len(mail.outbox) == 1
    alert = Alert.objects.get()
    assert (alert.value, alert.last_value, alert.times_seen) == (0.31, 0.35, 3)


def test_after_acknowledgement_only_a_new_crossing_alerts_again(check, risk_staff):
    (alert,) = check({"score_psi": 0.31})
    alert_acknowledge(alert_id=alert.pk, user=risk_staff, comment="New partner channel, watched.")

    same_figures_again = check({"score_psi": 0.31})
    next_week = check({"score_psi": 0.33}, since=timezone.now(),
                      until=timezone.now() + timedelta(days=7))  # fmt: skip

    assert same_figures_again == []
    assert len(next_week) == 1 and next_week[0].pk != alert.pk
    assert len(mail.outbox) == 2


def test_figures_within_their_limits_raise_nothing(check, risk_staff):
    raised = check(
        {"drift_share": 0.1, "score_psi": 0.12, "fairness_ratios": {"CODE_GENDER=F": 0.9},
         "expected_auc": 0.74, "training_auc": 0.75}
    )  # fmt: skip

    assert raised == [] and mail.outbox == [] and not Alert.objects.exists()


def test_every_kind_of_figure_alerts_at_the_limits_staff_set(check, risk_staff):
    limits = alert_limits_get()
    limits.drift_share = 0.5
    limits.save()

    raised = check(
        {"drift_share": 0.4, "score_psi": 0.25, "fairness_ratios": {"CODE_GENDER=M": 0.7},
         "expected_auc": 0.69, "training_auc": 0.75}
    )  # fmt: skip

    assert {(a.kind, a.subject) for a in raised} == {
        ("score_psi", ""), ("fairness_ratio", "CODE_GENDER=M"), ("auc_gap", ""),
    }  # fmt: skip
    assert len(mail.outbox) == 1  # one e-mail listing the three
    assert mail.outbox[0].body.count("\n- ") == 3


def test_raising_and_acknowledging_are_in_the_audit_trail(check, risk_staff):
    (alert,) = check({"score_psi": 0.31})
    alert_acknowledge(alert_id=alert.pk, user=risk_staff, comment="Seasonal, watched.")

    raised = AuditEvent.objects.get(action=Action.ALERT_RAISED)
    acknowledged = AuditEvent.objects.get(action=Action.ALERT_ACKNOWLEDGED)
    assert raised.detail["alert"] == alert.pk and raised.detail["metric"] == "score_psi"
    assert raised.detail["value"] == 0.31 and raised.detail["threshold"] == 0.25
    assert raised.actor_id is None  # the monitoring, not a person
    assert acknowledged.actor_id == risk_staff.pk
    assert acknowledged.detail == {
        "alert": alert.pk, "metric": "score_psi", "subject": "", "note": "Seasonal, watched.",
    }  # fmt: skip
    assert audit_chain_verify().ok


def test_an_acknowledgement_needs_a_comment_and_happens_once(check, risk_staff):
    (alert,) = check({"score_psi": 0.31})

    with pytest.raises(AlertError):
        alert_acknowledge(alert_id=alert.pk, user=risk_staff, comment="   ")
    alert_acknowledge(alert_id=alert.pk, user=risk_staff, comment="Looked into it.")
    with pytest.raises(AlertError):
        alert_acknowledge(alert_id=alert.pk, user=risk_staff, comment="Again.")

    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED and alert.comment == "Looked into it."
    assert AuditEvent.objects.filter(action=Action.ALERT_ACKNOWLEDGED).count() == 1


def test_a_drift_report_past_the_limit_raises_its_alert_once(
    shifted_applications_csv, active_model_version, risk_staff, django_capture_on_commit_callbacks
):
    from django.core.files.base import File

    from monitoring.drift import drift_report_create
    from monitoring.models import DriftReport
    from tests.monitoring.conftest import COMPARED

    with open(shifted_applications_csv, "rb") as handle:
        with django_capture_on_commit_callbacks(execute=True):
            report = drift_report_create(
                trigger=DriftReport.Trigger.COMMAND,
                current_file=File(handle, name="shifted.csv"),
                columns=COMPARED,
            )
    report.refresh_from_db()
    alert = Alert.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        again = alerts_check(figures={"drift_share": report.drift_share}, drift_report=report)

    assert report.drift_share == pytest.approx(2 / 6)  # past the default limit, 0.3
    assert (alert.kind, alert.drift_report_id) == ("drift_share", report.pk)
    assert alert.source_key == f"drift_report:{report.pk}"
    assert again == [] and len(mail.outbox) == 1


def test_scores_of_a_period_are_measured_for_psi_fairness_and_expected_auc(
    active_model_version, scored, imported_clients, monkeypatch
):
    from monitoring.alerts import alerts_measure

    monkeypatch.setattr("monitoring.alerts.MIN_SCORES", 5)
    for position in range(len(imported_clients)):
        scored(position)
    now = timezone.now()

    figures = alerts_measure(since=now - timedelta(hours=1), until=now + timedelta(minutes=1))
    empty = alerts_measure(since=now - timedelta(days=9), until=now - timedelta(days=8))

    assert figures["rows"] == len(imported_clients)
    assert figures["score_psi"] > 0
    assert 0 <= figures["expected_auc"] <= 1 and 0 <= figures["training_auc"] <= 1
    assert set(figures["fairness_ratios"]["groupings"]) >= {"CODE_GENDER"}
    assert empty == {"rows": 0, "score_psi": None, "fairness_ratios": None,
                     "expected_auc": None, "training_auc": None}  # fmt: skip
