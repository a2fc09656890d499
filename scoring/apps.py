from typing import Any

from django.apps import AppConfig
from django.apps.registry import Apps
from django.db.models.signals import post_migrate


def _register_schedules(sender: AppConfig, apps: Apps | None = None, **kwargs: Any) -> None:
    from django.apps import apps as global_apps

    from scoring.schedules import scoring_schedules_register

    # migrate passes the migration state's registry; flush passes none.
    scoring_schedules_register(apps or global_apps)


class ScoringConfig(AppConfig):
    name = "scoring"

    def ready(self) -> None:
        # The sweeper's periodic task (scoring/schedules.py), created when missing.
        post_migrate.connect(_register_schedules, sender=self)
