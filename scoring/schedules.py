"""The scoring work Celery beat runs on its own, registered in the database.

As for monitoring (monitoring/schedules.py): django-celery-beat keeps the schedule in
Postgres, staff change or pause it in the admin site, and an entry that exists is
never overwritten. Created after each `migrate` (and flush) when missing.
"""

from __future__ import annotations

from django.apps.registry import Apps

SWEEPER_NAME = "Scoring: send again the work the workers never got"
BATCH_PURGE_NAME = "Batches: delete the files past their retention"


def scoring_schedules_register(apps: Apps) -> None:
    try:
        intervals = apps.get_model("django_celery_beat", "IntervalSchedule")
        tasks = apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:
        return
    _batch_purge_register(apps)
    if tasks.objects.filter(name=SWEEPER_NAME).exists():
        return
    every_minute, _ = intervals.objects.get_or_create(every=1, period="minutes")
    tasks.objects.create(
        name=SWEEPER_NAME,
        task="scoring.stale_work_resend",
        interval=every_minute,
        description=(
            "Scores and batches still pending a minute after they were asked for (the "
            "broker was down), or running long after their time limit (a worker died with "
            "the broker's queue), are sent to the workers again (scoring/sweeper.py)."
        ),
        enabled=True,
    )


def _batch_purge_register(apps: Apps) -> None:
    """Daily at 03:30: batch files older than BATCH_FILE_RETENTION_DAYS are deleted."""
    from django.conf import settings

    crontabs = apps.get_model("django_celery_beat", "CrontabSchedule")
    tasks = apps.get_model("django_celery_beat", "PeriodicTask")
    if tasks.objects.filter(name=BATCH_PURGE_NAME).exists():
        return
    fields = {"minute": "30", "hour": "3", "day_of_week": "*", "day_of_month": "*"}
    fields |= {"month_of_year": "*", "timezone": settings.TIME_ZONE}
    crontab = crontabs.objects.filter(**fields).first() or crontabs.objects.create(**fields)
    tasks.objects.create(
        name=BATCH_PURGE_NAME,
        task="scoring.batch_files_purge",
        crontab=crontab,
        description=(
            "The uploaded batch files and their results (applicants' data) are deleted "
            "BATCH_FILE_RETENTION_DAYS days (30 by default) after submission; the batch's "
            "row stays, its results then answer 410 (scoring/batch.py)."
        ),
        enabled=True,
    )
