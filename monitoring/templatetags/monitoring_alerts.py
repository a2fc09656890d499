"""`{% open_alerts as alerts %}`: the open monitoring alerts, for the admin index.

An alert stays in sight until a staff member acknowledges it: the admin index,
where staff land after logging in, lists the open ones above everything else.
"""

from __future__ import annotations

from django import template

from monitoring.alerts import alert_message
from monitoring.models import Alert

register = template.Library()

SHOWN = 5


@register.simple_tag(takes_context=True)
def open_alerts(context) -> dict:
    """{"count": open alerts, "sentences": the latest few, in the page's language}."""
    request = context.get("request")
    if request is None or not request.user.has_perm("monitoring.view_alert"):
        return {"count": 0, "sentences": []}
    alerts = Alert.objects.filter(status=Alert.Status.OPEN).order_by("-raised_at")
    return {
        "count": alerts.count(),
        "sentences": [alert_message(alert) for alert in alerts[:SHOWN]],
    }
