"""The kinds of event whose feature is still to come: the service records each, chained.

Their developers call `audit_event_record` with these kinds where the feature
happens (listed in the audit developer's report); this pins what the trail
accepts and keeps for each, so the call is a one-liner when the feature lands.
"""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from audit.services import audit_event_record
from audit.verify import audit_chain_verify

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action

# kind -> what its detail is expected to carry (an example: the feature decides).
# Empty: every kind has its caller now; a kind added before its feature starts here.
TO_COME: dict[str, dict[str, object]] = {}


@pytest.mark.parametrize("action", TO_COME, ids=str)
def test_the_service_records_a_kind_still_to_come(action, advisor):
    before = audit_event_record(action=Action.SCORE_VIEWED)

    event = audit_event_record(
        action=action, actor=advisor, application_id=100002, model_version="v2",
        detail=TO_COME[action],
    )  # fmt: skip

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == action and stored.get_action_display() == action.label
    assert (stored.actor_id, stored.application_id, stored.model_version) == (
        advisor.pk, 100002, "v2",
    )  # fmt: skip
    assert stored.detail == TO_COME[action]
    assert stored.prev_hash == before.hash and audit_chain_verify().ok
