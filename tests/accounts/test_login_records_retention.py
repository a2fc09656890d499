"""django-axes' login records are deleted after LOGIN_RECORDS_RETENTION_DAYS, daily."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.tasks import login_records_purge_task
from creditscore.celery import app
from scoring.schedules import LOGIN_RECORDS_PURGE_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> None:
    """Of each model, an "old-" row recorded 91 days ago and a "recent-" one 89 days ago."""
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        required = {"get_data": "", "post_data": "", "failures_since_start": 1}
        extra = required if model is AccessAttempt else {}
        for name, days in (("old", 91), ("recent", 89)):
            row = model.objects.create(
                username=f"{name}-{model.__name__}", ip_address="192.0.2.7", user_agent="t",
                **extra,
            )  # fmt: skip
            # attempt_time is auto_now_add: set afterwards.
            model.objects.filter(pk=row.pk).update(
                attempt_time=timezone.now() - timedelta(days=days)
            )


def usernames(model) -> set[str]:
    return set(model.objects.values_list("username", flat=True))


def test_records_older_than_ninety_days_are_deleted_and_newer_ones_kept(records):
    purged = login_records_purge_task()

    assert purged == {"access_logs": 1, "access_attempts": 1, "access_failure_logs": 1}
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        assert usernames(model) == {f"recent-{model.__name__}"}


def test_the_retention_follows_its_setting(records, settings):
    settings.LOGIN_RECORDS_RETENTION_DAYS = 30

    login_records_purge_task()

    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        assert not model.objects.exists()


def test_the_purge_runs_daily_from_beats_database_schedule():
    app.loader.import_default_modules()

    task = PeriodicTask.objects.select_related("crontab").get(name=LOGIN_RECORDS_PURGE_NAME)

    assert task.task == "accounts.login_records_purge" and task.task in app.tasks
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("45", "3", "*")
