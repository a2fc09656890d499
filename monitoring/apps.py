from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    # The risk staff's interface and monitoring services (drift, score distributions).
    # An empty shell for now: the monitoring issue fills it. (The audit trail it used
    # to hold is the audit app.)
    name = "monitoring"
