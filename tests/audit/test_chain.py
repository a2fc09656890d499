"""The canonical form of an event: what it hashes is what PostgreSQL gives back."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pytest

from audit.chain import GENESIS, canonical_content, chain_hash, jsonable, timestamp_text
from audit.models import AuditEvent
from audit.services import audit_event_record

AWKWARD_DETAIL = {
    "big float": 1e16,
    "huge float": 1.5e300,
    "tiny float": 1e-7,
    "negative zero": -0.0,
    "not a number": float("nan"),
    "infinity": float("-inf"),
    "one point zero": 1.0,
    "third": 1 / 3,
    "sum": 0.1 + 0.2,
    "big int": 2**70,
    "numpy": [np.float64(2.5), np.int64(7), np.float32(0.1)],
    "decimal": Decimal("12.30"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "date": date(2026, 12, 5),
    "set": {3, 1, 2},
    "nul": "a\x00b",
    "accents": "Prêt à dépenser — €",
    "nested": {"b": [None, True, {"z": 1, "a": 2}], 7: "int key"},
}


def test_an_awkward_detail_comes_back_from_postgres_exactly_as_it_was_hashed(db):
    event = audit_event_record(action=AuditEvent.Action.SCORE_VIEWED, detail=AWKWARD_DETAIL)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.detail == event.detail
    assert chain_hash(stored.prev_hash, stored.__dict__) == stored.hash == event.hash


def test_jsonable_changes_what_jsonb_would_change_and_nothing_else():
    safe = jsonable(AWKWARD_DETAIL)

    assert safe["big float"] == 10**16 and isinstance(safe["big float"], int)
    assert safe["negative zero"] == 0.0 and math.copysign(1, safe["negative zero"]) == 1
    assert safe["not a number"] == "nan" and safe["infinity"] == "-inf"
    assert safe["one point zero"] == 1.0 and isinstance(safe["one point zero"], float)
    assert safe["tiny float"] == 1e-7 and safe["sum"] == 0.1 + 0.2
    assert safe["numpy"] == [2.5, 7, float(np.float32(0.1))]
    assert safe["decimal"] == "12.30" and safe["date"] == "2026-12-05"
    assert safe["set"] == [1, 2, 3]
    assert safe["nul"] == "a\ufffdb"
    assert safe["nested"] == {"b": [None, True, {"z": 1, "a": 2}], "7": "int key"}


def test_the_time_is_hashed_in_utc_with_microseconds_whatever_its_zone():
    paris = timezone(timedelta(hours=1))
    moment = datetime(2026, 12, 5, 13, 28, 0, 5, tzinfo=paris)

    assert timestamp_text(moment) == "2026-12-05T12:28:00.000005Z"
    assert timestamp_text(moment.astimezone(UTC)) == timestamp_text(moment)
    with pytest.raises(ValueError):
        timestamp_text(moment.replace(tzinfo=None))


def test_the_canonical_form_is_sorted_and_compact_and_the_hash_depends_on_each_field():
    fields = {
        "id": 1, "created_at": datetime(2026, 1, 1, tzinfo=UTC), "actor_id": 3,
        "actor_username": "alice", "actor_role": "advisor", "action": "score.viewed",
        "application_id": 100002, "model_version": "v1", "channel": "dashboard",
        "client_address": "10.0.0.1", "detail": {"b": 1, "a": "é"},
    }  # fmt: skip

    text = canonical_content(fields)
    assert text.startswith('{"action":"score.viewed","actor_id":3,')
    assert '"detail":{"a":"é","b":1}' in text
    assert '"created_at":"2026-01-01T00:00:00.000000Z"' in text
    digest = chain_hash(GENESIS, fields)
    assert len(digest) == 64
    for name, other in [("id", 2), ("actor_username", "bob"), ("detail", {"b": 2, "a": "é"})]:
        assert chain_hash(GENESIS, {**fields, name: other}) != digest
    assert chain_hash("f" * 64, fields) != digest
