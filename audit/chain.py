"""The hash chain of the audit trail: the canonical form of an event and its hash.

Each event carries `hash = sha256(prev_hash || canonical JSON of its content)`,
where `prev_hash` is the hash of the event before it (the first event chains
from `GENESIS`, or from the checkpoint a retention run left). Editing, deleting
or inserting a row behind the application's back breaks the chain there, and
`manage.py audit_verify` says where.

The canonical form is frozen: every stored hash depends on it, so changing it
would make every existing row fail verification. It is computed in Python
(not by a trigger in SQL) so that the verifier recomputes exactly what the
writer hashed from the values it reads back, with no dependence on how
PostgreSQL prints numbers, JSON or timestamps:

- keys sorted, no whitespace, UTF-8 (`ensure_ascii=False`);
- `created_at` as a UTC ISO string with microseconds (`2026-12-05T12:28:00.123456Z`),
  PostgreSQL's own precision, so the stored value hashes the same after a round trip;
- `detail` made JSON-safe *before* it is stored (`jsonable`), such that storing it in
  a `jsonb` column and reading it back gives the same value: `jsonb` keeps numbers
  as `numeric`, so a float written `1e+16` comes back as the integer
  10000000000000000, `-0.0` comes back as `0.0`, NaN and infinities and the NUL
  character are refused. `jsonable` makes those changes itself, up front.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# The hash the first event of a never-pruned trail chains from.
GENESIS = "0" * 64

# The fields of an event that its hash covers (all of them but the two hashes).
HASHED_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "application_id",
    "model_version",
    "channel",
    "client_address",
    "detail",
)


def jsonable(value: Any) -> Any:
    """`value` as plain JSON whose trip through PostgreSQL's `jsonb` changes nothing.

    Dates, UUIDs, decimals and other objects become their `str()`; numpy
    scalars become Python numbers; floats that `jsonb` would change are
    changed here first (see the module docstring).
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        # jsonb refuses NUL; a lone surrogate cannot be encoded in UTF-8.
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, Mapping):
        return {jsonable(str(key)): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(item) for item in value]
        # A set has no order: sort it so the same set always hashes the same.
        return sorted(items, key=_sort_key) if isinstance(value, set | frozenset) else items
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return str(number)  # "nan", "inf": jsonb has no such numbers
        if number == 0.0:
            return 0.0  # jsonb's numeric has no negative zero
        if number.is_integer() and "e" in repr(number):
            return int(number)  # jsonb prints 1e+16 as 10000000000000000, read back as an int
        return number
    return jsonable(str(value))


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def timestamp_text(moment: datetime) -> str:
    """The one text form of an event's time: UTC, microseconds, a trailing Z."""
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(fields: Mapping[str, Any]) -> str:
    """The canonical JSON of an event's hashed fields (`HASHED_FIELDS`)."""
    content = {name: fields[name] for name in HASHED_FIELDS}
    content["created_at"] = timestamp_text(content["created_at"])
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def chain_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """sha256 of the previous hash followed by the event's canonical content, in hex."""
    return hashlib.sha256((prev_hash + canonical_content(fields)).encode("utf-8")).hexdigest()
