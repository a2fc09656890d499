"""The monitoring work Celery beat runs on its own, registered in the database.

django-celery-beat keeps the schedule in Postgres (`PeriodicTask`), so staff
change when it runs, or switch it off, in the admin site without a deploy. The
monitoring migrations create these entries, and post_migrate creates them
again when missing (after a flush): by name, so a staff member's change is
never overwritten (`scoring.schedules.periodic_task_register`, shared with
scoring's). `monitoring/tasks.py` holds the tasks.
"""

from __future__ import annotations

from django.apps.registry import Apps

from scoring.schedules import periodic_task_register

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
    "Monitoring: drift reports sent again": {
        "task": "monitoring.drift_reports_resend",
        # Every 5 minutes: a report asked for while the broker was down, or whose worker
        # died, is computed within minutes of the broker's (or a worker's) return.
        "crontab": {"minute": "*/5"},
        "kwargs": {},
        "description": (
            "Sends again the drift reports left waiting (their message lost) or running "
            "(their worker lost), once the queue is empty."
        ),
    },
    "Monitoring: dashboard figures": {
        "task": "monitoring.dashboard_figures_scheduled",
        # Every quarter of an hour: the dashboard's default window (the last 12 weeks)
        # is ready when staff open it; any other window is computed when first asked for.
        "crontab": {"minute": "*/15"},
        "kwargs": {},
        "description": (
            "Computes the monitoring dashboard's figures of the last 12 weeks (stability, "
            "decisions, performance, fairness), which the page shows with their time."
        ),
    },
}


def monitoring_defaults_register(apps: Apps) -> None:
    """Create what monitoring needs and is missing: the default alert limits, the periodic tasks.

    `apps`: a migration's registry or the global one. An entry that exists (perhaps
    changed or disabled by staff) is left as it is.
    """
    try:
        limits = apps.get_model("monitoring", "AlertLimits")
    except LookupError:
        return  # migrated back to before these models: nothing to register
    limits.objects.get_or_create(id=1)
    for name, entry in PERIODIC_TASKS.items():
        periodic_task_register(
            apps,
            name=name,
            task=entry["task"],
            crontab=entry["crontab"],
            kwargs=entry["kwargs"],
            description=entry["description"],
        )
