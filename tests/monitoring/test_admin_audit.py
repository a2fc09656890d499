"""The audit trail in the admin: risk staff read and filter it; nobody adds, changes or deletes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_record

LIST = reverse("admin:audit_auditevent_changelist")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def events(advisor, colleague):
    audit_event_record(action=AuditEvent.Action.SCORE_VIEWED, actor=advisor, application_id=100001)
    audit_event_record(
        action=AuditEvent.Action.SCORE_VIEWED, actor=colleague, application_id=100002
    )
    audit_event_record(
        action=AuditEvent.Action.DECISION_RECORDED, actor=advisor, application_id=100002
    )
    return AuditEvent.objects.all()


def listed(response) -> list[AuditEvent]:
    return list(response.context["cl"].result_list)


def test_risk_staff_read_the_trail_from_the_admin_index(risk_staff, events):
    client = signed_in(risk_staff)

    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert LIST in index.content.decode()
    assert response.status_code == 200
    assert len(listed(response)) == events.count()
    detail = client.get(reverse("admin:audit_auditevent_change", args=[events.first().pk]))
    assert detail.status_code == 200


def test_the_trail_filters_by_who_action_client_and_day(risk_staff, events, advisor):
    client = signed_in(risk_staff)
    # The admin filters by the local day (TIME_ZONE), not by UTC's.
    day = timezone.localdate(events.first().created_at).isoformat()

    by_who = listed(client.get(LIST, {"who": advisor.username}))
    by_action = listed(client.get(LIST, {"action__exact": "decision.recorded"}))
    by_client = listed(client.get(LIST, {"client": "100002"}))
    both = listed(client.get(LIST, {"client": "100002", "who": advisor.username}))
    by_day = listed(client.get(LIST, {"created_at__date": day}))
    nonsense = listed(client.get(LIST, {"client": "not a number"}))

    assert {e.actor_username for e in by_who} == {advisor.username} and len(by_who) == 2
    assert [e.action for e in by_action] == ["decision.recorded"]
    assert {e.application_id for e in by_client} == {100002} and len(by_client) == 2
    assert [e.action for e in both] == ["decision.recorded"]
    assert len(by_day) == events.count()
    assert nonsense == []


def test_the_trail_cannot_be_added_to_changed_or_deleted_from_the_admin(risk_staff, events):
    client = signed_in(risk_staff)
    event = events.first()

    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"actor_username": "someone"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.actor_username != "someone"


@pytest.mark.parametrize("role", ["advisor", "supervisor", "client_user", "integration"])
def test_no_other_role_reads_the_trail(request, role, events):
    user = request.getfixturevalue(role)

    response = signed_in(user).get(LIST)

    # Not staff: the admin's login page; staff without the permission: refused.
    assert response.status_code in (302, 403)
    assert "cl" not in (response.context or {})


def test_the_role_filter_finds_a_role_among_several(risk_staff, events, advisor):
    client = signed_in(risk_staff)

    advisors = listed(client.get(LIST, {"role": "advisor"}))
    nobody = listed(client.get(LIST, {"role": "none"}))

    assert {e.actor_username for e in advisors} == {"advisor-alice", "advisor-bob"}
    assert nobody == []
