"""The database itself refuses to change or remove audit rows, whoever asks (pgtrigger.Protect)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db) -> AuditEvent:
    return audit_event_record(action=AuditEvent.Action.SCORE_VIEWED, detail={"view": "x"})


def refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_an_sql_update_of_an_event_is_refused(event):
    refused("UPDATE audit_auditevent SET detail = '{}' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.detail == {"view": "x"}


def test_an_sql_delete_of_an_event_is_refused(event):
    refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_orm_cannot_change_or_delete_events_either(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_username="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_username == "system"


def test_checkpoints_are_append_only_too(db):
    now = timezone.now()
    checkpoint = AuditCheckpoint.objects.create(
        created_at=now, first_id=1, last_id=2, last_hash="a" * 64, removed=2, cutoff=now,
        retention_days=3653,
    )  # fmt: skip

    refused("UPDATE audit_auditcheckpoint SET removed = 0 WHERE id = %s", [checkpoint.pk])
    refused("DELETE FROM audit_auditcheckpoint WHERE id = %s", [checkpoint.pk])
