"""Writing the audit trail: every app records its events through `audit_event_record`.

Appending is serialised: one transaction takes a PostgreSQL advisory lock,
reads the hash of the last event, and inserts the new event chained to it
(audit/chain.py). Without the lock, two writers would both read the same last
hash and fork the chain (the unique constraint on `prev_hash` would then
refuse the second: an error, never a silent fork).

Transactions. An event is part of the transaction it is recorded in: called
inside a service's `@transaction.atomic`, it commits with the decision or the
update it records and disappears if that rolls back, so the trail never says
something happened that did not, nor misses something that did. (Writing it
after commit with `transaction.on_commit` could lose it if the process died
in between; writing it on a connection of its own would keep it when the
action rolled back.) The cost: the advisory lock is held until that outer
transaction commits, so record the event as the *last* step of a service
(benchmarks/audit_bench.py measures what an outer transaction costs the other
writers) and take no other lock after it, which could deadlock with a writer
waiting for the audit lock while holding that other lock.

A refused attempt (a failed login, a 403) has no transaction of its own to
share: record it outside the one that refused (the login failure signal, the
middleware after the view returned), so that the refusal's rollback does not
take the event with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AnyUser
from accounts.network import client_address as request_client_address
from accounts.roles import Role
from audit.chain import GENESIS, HASHED_FIELDS, chain_hash, jsonable
from audit.context import current_request
from audit.models import Action, AuditCheckpoint, AuditEvent, Channel

# The key of the advisory lock that serialises appends (any constant unique to
# this use among the application's advisory locks: "AUDIT" in ASCII).
APPEND_LOCK = 0x4155444954
_INSERTED = tuple(name for name in HASHED_FIELDS if name != "detail") + ("detail",)
_INSERT = (
    f"INSERT INTO audit_auditevent ({', '.join(_INSERTED)}, prev_hash, hash)"
    f" VALUES ({', '.join(['%s'] * (len(_INSERTED) - 1))}, %s::jsonb, %s, %s)"
)
_LOCK_AND_READ_LAST = (
    f"SELECT pg_advisory_xact_lock({APPEND_LOCK});"
    " SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id')),"
    " (SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1)"
)

# URL namespaces (each interface's app_name) -> channel; other pages are the shared
# account pages (login, logout, password).
_NAMESPACE_CHANNELS = {
    "dashboard": Channel.DASHBOARD,
    "portal": Channel.PORTAL,
    "monitoring": Channel.MONITORING,
    "admin": Channel.ADMIN,
    "api": Channel.API,
}
_MAX_USERNAME = 150


def audit_event_record(
    *,
    action: Action,
    actor: AnyUser | None = None,
    actor_username: str = "",
    application_id: int | None = None,
    model_version: str = "",
    detail: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    channel: Channel | None = None,
    client_address: str | None = None,
) -> AuditEvent:
    """Append an event to the audit trail: `actor` did `action`.

    - `actor`: the user who acted; None (or an anonymous user) for the system
      or an unknown person. Their id, username and role are copied as text.
    - `actor_username`: the name when there is no user to point to (the name a
      failed login tried); ignored when `actor` is a signed-in user.
    - `application_id` (SK_ID_CURR), `model_version`: which client, which model.
    - `detail`: what else matters (fields changed with before/after, view,
      reason...): JSON, made JSON-safe here (dates and UUIDs become text).
    - From where: `request` (by default, the one being served, see
      audit/context.py) gives the client address (`accounts.network`, as far as
      the trusted proxies vouch for it) and the channel (the URL's interface);
      `channel` and `client_address` override them. Without a request the
      channel is SYSTEM: commands and workers say COMMAND or WORKER.

    The time is set here, under the append lock, so the chain's order is also
    time order. See the module docstring for the transaction this joins.
    """
    request = request if request is not None else current_request()
    if client_address is None:
        client_address = request_client_address(request) if request is not None else ""
    if channel is None:
        channel = _channel_of(request)
    actor_id, username, role = _who(actor, actor_username)
    fields: dict[str, Any] = {
        "actor_id": actor_id,
        "actor_username": username,
        "actor_role": role,
        "action": str(action),
        "application_id": int(application_id) if application_id is not None else None,
        "model_version": str(model_version or ""),
        "channel": str(channel),
        "client_address": client_address or "",
        "detail": jsonable(dict(detail or {})),
    }
    detail_json = json.dumps(fields["detail"], ensure_ascii=False)
    # savepoint=False: inside a caller's transaction there is nothing to undo on
    # our own (an error here fails the caller's transaction, as it should), and
    # a savepoint would cost two more round trips while the lock is held.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Two statements in one round trip (the lock is held for the fewest of them):
        # the second runs after the lock is granted, with a snapshot of its own, so it
        # sees the last event committed by the writer that held the lock before us.
        cursor.execute(_LOCK_AND_READ_LAST)
        while cursor.nextset():  # to the last result (pgtrigger.ignore may prepend one)
            pass
        event_id, last_hash = cursor.fetchone()
        fields["id"] = event_id
        fields["created_at"] = timezone.now()
        prev_hash = last_hash or chain_start()
        digest = chain_hash(prev_hash, fields)
        # A plain INSERT rather than the ORM's save(): less work while the lock is held.
        values = [fields[name] for name in _INSERTED[:-1]]
        cursor.execute(_INSERT, [*values, detail_json, prev_hash, digest])
    event = AuditEvent(**fields, prev_hash=prev_hash, hash=digest)
    event._state.adding, event._state.db = False, connection.alias
    return event


def chain_start() -> str:
    """The hash the first event of the table chains from: the last checkpoint's, or GENESIS."""
    checkpoint = AuditCheckpoint.objects.order_by("-id").values_list("last_hash", flat=True)
    return checkpoint.first() or GENESIS


def _who(actor: AnyUser | None, actor_username: str) -> tuple[int | None, str, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username(), _roles_of(actor)
    if actor_username:
        return None, actor_username[:_MAX_USERNAME], ""
    if actor is not None:  # an anonymous visitor
        return None, "anonymous", ""
    return None, "system", ""


def _roles_of(user: AnyUser) -> str:
    """The user's roles (accounts.roles), comma-separated; kept on the user for the request."""
    cached = getattr(user, "audit_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        roles = [role.value for role in Role if role.value in names]
        if user.is_superuser:
            roles.append("superuser")
        cached = ",".join(roles)
        # A cache for the rest of the request, on the object itself: no field of the model.
        user.audit_roles = cached  # type: ignore[union-attr]
    return cached


def _channel_of(request: HttpRequest | None) -> Channel:
    if request is None:
        return Channel.SYSTEM
    match = getattr(request, "resolver_match", None)
    namespaces = match.namespaces if match is not None else []
    return _NAMESPACE_CHANNELS.get(namespaces[0], Channel.WEB) if namespaces else Channel.WEB
