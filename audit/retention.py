"""Retention: events older than AUDIT_RETENTION_DAYS are removed, and what was removed is sealed.

The only deletion the audit trail allows. In one transaction, holding both
the append lock (no event is chained meanwhile) and the prune lock (no
verification walks meanwhile):

1. the events to remove are the oldest ones, a prefix of the chain in id order,
   all recorded before the cutoff (now minus the retention period);
2. the chain is verified up to the first event kept: a broken trail is never
   sealed (that would launder the tampering) and the command stops;
3. they are deleted under `pgtrigger.ignore` (the append-only trigger lets this
   transaction, and only it, through);
4. an `AuditCheckpoint` records the last removed event's id and hash, how many
   were removed, the cutoff and the period: the first kept event chains from it;
5. an `audit.retention_applied` event is appended with the same figures, so the
   checkpoint itself is covered by the chain (audit_verify checks they agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pgtrigger
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from audit.checks import MINIMUM_RETENTION_DAYS
from audit.models import Action, AuditCheckpoint, AuditEvent, Channel
from audit.services import APPEND_LOCK, audit_event_record
from audit.verify import PRUNE_LOCK, audit_chain_verify


class RetentionRefused(Exception):
    """The retention period is too short, or the chain to seal is broken."""


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    removed: int
    first_id: int | None = None
    last_id: int | None = None
    checkpoint: AuditCheckpoint | None = None


@transaction.atomic
def audit_events_prune(
    *, retention_days: int, dry_run: bool = False, detail: dict[str, Any] | None = None
) -> RetentionResult:
    """Remove the events older than `retention_days` and seal them (see the module docstring).

    `detail` is added to the retention event (the command says which login ran it).
    """
    if retention_days < MINIMUM_RETENTION_DAYS:
        raise RetentionRefused(
            f"a retention period of {retention_days} days is under the six months "
            f"({MINIMUM_RETENTION_DAYS} days) the trail must be kept"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PRUNE_LOCK])
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])
    cutoff = timezone.now() - timedelta(days=retention_days)
    # A prefix of the chain: everything before the first event recorded after the cutoff
    # (events are appended in time order; rows older than the chain may not be).
    first_kept = AuditEvent.objects.filter(created_at__gte=cutoff).aggregate(id=Min("id"))["id"]
    doomed = AuditEvent.objects.all()
    if first_kept is not None:
        doomed = doomed.filter(id__lt=first_kept)
    bounds = doomed.aggregate(first=Min("id"), last=Max("id"))
    if bounds["last"] is None:
        return RetentionResult(cutoff=cutoff, removed=0)
    report = audit_chain_verify(upto_id=first_kept if first_kept is not None else bounds["last"])
    if not report.ok:
        raise RetentionRefused(f"the chain is broken, nothing removed: {report.problem}")
    last_hash = AuditEvent.objects.values_list("hash", flat=True).get(id=bounds["last"])
    removed = doomed.count()
    if dry_run:
        return RetentionResult(
            cutoff=cutoff, removed=removed, first_id=bounds["first"], last_id=bounds["last"]
        )
    with pgtrigger.ignore("audit.AuditEvent:append_only"):
        deleted, _ = AuditEvent.objects.filter(id__lte=bounds["last"]).delete()
    checkpoint = AuditCheckpoint.objects.create(
        created_at=timezone.now(),
        first_id=bounds["first"],
        last_id=bounds["last"],
        last_hash=last_hash,
        removed=deleted,
        cutoff=cutoff,
        retention_days=retention_days,
    )
    audit_event_record(
        action=Action.AUDIT_RETENTION_APPLIED,
        channel=Channel.COMMAND,
        detail={
            "checkpoint": checkpoint.pk,
            "first_id": checkpoint.first_id,
            "last_id": checkpoint.last_id,
            "last_hash": checkpoint.last_hash,
            "removed": checkpoint.removed,
            "cutoff": cutoff.isoformat(),
            "retention_days": retention_days,
            **(detail or {}),
        },
    )
    return RetentionResult(
        cutoff=cutoff,
        removed=deleted,
        first_id=bounds["first"],
        last_id=bounds["last"],
        checkpoint=checkpoint,
    )
