"""manage.py audit_prune: old events leave only through it, sealed by a checkpoint.

The chain of the events kept continues from that checkpoint.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditCheckpoint, AuditEvent
from audit.retention import RetentionRefused, audit_events_prune
from audit.services import audit_event_record
from audit.verify import audit_chain_verify
from tests.audit.tampering import with_triggers_disabled

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@contextmanager
def recorded_days_ago(days: int):
    """Events recorded inside are dated `days` ago (the service reads the clock itself)."""
    then = timezone.now() - timedelta(days=days)
    with mock.patch("audit.services.timezone.now", return_value=then):
        yield


@pytest.fixture
def trail(db) -> dict[str, list[AuditEvent]]:
    """Three events of eleven years ago, two of last year, one of today."""
    with recorded_days_ago(11 * 365):
        old = [audit_event_record(action=Action.SCORE_VIEWED, detail={"n": n}) for n in range(3)]
    with recorded_days_ago(365):
        recent = [audit_event_record(action=Action.SCORE_VIEWED, detail={"n": n}) for n in (3, 4)]
    today = [audit_event_record(action=Action.SCORE_VIEWED, detail={"n": 5})]
    return {"old": old, "kept": recent + today}


def prune(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_prune", *args, stdout=out)
    return out.getvalue()


def test_events_older_than_the_period_are_removed_and_sealed(trail):
    old, kept = trail["old"], trail["kept"]

    output = prune()

    assert "Removed 3 audit events older than" in output
    assert f"#{old[0].pk} to #{old[-1].pk}" in output
    remaining = list(AuditEvent.objects.order_by("id"))
    assert [event.pk for event in remaining[:-1]] == [event.pk for event in kept]
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.first_id, checkpoint.last_id, checkpoint.removed) == (
        old[0].pk, old[-1].pk, 3,
    )  # fmt: skip
    assert checkpoint.last_hash == old[-1].hash == kept[0].prev_hash
    assert checkpoint.retention_days == 3653
    # The run is itself an event, chained after the others, saying what it removed.
    sealed = remaining[-1]
    assert sealed.action == Action.AUDIT_RETENTION_APPLIED
    assert sealed.channel == AuditEvent.Channel.COMMAND
    assert sealed.detail["checkpoint"] == checkpoint.pk
    assert sealed.detail["last_hash"] == checkpoint.last_hash
    assert sealed.detail["command"] == "audit_prune"
    # ...and the rest of the chain verifies from the checkpoint.
    assert f"chained from checkpoint #{checkpoint.pk}" in _verify()


def test_a_second_run_has_nothing_to_remove(trail):
    prune()
    assert "nothing to remove" in prune()
    assert AuditCheckpoint.objects.count() == 1


def test_a_dry_run_says_what_it_would_remove_and_removes_nothing(trail):
    output = prune("--dry-run")

    assert "Would remove 3 audit events" in output
    assert AuditEvent.objects.count() == 6 and not AuditCheckpoint.objects.exists()


def test_the_period_is_a_setting(trail, settings):
    settings.AUDIT_RETENTION_DAYS = 200
    prune()
    assert AuditEvent.objects.count() == 1 + 1  # today's event and the retention event


def test_a_period_under_six_months_is_refused(trail):
    with pytest.raises(RetentionRefused, match="under the six months"):
        audit_events_prune(retention_days=183)
    assert AuditEvent.objects.count() == 6


def test_the_system_check_refuses_a_period_under_six_months(settings):
    from audit.checks import check_retention

    settings.AUDIT_RETENTION_DAYS = 30
    (error,) = check_retention()
    assert error.id == "audit.E001"
    settings.AUDIT_RETENTION_DAYS = 184
    assert check_retention() == []


def test_a_broken_chain_is_never_sealed(trail):
    with_triggers_disabled(
        "UPDATE audit_auditevent SET detail = '{\"n\": 9}' WHERE id = %s", [trail["old"][1].pk]
    )

    with pytest.raises(CommandError, match=rf"Nothing removed: .*event #{trail['old'][1].pk}"):
        prune()
    assert AuditEvent.objects.count() == 6 and not AuditCheckpoint.objects.exists()


def test_a_checkpoint_altered_afterwards_is_caught(trail):
    prune()
    checkpoint = AuditCheckpoint.objects.get()
    with_triggers_disabled(
        "UPDATE audit_auditcheckpoint SET removed = 1 WHERE id = %s",
        [checkpoint.pk],
        table="audit_auditcheckpoint",
    )

    report = audit_chain_verify()
    assert not report.ok and f"checkpoint #{checkpoint.pk} does not match" in report.problem


def test_removing_old_events_outside_the_command_is_caught(trail):
    with_triggers_disabled("DELETE FROM audit_auditevent WHERE id = %s", [trail["old"][0].pk])

    report = audit_chain_verify()
    assert report.broken_id == trail["old"][1].pk


def _verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()
