"""The demo's twelve weeks: received dates spread, the last weeks shifted, recent outcomes
unknown, scores dated as of their application, an advisor's decisions; each once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clients.models import Application
from creditscore.demo.history import (
    AGE_FACTOR,
    CREDIT_FACTOR,
    EXTERNAL_SCORE_FACTOR,
    HISTORY_WEEKS,
    OUTCOME_LAG_WEEKS,
    SCORED_AFTER,
    SHIFT_WEEKS,
    demo_history_finish,
    demo_history_prepare,
)
from scoring.models import CreditDecision, ModelVersion, Score
from tests.factories import ApplicationFactory

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def clients(db, advisor):
    return [
        ApplicationFactory(advisor=advisor, days_birth=-14_000, amt_credit=500_000.0, target=0)
        for _ in range(200)
    ]


def test_prepare_spreads_twelve_weeks_shifts_the_last_three_and_hides_recent_outcomes(clients):
    counts = demo_history_prepare(seed=1, now=NOW)

    rows = list(Application.objects.all())
    ages = [(NOW - a.created_at).total_seconds() / 86_400 for a in rows]
    assert counts["dated"] == 200
    assert 0 < min(ages) and max(ages) <= 7 * HISTORY_WEEKS
    assert len({int(age // 7) for age in ages}) == HISTORY_WEEKS  # every week has some
    for application, age in zip(rows, ages, strict=True):
        recent = age < 7 * SHIFT_WEEKS
        assert application.days_birth == (round(-14_000 * AGE_FACTOR) if recent else -14_000)
        assert application.amt_credit == pytest.approx(
            500_000 * CREDIT_FACTOR if recent else 500_000
        )
        assert application.ext_source_2 == pytest.approx(
            0.26 * EXTERNAL_SCORE_FACTOR if recent else 0.26
        )
        assert (application.target is None) == (age < 7 * OUTCOME_LAG_WEEKS)
    assert counts["shifted"] == sum(age < 7 * SHIFT_WEEKS for age in ages)

    # A second run finds the history spread and changes nothing.
    again = demo_history_prepare(seed=1, now=NOW)
    assert again == {"dated": 0, "shifted": 0, "outcome_hidden": 0}
    assert Application.objects.filter(amt_credit=500_000 * CREDIT_FACTOR**2).count() == 0


def test_finish_dates_each_score_after_its_application_and_records_decisions_once(clients, advisor):
    demo_history_prepare(seed=1, now=NOW)
    version = ModelVersion.objects.create(
        version="demo01", artifact_hash="d" * 64, threshold=0.5,
        cost_false_negative=10, cost_false_positive=1, is_active=True,
    )  # fmt: skip
    for i, application in enumerate(Application.objects.all()):
        Score.objects.create(
            application=application, model_version=version, input_digest=str(i),
            status=Score.Status.DONE, probability=0.3 if i % 3 else 0.7,
            decision="granted" if i % 3 else "refused", threshold=0.5, is_current=True,
        )  # fmt: skip

    counts = demo_history_finish(advisor=advisor, seed=1, now=timezone.now())

    assert counts["scores_dated"] == 200
    for score in Score.objects.select_related("application"):
        assert score.created_at == score.application.created_at + SCORED_AFTER
        assert score.finished_at == score.created_at
    decisions = list(CreditDecision.objects.select_related("score"))
    assert len(decisions) == counts["decisions"] > 0
    for decision in decisions:
        assert decision.created_at > decision.score.created_at
        assert decision.is_override == (decision.outcome != decision.model_decision)
        if decision.is_override:
            assert decision.justification
    assert sum(d.is_override for d in decisions) == counts["overrides"]

    again = demo_history_finish(advisor=advisor, seed=1, now=timezone.now())
    assert again == {"scores_dated": 0, "decisions": 0, "overrides": 0}


def test_the_demo_drift_report_is_made_once(db, monkeypatch):
    from creditscore.demo import history
    from monitoring.models import DriftReport

    version = ModelVersion.objects.create(
        version="demo02", artifact_hash="e" * 64, threshold=0.5,
        cost_false_negative=10, cost_false_positive=1, is_active=True,
    )  # fmt: skip
    DriftReport.objects.create(
        trigger=DriftReport.Trigger.SYSTEM, model_version=version,
        source=DriftReport.Source.WINDOW, window_start=NOW - dt.timedelta(days=7),
        window_end=NOW,
    )  # fmt: skip
    # A second run must not load the model nor run Evidently again.
    monkeypatch.setattr(history, "active_scoring_model", lambda: pytest.fail("model loaded"))

    assert history.demo_drift_report_and_alerts(now=NOW) == {"drift_report": None, "alerts": 0}
    assert DriftReport.objects.count() == 1
