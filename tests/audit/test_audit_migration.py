"""audit.0002 moves the audit trail out of monitoring: every old row, same id, same time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("audit", "0001_initial"), ("monitoring", "0001_initial")]
AFTER = [("audit", "0002_copy_from_monitoring"), ("monitoring", "0002_delete_auditevent")]


@pytest.fixture
def migrator(transactional_db):
    """Puts the trail back in monitoring and, whatever happens, migrates to the latest again."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_the_old_events_are_in_the_audit_app_with_their_ids_and_times(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    User = apps.get_model("accounts", "User")
    OldEvent = apps.get_model("monitoring", "AuditEvent")
    alice = User.objects.create(username="alice")
    long_ago = timezone.now() - timedelta(days=400)
    first = OldEvent.objects.create(
        actor=alice, actor_username="alice", action="score.viewed", application_id=100002,
        model_version="v1", detail={"view": "client_page"},
    )  # fmt: skip
    second = OldEvent.objects.create(
        actor_username="system", action="prediction.made", detail={"channel": "api"}
    )
    # created_at is set on creation: put the first event back in the past.
    OldEvent.objects.filter(pk=first.pk).update(created_at=long_ago)

    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    Event = migrator.loader.project_state(AFTER).apps.get_model("audit", "AuditEvent")
    moved = {event.pk: event for event in Event.objects.all()}
    assert set(moved) == {first.pk, second.pk}
    assert moved[first.pk].created_at == long_ago
    assert moved[first.pk].actor_id == alice.pk
    assert (moved[first.pk].actor_username, moved[first.pk].action) == ("alice", "score.viewed")
    assert moved[first.pk].application_id == 100002
    assert moved[first.pk].detail == {"view": "client_page"}
    assert moved[second.pk].created_at == second.created_at
    assert moved[second.pk].actor_id is None
    # New events are numbered after the ones copied.
    assert Event.objects.create(action="score.viewed").pk > max(first.pk, second.pk)
    assert "monitoring_auditevent" not in connection.introspection.table_names()


def test_the_events_recorded_before_the_chain_are_chained_in_id_order(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    User = apps.get_model("accounts", "User")
    OldEvent = apps.get_model("monitoring", "AuditEvent")
    alice = User.objects.create(username="alice")
    old = [
        OldEvent.objects.create(
            actor=alice, actor_username="alice", action="score.viewed", application_id=100002,
            detail={"n": n, "big": 1e16 if n == 1 else n},
        )
        for n in range(3)
    ]  # fmt: skip

    migrator.loader.build_graph()
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    from audit.chain import GENESIS
    from audit.models import AuditEvent
    from audit.services import audit_event_record
    from audit.verify import audit_chain_verify

    chained = list(AuditEvent.objects.order_by("id"))
    assert [event.pk for event in chained] == [event.pk for event in old]
    assert chained[0].prev_hash == GENESIS
    assert [event.actor_id for event in chained] == [alice.pk] * 3
    # New events follow the migrated ones, and the whole trail verifies.
    audit_event_record(action=AuditEvent.Action.SCORE_VIEWED)
    report = audit_chain_verify()
    assert report.ok, report.problem
    assert report.checked == 4
