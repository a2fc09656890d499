"""The work Celery beat runs on its own, registered in the database.

django-celery-beat keeps the schedule in Postgres (`PeriodicTask`): staff change
when a task runs, or pause it, in the admin site without a deploy. Each app
describes its periodic tasks and creates them after each `migrate` (and flush)
when missing, through `periodic_task_register`, which both scoring (here) and
monitoring (monitoring/schedules.py) use: by name, so that an entry that exists
(perhaps changed or disabled by staff) is never overwritten.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps.registry import Apps

SWEEPER_NAME = "Scoring: send again the work the workers never got"
BATCH_PURGE_NAME = "Batches: delete the files past their retention"
LOGIN_RECORDS_PURGE_NAME = "Logins: delete django-axes' records past their retention"

# Crontab fields a schedule leaves out run on every value ("*").
_EVERY = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}


def periodic_task_register(
    apps: Apps,
    *,
    name: str,
    task: str,
    description: str,
    crontab: dict[str, str] | None = None,
    interval: dict[str, Any] | None = None,
    kwargs: dict[str, Any] | None = None,
) -> bool:
    """Create the periodic task `name` unless it exists; True when it was created.

    `apps`: a migration's registry or the global one (nothing happens when it
    predates django-celery-beat). The schedule is either `crontab` (the fields
    given; the others every value; in the site's time zone) or `interval`
    (`{"every": 1, "period": "minutes"}`); an identical schedule row is reused.
    `kwargs` are the task's keyword arguments.
    """
    from django.conf import settings

    if (crontab is None) == (interval is None):
        raise ValueError("a periodic task needs a crontab or an interval, not both")
    try:
        tasks = apps.get_model("django_celery_beat", "PeriodicTask")
        crontabs = apps.get_model("django_celery_beat", "CrontabSchedule")
        intervals = apps.get_model("django_celery_beat", "IntervalSchedule")
    except LookupError:
        return False  # migrated back to before django-celery-beat: nothing to register
    if tasks.objects.filter(name=name).exists():
        return False
    schedule: dict[str, Any]
    if crontab is not None:
        fields = _EVERY | crontab | {"timezone": settings.TIME_ZONE}
        row = crontabs.objects.filter(**fields).first() or crontabs.objects.create(**fields)
        schedule = {"crontab": row}
    elif interval is not None:
        schedule = {"interval": intervals.objects.get_or_create(**interval)[0]}
    options = {} if kwargs is None else {"kwargs": json.dumps(kwargs)}
    tasks.objects.create(
        name=name, task=task, description=description, enabled=True, **schedule, **options
    )
    return True


def scoring_schedules_register(apps: Apps) -> None:
    periodic_task_register(
        apps,
        name=BATCH_PURGE_NAME,
        task="scoring.batch_files_purge",
        # Daily at 03:30: batch files older than BATCH_FILE_RETENTION_DAYS are deleted.
        crontab={"minute": "30", "hour": "3"},
        description=(
            "The uploaded batch files and their results (applicants' data) are deleted "
            "BATCH_FILE_RETENTION_DAYS days (30 by default) after submission; the batch's "
            "row stays, its results then answer 410 (scoring/batch.py)."
        ),
    )
    periodic_task_register(
        apps,
        name=SWEEPER_NAME,
        task="scoring.stale_work_resend",
        interval={"every": 1, "period": "minutes"},
        description=(
            "Scores and batches still pending a minute after they were asked for (the "
            "broker was down), or running long after their time limit (a worker died with "
            "the broker's queue), are sent to the workers again (scoring/sweeper.py)."
        ),
    )
    periodic_task_register(
        apps,
        name=LOGIN_RECORDS_PURGE_NAME,
        task="accounts.login_records_purge",  # accounts/tasks.py; the default queue
        # Daily at 03:45: django-axes' records older than LOGIN_RECORDS_RETENTION_DAYS go.
        crontab={"minute": "45", "hour": "3"},
        description=(
            "django-axes' logins, failed-login attempts and failures (who logged in, from "
            "which address: personal data) are deleted LOGIN_RECORDS_RETENTION_DAYS days "
            "(90 by default) after they were recorded (accounts/services.py)."
        ),
    )
