"""`make demo`: the demo client has a recorded final refusal, so the whole portal shows."""

from __future__ import annotations

import pytest

from creditscore.demo.decisions import demo_client_decision_ensure
from scoring.models import CreditDecision, Decision, Score
from tests.dashboard.scored import portfolio_clients  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_portfolio(portfolio_clients, score_now, advisor):  # noqa: F811
    """The advisor's synthetic clients, scored; at least one refused by the model."""
    scores = [
        score_now(application, requested_by=advisor, channel=Score.Channel.DASHBOARD)
        for application in portfolio_clients
    ]
    assert any(score.decision == Decision.REFUSED for score in scores)
    return portfolio_clients


def test_the_demo_client_gets_a_refusal_following_the_model_and_a_rerun_adds_none(
    scored_portfolio, client_user, advisor
):
    granted = next(
        application
        for application in scored_portfolio
        if Score.objects.get(application=application, is_current=True).decision == Decision.GRANTED
    )
    granted.portal_user = client_user
    granted.save(update_fields=["portal_user"])

    record = demo_client_decision_ensure(client=client_user, advisor=advisor)
    again = demo_client_decision_ensure(client=client_user, advisor=advisor)

    assert record == again
    decision = CreditDecision.objects.get()
    assert decision.application_id == record and decision.application.portal_user == client_user
    assert decision.outcome == Decision.REFUSED and not decision.is_override
    assert decision.decided_by == advisor
    granted.refresh_from_db()
    assert granted.portal_user is None  # the link moved to a refused record


def test_a_record_with_history_keeps_its_link_and_the_refusal_overrides(
    scored_portfolio, client_user, advisor
):
    from scoring.reviews import review_request_create

    granted = next(
        application
        for application in scored_portfolio
        if Score.objects.get(application=application, is_current=True).decision == Decision.GRANTED
    )
    granted.portal_user = client_user
    granted.save(update_fields=["portal_user"])
    review_request_create(
        application=granted, requested_by=client_user, message="Please review my file."
    )

    assert demo_client_decision_ensure(client=client_user, advisor=advisor) == granted.pk
    decision = CreditDecision.objects.get()
    assert decision.is_override and decision.justification


def test_no_record_no_decision(client_user, advisor):
    assert demo_client_decision_ensure(client=client_user, advisor=advisor) is None
    assert not CreditDecision.objects.exists()
