"""System check: the audit trail is never kept for less than the law's six months."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

# Art. 19 and 26(6) of the EU AI Act: logs kept at least six months. Six calendar
# months span up to 184 days (July to December), so nothing shorter is allowed.
MINIMUM_RETENTION_DAYS = 184
DEFAULT_RETENTION_DAYS = 3653  # ten years


def retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def check_retention(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    days = retention_days()
    if days < MINIMUM_RETENTION_DAYS:
        return [
            checks.Error(
                f"AUDIT_RETENTION_DAYS is {days}: the audit trail must be kept at least "
                f"six months ({MINIMUM_RETENTION_DAYS} days).",
                id="audit.E001",
            )
        ]
    return []


def register() -> None:
    checks.register(check_retention, checks.Tags.compatibility)
