"""Override analytics: rates per advisor and per direction, justifications, default rates.

Each client counts once, with the decision in force; decisions without a model
proposal (no score, manual review) are neither overrides nor followed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

import formatting
from monitoring.overrides_selectors import override_analytics
from scoring.models import CreditDecision
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
PAGE = "/monitoring/overrides/"
WHY = "Stable job for twelve years and a guarantor."


def decide(advisor, *, model: str, outcome: str, target: int | None = 0, justification=""):
    application = ApplicationFactory(advisor=advisor, target=target)
    return CreditDecision.objects.create(
        application=application, outcome=outcome, model_decision=model,
        is_override=bool(model) and model != outcome, justification=justification,
        decided_by=advisor,
    )  # fmt: skip


@pytest.fixture
def decisions(advisor, colleague):
    # Alice: 4 decisions with a proposal, 2 overrides (one each way); Bob: 2, none overridden.
    decide(advisor, model="refused", outcome="granted", target=1, justification=WHY)
    decide(advisor, model="granted", outcome="refused", target=0, justification="Income unproven.")
    decide(advisor, model="granted", outcome="granted", target=0)
    decide(advisor, model="refused", outcome="refused", target=None)
    decide(colleague, model="granted", outcome="granted", target=0)
    decide(colleague, model="granted", outcome="granted", target=1)
    decide(colleague, model="", outcome="granted")  # manual review: no proposal


def period():
    today = timezone.localdate()
    return {"since": today - dt.timedelta(days=30), "until": today}


def test_override_rates_per_advisor_and_direction(decisions):
    analytics = override_analytics(**period())

    assert analytics.decisions == 7 and analytics.without_proposal == 1
    overall = analytics.overall
    assert (overall["decisions"], overall["overrides"]) == (6, 2)
    assert (overall["granted_against"], overall["refused_against"]) == (1, 1)
    alice, bob = analytics.by_advisor
    assert alice["advisor"] == "advisor-alice" and alice["override_rate"] == pytest.approx(0.5)
    assert bob["advisor"] == "advisor-bob" and bob["override_rate"] == 0


def test_default_rates_of_overridden_and_followed_decisions_where_known(decisions):
    outcomes = {row["group"]: row for row in override_analytics(**period()).outcomes}

    assert outcomes["granted_against"]["default_rate"] == 1.0
    assert outcomes["granted_followed"]["with_outcome"] == 3
    assert outcomes["granted_followed"]["default_rate"] == pytest.approx(1 / 3)
    # The refused client without a known outcome counts as a decision, not in the rate.
    assert outcomes["refused_followed"]["decisions"] == 1
    assert outcomes["refused_followed"]["with_outcome"] == 0
    assert outcomes["overridden"]["default_rate"] == pytest.approx(0.5)


def test_a_client_decided_twice_counts_once_as_the_decision_stands(advisor):
    first = decide(advisor, model="refused", outcome="granted", justification=WHY)
    CreditDecision.objects.create(
        application=first.application, outcome="refused", model_decision="refused",
        decided_by=advisor,
    )  # fmt: skip

    analytics = override_analytics(**period())

    assert analytics.decisions == 1 and analytics.overall["overrides"] == 0


def test_risk_staff_read_the_rates_and_the_justifications(decisions, client, risk_staff):
    client.force_login(risk_staff)

    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    for testid in ("overrides-overall", "overrides-by-advisor", "overrides-outcomes"):
        assert f'data-testid="{testid}"' in page
    assert WHY in page and "Income unproven." in page and "advisor-alice" in page


def test_a_period_that_ends_before_it_starts_is_refused(client, risk_staff):
    client.force_login(risk_staff)

    response = client.get(PAGE, {"since": "2026-06-01", "until": "2026-01-01"})

    assert response.status_code == 400
    assert 'data-testid="period-error"' in response.content.decode()


@pytest.mark.parametrize("who", ["advisor", "supervisor", "client_user", "integration"])
def test_no_one_but_risk_staff_reads_the_override_analytics(decisions, client, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == 403


def test_each_justification_says_when_as_every_page_writes_a_moment(advisor, client, risk_staff):
    decision = decide(advisor, model="refused", outcome="granted", justification=WHY)
    client.force_login(risk_staff)
    client.cookies["django_language"] = "fr"
    page = client.get(PAGE).content.decode()
    with translation.override("fr"):
        when = formatting.moment(decision.created_at)  # "5 décembre 2026, 21:53"
    assert "\u00a0" in when and f"<td>{when}</td>" in page
