"""audit_event_record: who, what, which client, which model, when, from where; one chain."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from accounts.roles import Role
from audit.chain import GENESIS, chain_hash
from audit.context import _current_request
from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_event_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Action, Channel = AuditEvent.Action, AuditEvent.Channel


def test_an_event_keeps_who_as_text_and_numbers_not_as_links(advisor):
    before = timezone.now()
    event = audit_event_record(
        action=Action.SCORE_VIEWED, actor=advisor, application_id=100002, model_version="v7",
        detail={"view": "client_page"},
    )  # fmt: skip

    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_username, event.actor_role) == (
        advisor.pk, "advisor-alice", "advisor",
    )  # fmt: skip
    assert (event.application_id, event.model_version) == (100002, "v7")
    assert event.detail == {"view": "client_page"}
    assert before <= event.created_at <= timezone.now()
    # Outside a request and unless told otherwise, the system's channel, no address.
    assert (event.channel, event.client_address) == (Channel.SYSTEM, "")


def test_deleting_a_user_leaves_their_events_untouched(advisor):
    event = audit_event_record(action=Action.SCORE_VIEWED, actor=advisor)

    advisor.delete()  # would UPDATE the trail if actor were a foreign key with SET_NULL

    event.refresh_from_db()
    assert (event.actor_id, event.actor_username) != (None, "")
    assert event.actor_username == "advisor-alice"


def test_the_system_an_anonymous_visitor_and_a_tried_name_are_told_apart(db):
    system = audit_event_record(action=Action.MODEL_ACTIVATED)
    anonymous = audit_event_record(action=Action.ACCESS_DENIED, actor=AnonymousUser())
    tried = audit_event_record(action=Action.LOGIN_FAILED, actor_username="mallory")

    assert [e.actor_username for e in (system, anonymous, tried)] == [
        "system", "anonymous", "mallory",
    ]  # fmt: skip
    assert {e.actor_id for e in (system, anonymous, tried)} == {None}


def test_a_user_of_several_roles_and_a_superuser_are_recorded_as_such(db):
    both = UserFactory(username="both", role=Role.ADVISOR)
    both.groups.add(Group.objects.get(name=Role.STAFF))
    root = UserFactory(username="root", is_superuser=True)

    assert audit_event_record(action=Action.SCORE_VIEWED, actor=both).actor_role == "advisor,staff"
    assert audit_event_record(action=Action.SCORE_VIEWED, actor=root).actor_role == "superuser"


def test_from_where_comes_from_the_request_behind_the_trusted_proxies(advisor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/clients/100002/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    request.resolver_match = resolve("/clients/100002/")

    event = audit_event_record(action=Action.CLIENT_RECORD_VIEWED, actor=advisor, request=request)

    assert (event.client_address, event.channel) == ("203.0.113.9", Channel.DASHBOARD)


def test_the_request_being_served_is_used_when_none_is_given(advisor):
    request = RequestFactory().get("/api/v1/applications", REMOTE_ADDR="198.51.100.4")
    request.resolver_match = resolve("/api/v1/applications")
    token = _current_request.set(request)
    try:
        event = audit_event_record(action=Action.CLIENT_RECORDS_LISTED, actor=advisor)
    finally:
        _current_request.reset(token)

    assert (event.client_address, event.channel) == ("198.51.100.4", Channel.API)


def test_the_caller_may_name_the_channel_and_the_address(db):
    event = audit_event_record(
        action=Action.LOGIN_LOCKED_OUT, channel=Channel.COMMAND, client_address="192.0.2.1"
    )
    assert (event.channel, event.client_address) == (Channel.COMMAND, "192.0.2.1")


def test_events_are_chained_in_id_and_time_order_from_genesis(db):
    events = [audit_event_record(action=Action.SCORE_VIEWED, detail={"n": n}) for n in range(4)]

    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.pk > before.pk and after.created_at >= before.created_at
    for event in AuditEvent.objects.all():
        assert chain_hash(event.prev_hash, event.__dict__) == event.hash


def test_after_a_retention_run_emptied_the_table_the_chain_starts_from_its_checkpoint(db):
    now = timezone.now()
    AuditCheckpoint.objects.create(
        created_at=now, first_id=1, last_id=9, last_hash="c" * 64, removed=9, cutoff=now,
        retention_days=3653,
    )  # fmt: skip

    assert audit_event_record(action=Action.SCORE_VIEWED).prev_hash == "c" * 64


def test_an_event_is_part_of_the_transaction_it_is_recorded_in(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_event_record(action=Action.DECISION_RECORDED, detail={"n": "rolled back"})
        raise RuntimeError("the decision failed")
    kept = audit_event_record(action=Action.DECISION_RECORDED, detail={"n": "kept"})

    assert list(AuditEvent.objects.values_list("detail", flat=True)) == [{"n": "kept"}]
    # The chain skips what was rolled back: the kept event follows the start.
    assert kept.prev_hash == GENESIS


def test_two_events_may_not_follow_the_same_one(db):
    first = audit_event_record(action=Action.SCORE_VIEWED)
    second = audit_event_record(action=Action.SCORE_VIEWED)
    fork = AuditEvent(
        action=Action.SCORE_VIEWED, created_at=timezone.now(), prev_hash=first.hash, hash="f" * 64
    )

    with pytest.raises(IntegrityError, match="audit_one_chain"), transaction.atomic():
        fork.save()
    assert second.prev_hash == first.hash
