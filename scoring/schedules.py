"""The scoring work Celery beat runs on its own, registered in the database.

As for monitoring (monitoring/schedules.py): django-celery-beat keeps the schedule in
Postgres, staff change or pause it in the admin site, and an entry that exists is
never overwritten. Created after each `migrate` (and flush) when missing.
"""

from __future__ import annotations

SWEEPER_NAME = "Scoring: send again the work the workers never got"


def scoring_schedules_register(apps) -> None:
    try:
        intervals = apps.get_model("django_celery_beat", "IntervalSchedule")
        tasks = apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:
        return
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
