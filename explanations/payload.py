"""The explanation of one score as a JSON-ready payload, from its SHAP values alone.

Plain functions of their arguments: no database, no cache, no model. Reading
a stored explanation (and caching it) is scoring's (scoring/explanations.py);
a stateless prediction calls `explanation_body` directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from explanations.feature_labels import label, normalise_language, raw_fields
from explanations.reasons import REASONS_PER_DIRECTION, format_value, reasons_for
from ml.artifact import to_json_safe


def explanation_body(
    *,
    contributions: dict[str, float],
    feature_values: dict[str, Any],
    base_value: float,
    raw_score: float,
    language: str,
    top: int,
) -> dict:
    """The explanation part of the payload from SHAP values alone (no database, no cache).

    {"base_value", "raw_score", "contributions": [top `top` by |contribution|],
    "other_features", "reasons", "language"}: what `explanation_for_score` serves
    for a stored score, and what a stateless prediction can return as well.
    """
    language = normalise_language(language)
    ranked = sorted(contributions.items(), key=lambda item: (-abs(item[1]), item[0]))
    shown, rest = ranked[: max(0, int(top))], ranked[max(0, int(top)) :]
    return {
        "base_value": base_value,
        "raw_score": raw_score,
        "contributions": [
            {
                "feature": feature,
                "label": label(feature, language),
                "value": to_json_safe(feature_values.get(feature)),
                "display_value": format_value(feature, feature_values.get(feature), language),
                "contribution": contribution,
                "raw_fields": raw_fields(feature),
            }
            for feature, contribution in shown
        ],
        "other_features": math.fsum(contribution for _, contribution in rest),
        "reasons": reasons_for(
            contributions, feature_values, language=language, top=REASONS_PER_DIRECTION
        ),
        "language": language,
    }


def importance_rows(
    importance: Mapping[str, float], *, language: str = "en", top: int = 20
) -> list[dict]:
    """The `top` features by importance (mean |SHAP|), most important first, labelled."""
    language = normalise_language(language)
    ordered = sorted(importance.items(), key=lambda item: (-float(item[1]), item[0]))
    return [
        {"feature": feature, "label": label(feature, language), "importance": float(value)}
        for feature, value in ordered[: max(0, int(top))]
    ]
