from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    # The risk staff's interface and monitoring services: drift reports, alerts and
    # their limits (in the admin site), the scheduled checks. (The audit trail it used
    # to hold is the audit app.)
    name = "monitoring"
    verbose_name = _("Monitoring")
