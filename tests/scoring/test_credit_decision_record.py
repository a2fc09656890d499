"""credit_decision_record and review requests: the advisor's final word."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from clients.models import Application
from scoring.decisions import credit_decision_record, open_reviews_for
from scoring.models import ReviewRequest
from scoring.reviews import ReviewAlreadyOpen, review_request_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(active_model_version, imported_clients, score_now):
    application = Application.objects.get(pk=imported_clients[0])
    return application, score_now(application)


def other(decision: str) -> str:
    return "granted" if decision == "refused" else "refused"


def test_following_the_model_needs_no_justification(scored, advisor):
    application, score = scored

    decision = credit_decision_record(
        application=application, decided_by=advisor, outcome=score.decision
    )

    assert not decision.is_override
    assert decision.model_decision == score.decision
    assert decision.score == score


def test_overriding_the_model_without_justification_is_refused(scored, advisor):
    application, score = scored

    with pytest.raises(ValidationError) as error:
        credit_decision_record(
            application=application, decided_by=advisor, outcome=other(score.decision)
        )

    assert "justification" in error.value.message_dict
    assert not application.credit_decisions.exists()


def test_overriding_the_model_with_a_justification_is_recorded_and_audited(scored, advisor):
    application, score = scored

    decision = credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome=other(score.decision),
        justification="Permanent contract signed last week, payslips checked.",
    )

    assert decision.is_override
    event = AuditEvent.objects.get(action=AuditEvent.Action.DECISION_RECORDED)
    assert event.actor_id == advisor.pk
    assert event.detail["override"] is True


def test_an_unknown_outcome_is_refused(scored, advisor):
    application, _ = scored
    with pytest.raises(ValidationError):
        credit_decision_record(application=application, decided_by=advisor, outcome="maybe")


def test_a_decision_leaves_the_review_open_until_the_advisor_answers_it(
    scored, advisor, client_user
):
    application, score = scored
    review = review_request_create(
        application=application, requested_by=client_user, message="Please look again."
    )

    credit_decision_record(application=application, decided_by=advisor, outcome=score.decision)

    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.RECEIVED
    event = AuditEvent.objects.get(action=AuditEvent.Action.DECISION_RECORDED)
    assert event.detail["open_review"] == review.pk


def test_a_client_has_one_open_review_at_a_time(application, client_user):
    review_request_create(
        application=application, requested_by=client_user, message="Please look again."
    )
    with pytest.raises(ReviewAlreadyOpen):
        review_request_create(
            application=application, requested_by=client_user, message="And once more, please."
        )
    assert ReviewRequest.objects.count() == 1


def test_the_review_queue_holds_only_the_advisors_own_clients(
    application, advisor, colleague, client_user, supervisor
):
    review_request_create(
        application=application, requested_by=client_user, message="Please look again."
    )

    assert list(open_reviews_for(advisor).values_list("application", flat=True)) == [application.pk]
    assert not open_reviews_for(colleague).exists()
    assert open_reviews_for(supervisor).count() == 1
