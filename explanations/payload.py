"""The explanation of one score as a JSON-ready payload, from its SHAP values alone.

Plain functions of their arguments: no database, no cache, no model. Reading
a stored explanation (and caching it) is scoring's (scoring/explanations.py);
a stateless prediction calls `explanation_body` directly.

The payload (`explanation_body`; a stored score's adds score_id,
application_id, model_version, probability, decision and threshold). Keys
are only ever added, never renamed: the dashboard, the API and the client
portal read them.

    base_value        the average client's raw score (log-odds)
    raw_score         this client's raw score; base_value + the sum of every
                      contribution == raw_score
    contributions     the `top` features by |contribution|, for staff and audit:
                      {feature, label, value, display_value, contribution
                      (log-odds, positive raises the risk), raw_fields}
    other_features    the sum of the other features' contributions
    facts             the client facts (explanations/facts.py) the dashboard
                      draws and the reasons say, strongest first: the `top`
                      strongest and every fact given as a reason:
                      {key, label, contribution (log-odds, the exact sum of its
                      features'), points (the same in percentage points of
                      probability, approximate, see below; null without the
                      model's calibration), direction ("raising" | "lowering"),
                      sentence (null for a fact never said, gender),
                      is_reason, features: its 5 strongest features
                      [{feature, label, contribution}], feature_count}
    other_facts       {count, contribution, points}: every fact not listed
    base_probability  the calibrated probability of the average client (null
                      without the calibration), where the waterfall starts
    client_probability  this client's calibrated probability, where it ends
    share_explained   the share of the waterfall's path the listed facts draw:
                      Σ|listed facts| / (Σ|listed facts| + |other_facts|)
    reasons           {"raising": [sentence], "lowering": [sentence]}: the
                      sentences of the facts with is_reason, in the order of
                      `facts` (3 per direction at most)
    language          the language of every label and sentence

Percentage points: SHAP values add up in log-odds, not in probability. A
fact's `points` is its share of the client's whole move in probability,
    points = 100 · contribution · (client_probability − base_probability)
                                  / (raw_score − base_value),
so the facts keep their sign and order, and the points of every fact add up
exactly to the distance between the average client's probability and this
client's (the calibration is monotone, so the factor is positive). It is an
approximation (the calibration is not a straight line): the dashboard says
"about" and explains it in a footnote.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation

from explanations import facts as fact_table
from explanations.feature_labels import label, normalise_language, raw_fields
from explanations.reasons import REASONS_PER_DIRECTION, format_value
from explanations.reasons.core import OMITTED_FACTS, explain_fact, reason_facts
from ml.artifact import to_json_safe

# Features listed under each fact (the strongest): enough to audit, small to serve.
FEATURES_PER_FACT = 5
# Below this distance (log-odds) the points come from the calibration's slope at the
# client's score instead of the ratio of two differences close to zero.
_FLAT = 1e-6

ProbabilityOf = Callable[[float], float]


def explanation_body(
    *,
    contributions: dict[str, float],
    feature_values: dict[str, Any],
    base_value: float,
    raw_score: float,
    language: str,
    top: int,
    probability_of: ProbabilityOf | None = None,
) -> dict:
    """The explanation part of the payload from SHAP values alone (no database, no cache).

    See the module docstring for the keys. `probability_of` maps a raw score
    (log-odds) to the calibrated probability (the model's calibration,
    `ScoringModel.probability_from_raw`); without it `points`,
    `base_probability` and `client_probability` are null.
    """
    language = normalise_language(language)
    top = max(0, int(top))
    ranked = sorted(contributions.items(), key=lambda item: (-abs(item[1]), item[0]))
    shown, rest = ranked[:top], ranked[top:]
    client_facts = fact_table.facts_of_client(contributions, feature_values)
    chosen = reason_facts(client_facts, top=REASONS_PER_DIRECTION)
    reasons = {id(fact) for side in chosen.values() for fact in side}
    listed: list[fact_table.FactContribution] = []
    unlisted: list[fact_table.FactContribution] = []
    for position, fact in enumerate(client_facts):
        (listed if position < top or id(fact) in reasons else unlisted).append(fact)
    scale = _points_scale(base_value, raw_score, probability_of)
    facts = [
        _fact_row(fact, feature_values, language, is_reason=id(fact) in reasons, scale=scale)
        for fact in listed
    ]
    other = math.fsum(fact.contribution for fact in unlisted)
    drawn = math.fsum(abs(fact.contribution) for fact in listed)
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
        "facts": facts,
        "other_facts": {
            "count": len(unlisted),
            "contribution": other,
            "points": _points(other, scale),
        },
        "base_probability": scale[0] if scale else None,
        "client_probability": scale[1] if scale else None,
        "share_explained": drawn / (drawn + abs(other)) if drawn + abs(other) > 0 else 1.0,
        "reasons": {
            direction: [
                row["sentence"]
                for row in facts
                if row["is_reason"] and row["direction"] == direction
            ]
            for direction in ("raising", "lowering")
        },
        "language": language,
    }


def _fact_row(
    fact: fact_table.FactContribution,
    feature_values: Mapping[str, Any],
    language: str,
    *,
    is_reason: bool,
    scale: tuple[float, float, float] | None,
) -> dict[str, Any]:
    raising = fact.contribution > 0
    with translation.override(language):
        fact_label = str(fact_table.spec(fact.key).label)
    return {
        "key": fact.key,
        "label": fact_label,
        "contribution": fact.contribution,
        "points": _points(fact.contribution, scale),
        "direction": "raising" if raising else "lowering",
        "sentence": (
            None
            if fact.key in OMITTED_FACTS
            else explain_fact(fact, feature_values, language=language)
        ),
        "is_reason": is_reason,
        "features": [
            {"feature": feature, "label": label(feature, language), "contribution": value}
            for feature, value in fact.members[:FEATURES_PER_FACT]
        ],
        "feature_count": len(fact.members),
    }


def _points_scale(
    base_value: float, raw_score: float, probability_of: ProbabilityOf | None
) -> tuple[float, float, float] | None:
    """(base probability, client probability, percentage points per unit of log-odds)."""
    if probability_of is None:
        return None
    start, end = float(probability_of(base_value)), float(probability_of(raw_score))
    distance = raw_score - base_value
    if abs(distance) > _FLAT:
        return start, end, 100 * (end - start) / distance
    step = 1e-3  # the calibration's slope where the client stands
    slope = (probability_of(raw_score + step) - probability_of(raw_score - step)) / (2 * step)
    return start, end, 100 * float(slope)


def _points(contribution: float, scale: tuple[float, float, float] | None) -> float | None:
    return None if scale is None else contribution * scale[2]


def fact_importance_rows(
    importance: Mapping[str, float], *, language: str = "en", top: int | None = None
) -> list[dict]:
    """The facts by mean |contribution| over many clients, most important first, labelled,
    with their share of the whole ({key, label, importance, share})."""
    language = normalise_language(language)
    ordered = sorted(importance.items(), key=lambda item: (-float(item[1]), item[0]))
    total = math.fsum(float(value) for _, value in ordered) or 1.0
    with translation.override(language):
        return [
            {
                "key": key,
                "label": str(fact_table.spec(key).label),
                "importance": float(value),
                "share": float(value) / total,
            }
            for key, value in ordered[: len(ordered) if top is None else max(0, int(top))]
            if float(value) > 0
        ]


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
