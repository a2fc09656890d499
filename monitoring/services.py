"""The monitoring services other code calls (the demo, commands, the admin site).

The writes live in one module per topic (monitoring/drift.py,
monitoring/alerts.py); this module names the ones meant for callers outside
them, so a caller needs no knowledge of that split.
"""

from __future__ import annotations

from monitoring.alerts import (
    AlertError,
    alert_acknowledge,
    alert_limits_get,
    alerts_check,
    alerts_measure,
)
from monitoring.drift import (
    DriftReportError,
    drift_report_create,
    drift_report_fail,
    drift_report_run,
)

__all__ = [
    "AlertError",
    "DriftReportError",
    "alert_acknowledge",
    "alert_limits_get",
    "alerts_check",
    "alerts_measure",
    "drift_report_create",
    "drift_report_fail",
    "drift_report_run",
]
