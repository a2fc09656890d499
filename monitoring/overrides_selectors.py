"""Reads of the override analytics (EBA/GL/2020/06 4.3.4: control of model overrides).

One row per application decided in the window: its last recorded decision
(a decision changed after a review counts once, as it stands). A decision
overrides the model when a person decided otherwise than the model proposed;
decisions taken without a model proposal (no score, or under manual review)
are counted apart and are neither overrides nor followed. Where the outcome
(TARGET) is known, the default rates of overridden and followed decisions
are compared, granted decisions apart (a refused client's repayment is only
known in historical data such as Home Credit's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scoring.models import CreditDecision

GRANTED, REFUSED = "granted", "refused"
RECENT_JUSTIFICATIONS = 50


@dataclass(frozen=True)
class OverrideAnalytics:
    since: dt.date
    until: dt.date
    decisions: int
    without_proposal: int
    overall: dict[str, Any]
    by_advisor: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    justifications: list[dict[str, Any]]


def decisions_frame(*, since: dt.date, until: dt.date) -> pd.DataFrame:
    """The last decision of each application decided between `since` and `until` (inclusive)."""
    rows = (
        CreditDecision.objects.filter(created_at__date__gte=since, created_at__date__lte=until)
        .order_by("application_id", "-created_at", "-pk")
        .distinct("application_id")
        .values_list(
            "application_id",
            "outcome",
            "model_decision",
            "is_override",
            "justification",
            "decided_by__username",
            "created_at",
            "application__target",
        )
    )
    return pd.DataFrame(
        list(rows),
        columns=[
            "application",
            "outcome",
            "model_decision",
            "is_override",
            "justification",
            "advisor",
            "created_at",
            "target",
        ],
    )


def _rates(frame: pd.DataFrame) -> dict[str, Any]:
    proposed = frame[frame["model_decision"] != ""]
    overridden = proposed[proposed["outcome"] != proposed["model_decision"]]
    granted_against = int((overridden["outcome"] == GRANTED).sum())
    refused_against = int((overridden["outcome"] == REFUSED).sum())
    n = len(proposed)
    return {
        "decisions": n,
        "overrides": len(overridden),
        "override_rate": len(overridden) / n if n else None,
        "granted_against": granted_against,
        "granted_against_rate": granted_against / n if n else None,
        "refused_against": refused_against,
        "refused_against_rate": refused_against / n if n else None,
    }


def override_analytics(*, since: dt.date, until: dt.date) -> OverrideAnalytics:
    frame = decisions_frame(since=since, until=until)
    if frame.empty:
        return OverrideAnalytics(since, until, 0, 0, _rates(frame), [], [], [])
    proposed = frame[frame["model_decision"] != ""]
    by_advisor = []
    for advisor, group in proposed.groupby(proposed["advisor"].fillna("?"), sort=True):
        by_advisor.append({"advisor": advisor, **_rates(group)})
    by_advisor.sort(key=lambda row: -(row["override_rate"] or 0))
    overridden = proposed["outcome"] != proposed["model_decision"]
    known = proposed["target"].notna()
    outcomes = []
    for label, mask in (
        ("granted_followed", ~overridden & (proposed["outcome"] == GRANTED)),
        ("granted_against", overridden & (proposed["outcome"] == GRANTED)),
        ("refused_followed", ~overridden & (proposed["outcome"] == REFUSED)),
        ("refused_against", overridden & (proposed["outcome"] == REFUSED)),
        ("followed", ~overridden),
        ("overridden", overridden),
    ):
        rows = proposed[mask & known]
        outcomes.append(
            {
                "group": label,
                "decisions": int(mask.sum()),
                "with_outcome": len(rows),
                "default_rate": float(rows["target"].mean()) if len(rows) else None,
            }
        )
    recent = (
        proposed[overridden].sort_values("created_at", ascending=False).head(RECENT_JUSTIFICATIONS)
    )
    justifications = [
        {
            "application": int(row.application),
            "advisor": row.advisor or "?",
            "when": row.created_at,
            "direction": row.outcome,
            "justification": row.justification,
        }
        for row in recent.itertuples()
    ]
    return OverrideAnalytics(
        since=since,
        until=until,
        decisions=len(frame),
        without_proposal=len(frame) - len(proposed),
        overall=_rates(frame),
        by_advisor=by_advisor,
        outcomes=outcomes,
        justifications=justifications,
    )
