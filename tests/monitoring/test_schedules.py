"""The scheduled monitoring tasks are registered with Celery beat's database scheduler."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from creditscore.celery import app
from monitoring.schedules import PERIODIC_TASKS
from tests.dashboard import scored

portfolio_clients = scored.portfolio_clients

pytestmark = pytest.mark.django_db


def test_beat_reads_its_schedule_from_the_database():
    assert "django_celery_beat" in settings.INSTALLED_APPS
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_the_weekly_drift_report_and_the_daily_alert_check_are_registered():
    registered = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}

    weekly = registered["Monitoring: weekly drift report"]
    daily = registered["Monitoring: daily alert check"]
    assert weekly.task == "monitoring.drift_report_scheduled" and weekly.enabled
    assert (weekly.crontab.minute, weekly.crontab.hour, weekly.crontab.day_of_week) == (
        "0", "6", "1",
    )  # fmt: skip
    assert str(weekly.crontab.timezone) == settings.TIME_ZONE
    assert daily.task == "monitoring.alerts_check_scheduled" and daily.enabled
    assert json.loads(weekly.kwargs) == {"days": 7} == json.loads(daily.kwargs)


def test_every_scheduled_task_is_one_the_workers_know():
    app.loader.import_default_modules()

    for entry in PERIODIC_TASKS.values():
        assert entry["task"] in app.tasks


def test_the_scheduled_drift_report_without_scores_records_nothing_and_raises_no_alert(
    active_model_version,
):
    from monitoring.models import Alert, DriftReport
    from monitoring.tasks import drift_report_scheduled

    assert drift_report_scheduled.apply(kwargs={"days": 7}).get() is None

    assert not DriftReport.objects.exists()
    assert not Alert.objects.exists()


def test_the_scheduled_drift_report_with_too_few_scores_records_nothing(
    active_model_version, portfolio_clients, score_now, advisor
):
    from django.utils import timezone

    from monitoring.drift import drift_window_applications
    from monitoring.models import DriftReport
    from monitoring.tasks import drift_report_scheduled

    for application in portfolio_clients:
        score_now(application, requested_by=advisor)
    now = timezone.now()
    # The 12 are counted (fewer than the 30 a comparison needs), not missed.
    assert drift_window_applications(since=now - timedelta(days=7), until=now) == 12

    assert drift_report_scheduled.apply(kwargs={"days": 7}).get() is None
    assert not DriftReport.objects.exists()


def test_the_scheduled_alert_check_runs_without_scores(active_model_version):
    from monitoring.tasks import alerts_check_scheduled

    assert alerts_check_scheduled.apply(kwargs={"days": 7}).get() == []


def test_registering_again_keeps_a_schedule_staff_changed_or_paused():
    from django.apps import apps

    from monitoring.schedules import monitoring_defaults_register
    from scoring.schedules import SWEEPER_NAME, scoring_schedules_register

    weekly = PeriodicTask.objects.get(name="Monitoring: weekly drift report")
    weekly.enabled = False
    weekly.kwargs = json.dumps({"days": 14})
    weekly.save()
    count = PeriodicTask.objects.count()

    monitoring_defaults_register(apps)
    scoring_schedules_register(apps)

    weekly.refresh_from_db()
    assert not weekly.enabled and json.loads(weekly.kwargs) == {"days": 14}
    assert PeriodicTask.objects.count() == count
    sweeper = PeriodicTask.objects.select_related("interval").get(name=SWEEPER_NAME)
    assert (sweeper.interval.every, sweeper.interval.period) == (1, "minutes")


def test_a_deleted_schedule_is_registered_again_with_its_crontab_in_the_site_time_zone():
    from django.apps import apps

    from monitoring.schedules import monitoring_defaults_register

    PeriodicTask.objects.filter(name="Monitoring: daily alert check").delete()

    monitoring_defaults_register(apps)

    daily = PeriodicTask.objects.select_related("crontab").get(name="Monitoring: daily alert check")
    assert daily.task == "monitoring.alerts_check_scheduled" and daily.enabled
    assert (daily.crontab.minute, daily.crontab.hour, daily.crontab.day_of_week) == ("0", "7", "*")
    assert str(daily.crontab.timezone) == settings.TIME_ZONE
    assert json.loads(daily.kwargs) == {"days": 7}
