"""manage.py audit_verify: 0 on an intact trail; else non-zero, naming the first broken event."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from audit.services import audit_event_record
from tests.audit.tampering import with_triggers_disabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(advisor) -> list[AuditEvent]:
    return [
        audit_event_record(
            action=AuditEvent.Action.SCORE_VIEWED, actor=advisor, application_id=100002 + n,
            detail={"n": n, "reason": "x"},
        )
        for n in range(6)
    ]  # fmt: skip


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def test_an_intact_trail_passes_and_its_head_is_printed(trail):
    output = verify()

    assert f"Audit trail intact: 6 events, #{trail[0].pk} to #{trail[-1].pk}" in output
    assert f"Head: {trail[-1].pk}:{trail[-1].hash}" in output


def test_an_empty_trail_passes(db):
    assert "no event" in verify()


def test_an_event_edited_with_triggers_disabled_is_named(trail):
    edited = trail[2]
    with_triggers_disabled(
        'UPDATE audit_auditevent SET detail = \'{"n": 2, "reason": "y"}\' WHERE id = %s',
        [edited.pk],
    )

    with pytest.raises(CommandError, match=rf"BROKEN at event #{edited.pk}: .* was altered"):
        verify()


def test_an_edit_of_any_hashed_field_is_caught(trail):
    with_triggers_disabled(
        "UPDATE audit_auditevent SET created_at = created_at - interval '1 day' WHERE id = %s",
        [trail[4].pk],
    )
    with pytest.raises(CommandError, match=rf"event #{trail[4].pk}"):
        verify()


def test_an_edit_whose_author_recomputed_the_hash_is_caught_at_the_next_event(trail):
    from audit.chain import chain_hash

    edited = AuditEvent.objects.get(pk=trail[1].pk)
    edited.actor_username = "someone-else"
    with_triggers_disabled(
        "UPDATE audit_auditevent SET actor_username = %s, hash = %s WHERE id = %s",
        ["someone-else", chain_hash(edited.prev_hash, edited.__dict__), edited.pk],
    )

    with pytest.raises(
        CommandError,
        match=rf"event #{trail[2].pk} does not follow the event before it, #{trail[1].pk}",
    ):
        verify()


def test_a_deleted_event_is_named_by_the_one_after_the_gap(trail):
    with_triggers_disabled("DELETE FROM audit_auditevent WHERE id = %s", [trail[3].pk])

    with pytest.raises(
        CommandError,
        match=rf"BROKEN at event #{trail[4].pk}: event #{trail[4].pk} does not follow the "
        rf"event before it, #{trail[2].pk}: an event between them was deleted",
    ):
        verify()


def test_deleting_the_first_events_is_caught(trail):
    with_triggers_disabled("DELETE FROM audit_auditevent WHERE id <= %s", [trail[1].pk])

    with pytest.raises(CommandError, match=rf"event #{trail[2].pk} does not follow the start"):
        verify()


def test_an_event_forged_at_the_end_is_caught(trail):
    with_triggers_disabled(
        "INSERT INTO audit_auditevent (id, actor_username, actor_role, action, model_version,"
        " channel, client_address, detail, created_at, prev_hash, hash)"
        " SELECT id + 1, 'forger', '', action, '', '', '', '{}', created_at, %s, %s"
        " FROM audit_auditevent WHERE id = %s",
        ["e" * 64, "e" * 64, trail[5].pk],
    )
    with pytest.raises(CommandError, match=rf"event #{trail[5].pk + 1}"):
        verify()


def test_cutting_the_end_of_the_trail_is_caught_with_an_anchor(trail):
    anchor = f"{trail[-1].pk}:{trail[-1].hash}"
    assert "intact" in verify("--anchor", anchor)

    with_triggers_disabled("DELETE FROM audit_auditevent WHERE id >= %s", [trail[4].pk])

    assert "intact" in verify()  # a chain alone cannot see its end cut
    with pytest.raises(CommandError, match=rf"event #{trail[-1].pk} of the anchor is missing"):
        verify("--anchor", anchor)


def test_a_malformed_anchor_is_refused(trail):
    with pytest.raises(CommandError, match="an anchor is ID:HASH"):
        verify("--anchor", "12:nothex")
