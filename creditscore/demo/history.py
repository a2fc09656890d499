"""Twelve weeks of history for the demo, so that risk staff open weekly charts worth reading.

An imported set of clients arrives all at once and is scored in a minute; a
monitoring dashboard of that is one dot. So, for `make demo` only:

* before scoring (`demo_history_prepare`): each application gets a received
  date spread over the last `HISTORY_WEEKS` weeks; those of the last
  `SHIFT_WEEKS` weeks come from a shifted population (younger applicants
  asking for larger credits: age x `AGE_FACTOR`, credit, annuity and goods
  price x `CREDIT_FACTOR`, and, with their shorter credit histories, external
  scores x `EXTERNAL_SCORE_FACTOR`), the drift the monitoring must catch; and the
  outcome (TARGET) of the last `OUTCOME_LAG_WEEKS` weeks is not known yet
  (defaults take months to show), so those weeks show expected figures only;
* after scoring (`demo_history_finish`): every current score is dated a few
  minutes after its application was received ("scored as of those dates"),
  and the demo advisor records final decisions on part of their portfolio,
  overriding the model more often in the shifted weeks; the decisions are
  dated a day or two after the score.

Both steps run once: a database whose applications already span weeks is left
as it is. Never on production data (the demo refuses the production settings).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery
from django.utils import timezone

from clients.models import Application
from scoring.decisions import credit_decision_record
from scoring.models import CreditDecision, Score
from scoring.registry import active_scoring_model

HISTORY_WEEKS = 12
SHIFT_WEEKS = 3
OUTCOME_LAG_WEEKS = 4
AGE_FACTOR = 0.7  # DAYS_BIRTH is negative: 0.7 x the age, never under 18
CREDIT_FACTOR = 1.6
# Young applicants have short credit histories: lower external scores (EXT_SOURCE_1-3,
# the model's strongest features), so the shift moves the scores, not only the inputs.
EXTERNAL_SCORE_FACTOR = 0.75
EXTERNAL_SCORES = ("ext_source_1", "ext_source_2", "ext_source_3")
YOUNGEST_DAYS = -int(18 * 365.25)
# The share of the demo advisor's scored clients with a recorded final decision, and the
# share of those that override the model, before and during the shift.
DECIDED_SHARE = 0.25
OVERRIDE_SHARE = 0.05
OVERRIDE_SHARE_SHIFTED = 0.15
SCORED_AFTER = dt.timedelta(minutes=7)
# The features the demo's drift report compares (the most important first).
DRIFT_COLUMNS = 100
OVERRIDE_REASONS = {
    "granted": "Long and stable employment with the same employer, and a guarantor: granted.",
    "refused": "Debts declared in the interview that the file does not show yet: refused.",
}


def history_already_spread(*, now: dt.datetime | None = None) -> bool:
    """Whether the applications already span weeks (a second run, or a real history)."""
    now = now or timezone.now()
    return Application.objects.filter(created_at__lt=now - dt.timedelta(weeks=2)).exists()


@transaction.atomic
def demo_history_prepare(*, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Spread the received dates, shift the last weeks' population, hide recent outcomes.

    Returns the counts: applications dated, shifted, with their outcome hidden
    (all 0 when the history is already spread).
    """
    now = now or timezone.now()
    if history_already_spread(now=now):
        return {"dated": 0, "shifted": 0, "outcome_hidden": 0}
    rng = np.random.default_rng(seed)
    applications = list(
        Application.objects.order_by("pk").only(
            "pk",
            "days_birth",
            "amt_credit",
            "amt_annuity",
            "amt_goods_price",
            "target",
            *EXTERNAL_SCORES,
        )
    )
    # Uniform over the weeks; the newest a few minutes back, so its score is in the past too.
    days_ago = rng.uniform(0.01, 7 * HISTORY_WEEKS, size=len(applications))
    shifted = hidden = 0
    for application, age in zip(applications, days_ago, strict=True):
        application.created_at = now - dt.timedelta(days=float(age))
        if age < 7 * SHIFT_WEEKS:
            shifted += 1
            if application.days_birth is not None:
                application.days_birth = min(
                    YOUNGEST_DAYS, round(application.days_birth * AGE_FACTOR)
                )
            for name in ("amt_credit", "amt_annuity", "amt_goods_price"):
                value = getattr(application, name)
                if value is not None:
                    setattr(application, name, round(value * CREDIT_FACTOR, 1))
            for name in EXTERNAL_SCORES:
                value = getattr(application, name)
                if value is not None:
                    setattr(application, name, value * EXTERNAL_SCORE_FACTOR)
        if age < 7 * OUTCOME_LAG_WEEKS and application.target is not None:
            application.target = None
            hidden += 1
    Application.objects.bulk_update(
        applications,
        [
            "created_at",
            "days_birth",
            "amt_credit",
            "amt_annuity",
            "amt_goods_price",
            "target",
            *EXTERNAL_SCORES,
        ],
        batch_size=1000,
    )
    # Clients scored before their data was shifted (a demo database from an earlier
    # version): their scores no longer match, so they are scored again.
    recent = now - dt.timedelta(weeks=SHIFT_WEEKS)
    Score.objects.filter(is_current=True, application__created_at__gte=recent).update(
        is_current=False
    )
    return {"dated": len(applications), "shifted": shifted, "outcome_hidden": hidden}


