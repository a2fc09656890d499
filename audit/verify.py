"""Walking the audit trail's hash chain: is every event still what was recorded?

Each event must (1) follow the event before it (`prev_hash` equal to that
event's `hash`; the first kept event follows the last retention checkpoint, or
GENESIS), and (2) still hash to its `hash` from its own content. The first
event failing either is named:

- an event edited behind the application's back fails (2) itself;
- an event deleted makes the next one fail (1);
- an edit whose author also recomputed that event's hash makes the next one fail (1).

What a chain alone cannot show: events cut from the *end* (nothing follows
them). `audit_verify` prints the head (last id and hash) so that it can be
kept elsewhere (a log, a ticket) and checked later with `--anchor ID:HASH`.
The latest checkpoint is itself checked against the `audit.retention_applied`
event the retention run appended to the chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection, transaction

from audit.chain import GENESIS, HASHED_FIELDS, chain_hash
from audit.models import Action, AuditCheckpoint, AuditEvent

# Held shared by a verification and exclusively by a retention run, so that a
# verification never sees the events a concurrent pruning is removing. Appends
# do not take it: verifying never slows the trail down.
PRUNE_LOCK = 0x4155444950  # "AUDIP"

_BATCH = 5000


@dataclass(frozen=True)
class ChainReport:
    checked: int  # events whose link and hash were checked
    first_id: int | None
    last_id: int | None
    head_hash: str  # hash of the last event checked (or the start, if none)
    start: str  # what the first event chains from, in words
    broken_id: int | None = None  # the first event that fails, if any
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Anchor:
    """An event's id and hash noted down earlier (from a previous `audit_verify`)."""

    event_id: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        event_id, _, digest = text.partition(":")
        if not event_id.strip().isdigit() or len(digest.strip()) != 64:
            raise ValueError(f"an anchor is ID:HASH (64 hex digits), not {text!r}")
        return cls(int(event_id), digest.strip().lower())


def audit_chain_verify(
    *, upto_id: int | None = None, anchors: Iterable[Anchor] = ()
) -> ChainReport:
    """Walk the chain in id order (up to and including `upto_id`) and report the first break."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PRUNE_LOCK])
        checkpoint = AuditCheckpoint.objects.order_by("-id").first()
        report = _walk(checkpoint=checkpoint, upto_id=upto_id)
        if report.ok and upto_id is None:
            report = _check_checkpoint(report, checkpoint) or report
            report = _check_anchors(report, checkpoint, list(anchors)) or report
        return report


def _walk(*, checkpoint: AuditCheckpoint | None, upto_id: int | None) -> ChainReport:
    if checkpoint is None:
        start, expected = "the start of the trail", GENESIS
    else:
        start = (
            f"checkpoint #{checkpoint.pk} (events up to #{checkpoint.last_id} "
            f"removed on {checkpoint.created_at:%Y-%m-%d})"
        )
        expected = checkpoint.last_hash
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    end = last if upto_id is None or last is None else min(upto_id, last)
    checked, first_id, previous_id, after = 0, None, None, 0
    while end is not None and after < end:
        rows = list(
            AuditEvent.objects.filter(id__gt=after, id__lte=end)
            .order_by("id")
            .values(*HASHED_FIELDS, "prev_hash", "hash")[:_BATCH]
        )
        if not rows:
            break
        for row in rows:
            event_id = row["id"]
            if first_id is None:
                first_id = event_id
                if checkpoint is not None and event_id <= checkpoint.last_id:
                    return _broken(
                        checked, first_id, previous_id, expected, start, event_id,
                        f"event #{event_id} is older than {start}, which says it was removed",
                    )  # fmt: skip
            if row["prev_hash"] != expected:
                where = f"the event before it, #{previous_id}" if previous_id is not None else start
                return _broken(
                    checked, first_id, previous_id, expected, start, event_id,
                    f"event #{event_id} does not follow {where}: an event between them "
                    "was deleted, or one of the two was edited",
                )  # fmt: skip
            if chain_hash(row["prev_hash"], row) != row["hash"]:
                return _broken(
                    checked, first_id, previous_id, expected, start, event_id,
                    f"event #{event_id} was altered: its content no longer matches its hash",
                )  # fmt: skip
            expected, previous_id = row["hash"], event_id
            checked += 1
        after = rows[-1]["id"]
    return ChainReport(
        checked=checked, first_id=first_id, last_id=previous_id, head_hash=expected, start=start
    )


def _broken(checked, first_id, last_id, head, start, event_id, problem) -> ChainReport:
    return ChainReport(
        checked=checked,
        first_id=first_id,
        last_id=last_id,
        head_hash=head,
        start=start,
        broken_id=event_id,
        problem=problem,
    )


def _check_checkpoint(
    report: ChainReport, checkpoint: AuditCheckpoint | None
) -> ChainReport | None:
    """The latest checkpoint must be the one its retention event recorded in the chain."""
    if checkpoint is None:
        return None
    sealed = AuditEvent.objects.filter(
        action=Action.AUDIT_RETENTION_APPLIED, detail__checkpoint=checkpoint.pk
    ).first()
    recorded = sealed.detail if sealed else {}
    expected = {
        "last_id": checkpoint.last_id,
        "last_hash": checkpoint.last_hash,
        "removed": checkpoint.removed,
    }
    if {key: recorded.get(key) for key in expected} != expected:
        return _replace(
            report,
            broken_id=None,
            problem=(
                f"checkpoint #{checkpoint.pk} does not match the retention event that "
                "recorded it: it was altered, or written outside the retention command"
            ),
        )
    return None


def _check_anchors(
    report: ChainReport, checkpoint: AuditCheckpoint | None, anchors: list[Anchor]
) -> ChainReport | None:
    """Each anchor's event must still be there with the same hash (unless pruned since)."""
    for anchor in anchors:
        if checkpoint is not None and anchor.event_id <= checkpoint.last_id:
            continue  # removed by the retention command since: sealed by the checkpoint
        stored = (
            AuditEvent.objects.filter(id=anchor.event_id).values_list("hash", flat=True).first()
        )
        if stored is None:
            return _replace(
                report,
                broken_id=anchor.event_id,
                problem=(
                    f"event #{anchor.event_id} of the anchor is missing: the trail was cut "
                    "after it" if (report.last_id or 0) < anchor.event_id else
                    f"event #{anchor.event_id} of the anchor is missing"
                ),
            )  # fmt: skip
        if stored != anchor.hash:
            return _replace(
                report,
                broken_id=anchor.event_id,
                problem=(
                    f"event #{anchor.event_id} no longer has the anchor's hash: "
                    "the chain was rewritten up to it"
                ),
            )
    return None


def _replace(report: ChainReport, **changes) -> ChainReport:
    return replace(report, **changes)
