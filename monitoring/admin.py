"""The risk staff's pages in the admin site, one module per topic.

Each topic registers its own admin classes; this module only imports them so
that Django's admin autodiscovery finds every one:

* monitoring/admin_audit.py: the audit trail, read-only;
* monitoring/admin_drift.py: drift reports (list, report page, running one);
* monitoring/admin_alerts.py: alerts (acknowledging them) and their limits.
"""

from monitoring import admin_alerts, admin_audit, admin_drift  # noqa: F401
