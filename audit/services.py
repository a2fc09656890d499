"""Writing the audit trail (every app records its events through here)."""

from __future__ import annotations

from typing import Any

from audit.models import AuditEvent


def audit_event_record(
    *,
    actor,
    action: AuditEvent.Action,
    application_id: int | None = None,
    model_version: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` (actor may be None for the system)."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_username=actor.get_username() if is_person else "system",
        action=action,
        application_id=application_id,
        model_version=model_version,
        detail=detail or {},
    )
