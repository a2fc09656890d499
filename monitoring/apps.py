from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _register_defaults(sender, apps=None, **kwargs) -> None:
    from django.apps import apps as global_apps

    from monitoring.schedules import monitoring_defaults_register

    # migrate passes the migration state's registry; flush passes none.
    monitoring_defaults_register(apps or global_apps)


class MonitoringConfig(AppConfig):
    # The risk staff's interface and monitoring services: drift reports, alerts and
    # their limits (in the admin site), the scheduled checks. (The audit trail it used
    # to hold is the audit app.)
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        # The migrations create the alert limits and the periodic tasks once; this
        # creates them again after a flush (e.g. between transactional tests).
        post_migrate.connect(_register_defaults, sender=self)
