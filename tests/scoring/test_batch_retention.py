"""Batch files (applicants' data) are deleted after the retention period; the job's row stays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from creditscore.celery import app
from scoring.batch import batch_files_purge
from scoring.models import BatchJob
from scoring.schedules import BATCH_PURGE_NAME
from scoring.tasks import batch_files_purge_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def batch(*, days_old: int, status=BatchJob.Status.DONE, user=None) -> BatchJob:
    job = BatchJob(created_by=user, status=status, total_rows=1, processed_rows=1)
    job.source.save("in.csv", ContentFile(b"SK_ID_CURR\n100002\n"), save=False)
    job.results.save("out.csv", ContentFile(b"SK_ID_CURR,probability\n100002,0.1\n"), save=False)
    job.save()
    BatchJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    job.refresh_from_db()
    return job


def test_files_older_than_the_retention_are_deleted_and_the_job_kept(media, settings):
    settings.BATCH_FILE_RETENTION_DAYS = 30
    old, recent = batch(days_old=31), batch(days_old=29)
    old_files = [media / old.source.name, media / old.results.name]
    assert all(path.exists() for path in old_files)

    assert batch_files_purge() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not any(path.exists() for path in old_files)
    assert old.source.name == "" and old.results.name == "" and old.total_rows == 1
    assert (media / recent.source.name).exists() and (media / recent.results.name).exists()


def test_a_batch_still_running_keeps_its_file_whatever_its_age(media, settings):
    settings.BATCH_FILE_RETENTION_DAYS = 30
    running = batch(days_old=90, status=BatchJob.Status.RUNNING)

    assert batch_files_purge() == 0

    assert (media / running.source.name).exists()


def test_the_retention_is_a_setting(media, settings):
    settings.BATCH_FILE_RETENTION_DAYS = 7
    batch(days_old=8)

    assert batch_files_purge_task.apply().get() == 1
    assert batch_files_purge() == 0  # nothing left to delete: the job has no file


def test_purged_results_answer_410_saying_why(media, settings, integration):
    settings.BATCH_FILE_RETENTION_DAYS = 30
    job = batch(days_old=40, user=integration)
    batch_files_purge()
    _token, key = api_token_issue(user=integration)

    response = APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en").get(
        f"/api/v1/batches/{job.pk}/results"
    )

    assert response.status_code == 410
    assert "30" in response.json()["detail"]


def test_the_purge_runs_daily_from_beats_database_schedule():
    app.loader.import_default_modules()

    task = PeriodicTask.objects.select_related("crontab").get(name=BATCH_PURGE_NAME)

    assert task.task == "scoring.batch_files_purge" and task.task in app.tasks
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "3", "*")
