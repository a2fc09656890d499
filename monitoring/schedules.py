"""The monitoring work Celery beat runs on its own, registered in the database.

django-celery-beat keeps the schedule in Postgres (`PeriodicTask`), so staff
change when it runs, or switch it off, in the admin site without a deploy. The
monitoring migrations create these entries, and post_migrate creates them
again when missing (after a flush): by name, so a staff member's change is
never overwritten. `monitoring/tasks.py` holds the tasks.
"""

from __future__ import annotations

import json

# name shown in the admin -> (task name, crontab fields, keyword arguments, description)
PERIODIC_TASKS: dict[str, dict] = {
    "Monitoring: weekly drift report": {
        "task": "monitoring.drift_report_scheduled",
        # Monday 06:00 (Europe/Paris): last week's applications, ready when staff arrive.
        "crontab": {"minute": "0", "hour": "6", "day_of_week": "1"},
        "kwargs": {"days": 7},
        "description": (
            "Compares the applications scored over the last 7 days with the active "
            "model's training sample (Evidently), then checks the alert limits."
        ),
    },
    "Monitoring: daily alert check": {
        "task": "monitoring.alerts_check_scheduled",
        # Every day at 07:00: score stability, fairness and expected AUC of the last 7 days.
        "crontab": {"minute": "0", "hour": "7"},
        "kwargs": {"days": 7},
        "description": (
            "Measures the score PSI, the approval ratios between groups and the expected "
            "AUC of the last 7 days of scores and e-mails staff when one crosses its limit."
        ),
    },
}


def monitoring_defaults_register(apps) -> None:
    """Create what monitoring needs and is missing: the default alert limits, the periodic tasks.

    `apps`: a migration's registry or the global one. An entry that exists (perhaps
    changed or disabled by staff) is left as it is.
    """
    from django.conf import settings

    try:
        limits = apps.get_model("monitoring", "AlertLimits")
        crontabs = apps.get_model("django_celery_beat", "CrontabSchedule")
        tasks = apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:
        return  # migrated back to before these models: nothing to register
    limits.objects.get_or_create(id=1)
    for name, entry in PERIODIC_TASKS.items():
        if tasks.objects.filter(name=name).exists():
            continue
        fields = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
        crontab = crontabs.objects.filter(
            **fields | entry["crontab"], timezone=settings.TIME_ZONE
        ).first() or crontabs.objects.create(
            **fields | entry["crontab"], timezone=settings.TIME_ZONE
        )
        tasks.objects.create(
            name=name,
            task=entry["task"],
            crontab=crontab,
            kwargs=json.dumps(entry["kwargs"]),
            description=entry["description"],
            enabled=True,
        )
