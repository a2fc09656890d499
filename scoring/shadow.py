"""Reads of the challenger in shadow: how it compares with the champion on the same scores.

Its scores (`ShadowScore`) are written by the worker beside the champion's
(scoring/services.py); they are read here for the risk staff's comparison
page only, never as a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scoring.models import ModelVersion, ShadowScore
from scoring.validation import outcome_figures

# The most recent shadow scores the page compares (a window, not the whole history).
COMPARISON_LIMIT = 50_000
DIFFERENCE_BINS = (-1.0, -0.2, -0.1, -0.05, -0.02, 0.02, 0.05, 0.1, 0.2, 1.0)


@dataclass(frozen=True)
class ShadowComparison:
    challenger: ModelVersion
    champions: list[str]
    figures: dict[str, Any]


def shadow_versions() -> list[ModelVersion]:
    """Versions that scored in shadow at some time (the one in shadow now first)."""
    ids = ShadowScore.objects.values("model_version").distinct()
    return list(
        ModelVersion.objects.filter(pk__in=ids).order_by("-is_shadow", "-shadow_started_at")
    )


def shadow_comparison(
    *, challenger: ModelVersion, limit: int = COMPARISON_LIMIT
) -> ShadowComparison:
    """Agreement, approval rates, AUC and cost where outcomes are known, and the
    distribution of probability differences (challenger - champion)."""
    rows = list(
        ShadowScore.objects.filter(model_version=challenger)
        .order_by("-created_at")
        .values_list(
            "probability",
            "would_decide",
            "score__probability",
            "score__decision",
            "score__model_version__version",
            "score__model_version__threshold",
            "score__application__target",
        )[:limit]
    )
    frame = pd.DataFrame(
        rows,
        columns=[
            "probability",
            "decision",
            "champion_probability",
            "champion_decision",
            "champion",
            "champion_threshold",
            "TARGET",
        ],
    )
    champions = sorted(frame["champion"].dropna().unique().tolist()) if len(frame) else []
    figures: dict[str, Any] = {"scores": len(frame)}
    if len(frame):
        difference = frame["probability"] - frame["champion_probability"]
        counts, _edges = np.histogram(difference.clip(-1, 1), bins=DIFFERENCE_BINS)
        figures.update(
            agreement=float((frame["decision"] == frame["champion_decision"]).mean()),
            approval_rate=float((frame["decision"] == "granted").mean()),
            champion_approval_rate=float((frame["champion_decision"] == "granted").mean()),
            granted_now_refused=int(
                ((frame["champion_decision"] == "granted") & (frame["decision"] == "refused")).sum()
            ),
            refused_now_granted=int(
                ((frame["champion_decision"] == "refused") & (frame["decision"] == "granted")).sum()
            ),
            mean_difference=float(difference.mean()),
            mean_absolute_difference=float(difference.abs().mean()),
            differences=[
                {"low": low, "high": high, "count": int(count)}
                for low, high, count in zip(
                    DIFFERENCE_BINS[:-1], DIFFERENCE_BINS[1:], counts, strict=True
                )
            ],
            with_outcome=outcome_figures(
                frame.astype({"TARGET": "float64"}),
                cost_fn=challenger.cost_false_negative,
                cost_fp=challenger.cost_false_positive,
                threshold=challenger.threshold,
                champion_threshold=float(frame["champion_threshold"].iloc[0]),
            ),
        )
    return ShadowComparison(challenger=challenger, champions=champions, figures=figures)