@transaction.atomic
def demo_history_finish(*, advisor: Any, seed: int, now: dt.datetime | None = None) -> dict:
    """Date each current score at its application's arrival; record the advisor's decisions.

    Scores already dated (a second run) and clients already decided are left
    alone. Returns the counts: scores dated, decisions recorded, overrides.
    """
    now = now or timezone.now()
    received = Application.objects.filter(pk=OuterRef("application_id")).values("created_at")[:1]
    scored_at = ExpressionWrapper(Subquery(received) + SCORED_AFTER, output_field=DateTimeField())
    # Only scores made later than that (today, for applications the history dated in
    # the past); a second run finds them dated already.
    to_date = Score.objects.filter(
        is_current=True,
        created_at__gt=ExpressionWrapper(
            Subquery(received) + SCORED_AFTER + dt.timedelta(minutes=1),
            output_field=DateTimeField(),
        ),
    )
    dated = to_date.update(created_at=scored_at, started_at=scored_at, finished_at=scored_at)

    rng = np.random.default_rng(seed + 1)
    shift_start = now - dt.timedelta(weeks=SHIFT_WEEKS)
    # Once: a demo advisor who has decided before (an earlier run) is left as they are.
    already_decided = CreditDecision.objects.filter(decided_by=advisor).exists()
    candidates = (
        []
        if already_decided
        else list(
            Score.objects.filter(
                is_current=True,
                status=Score.Status.DONE,
                application__advisor=advisor,
                application__credit_decisions__isnull=True,
            )
            .select_related("application")
            .order_by("application_id")
        )
    )
    decided = overrides = 0
    for score in candidates:
        if rng.random() >= DECIDED_SHARE:
            continue
        shifted = score.application.created_at >= shift_start
        override = rng.random() < (OVERRIDE_SHARE_SHIFTED if shifted else OVERRIDE_SHARE)
        outcome = score.decision
        justification = ""
        if override:
            outcome = "refused" if score.decision == "granted" else "granted"
            justification = OVERRIDE_REASONS[outcome]
        decision = credit_decision_record(
            application=score.application,
            decided_by=advisor,
            outcome=outcome,
            justification=justification,
        )
        # Decided a day or two after the score, never in the future.
        when = min(now, score.created_at + dt.timedelta(days=float(rng.uniform(0.5, 2.5))))
        CreditDecision.objects.filter(pk=decision.pk).update(created_at=when)
        decided += 1
        overrides += int(override)
    return {"scores_dated": dated, "decisions": decided, "overrides": overrides}


def demo_drift_report_and_alerts(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """The drift report of the shifted weeks against the training sample, and its alerts.

    Run here, in this process (Evidently: a minute or so), rather than queued, so the
    demo opens with the report done and the alerts it raised on the admin index. Once:
    a database with a drift report already keeps its own. The alerts' e-mail goes to
    the demo's mail folder.
    """
    from monitoring.models import DriftReport
    from monitoring.services import alerts_check, drift_report_create, drift_report_run

    if DriftReport.objects.exists():
        return {"drift_report": None, "alerts": 0}
    now = now or timezone.now()
    since = now - dt.timedelta(weeks=SHIFT_WEEKS)
    # The model's most important features only: the drift that moves scores, in a
    # quarter of the time of all ~500 columns (about 4 minutes on 2 busy cores).
    _version, model = active_scoring_model()
    columns = list(model.global_importance().index[:DRIFT_COLUMNS])
    report = drift_report_create(
        trigger=DriftReport.Trigger.SYSTEM, since=since, until=now, columns=columns, queue=False
    )
    report = drift_report_run(report_id=str(report.pk))
    # The score figures of the same weeks, with the drift share of the report just made.
    alerts = alerts_check(since=since, until=now)
    return {
        "drift_report": str(report.pk),
        "status": report.status,
        "drift_share": report.drift_share,
        "alerts": len(alerts),
    }
