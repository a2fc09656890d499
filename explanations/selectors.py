"""Reads of explanations: the payload of one score, and a model's global importance.

Both are served from Django's cache (Redis). Nothing needs invalidating: an
explanation never changes once its score is computed, and a model version's
importance is fixed in its artifact. Keys carry `PAYLOAD_VERSION`, so a
deployment that changes the wording or the shape simply stops reading the
old entries (they expire with their TTL).
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

from explanations.feature_labels import label, normalise_language, raw_fields
from explanations.models import Explanation
from explanations.reasons import REASONS_PER_DIRECTION, format_value, reasons_for
from ml.artifact import to_json_safe
from scoring.models import ModelVersion, Score

# Bump when the payload's shape or wording changes: old cache entries are then never read.
PAYLOAD_VERSION = 2
# An explanation never changes, so the TTL only bounds the memory kept for scores nobody
# looks at any more; a week covers an application's whole review.
EXPLANATION_CACHE_SECONDS = 7 * 24 * 3600
GLOBAL_IMPORTANCE_CACHE_SECONDS = 30 * 24 * 3600


logger = logging.getLogger(__name__)
_CACHE_ERRORS = (RedisError, OSError)


class ExplanationUnavailable(Exception):
    """The score has no explanation (yet): it is pending, running or failed."""


def _explanation_key(score_id: object, language: str, top: int) -> str:
    return f"explanations:v{PAYLOAD_VERSION}:score:{score_id}:{language}:{top}"


def _importance_key(artifact_hash: str, language: str, top: int) -> str:
    return f"explanations:v{PAYLOAD_VERSION}:importance:{artifact_hash}:{language}:{top}"


def _cached(key: str) -> Any:
    """The cached value, or None; a cache that is down only costs a database read."""
    try:
        return cache.get(key)
    except _CACHE_ERRORS as error:
        logger.warning(
            "explanation cache unavailable (%s): reading %s from the database", error, key
        )
        return None


def _remember(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except _CACHE_ERRORS as error:
        logger.warning("explanation cache unavailable (%s): %s not cached", error, key)


def explanation_for_score(*, score: Score, language: str = "en", top: int = 10) -> dict:
    """The JSON-ready explanation of `score` in `language` ("en" or "fr").

    `contributions` lists the `top` features by absolute contribution
    (log-odds; positive raises the risk) with the value the model saw, raw
    (`value`, null when missing) and formatted for people (`display_value`);
    `other_features` is the sum of all the others, so that base_value +
    contributions + other_features == raw_score. These are for staff and
    complete (gender included, when it counts). `reasons` are plain-language
    sentences for the applicant (see `explanations.reasons`: gender is never
    one). Raises `ExplanationUnavailable` when the score has no stored
    explanation yet (never cached).
    """
    language = normalise_language(language)
    top = max(0, int(top))
    key = _explanation_key(score.pk, language, top)
    payload = _cached(key)
    if payload is None:
        payload = _explanation_payload(score=score, language=language, top=top)
        _remember(key, payload, EXPLANATION_CACHE_SECONDS)
    return payload


def _explanation_payload(*, score: Score, language: str, top: int) -> dict:
    explanation = (
        Explanation.objects.select_related("score__model_version").filter(score_id=score.pk).first()
    )
    if explanation is None:
        raise ExplanationUnavailable(f"score {score.pk} has no explanation (status {score.status})")
    stored = explanation.score
    return {
        "score_id": str(stored.pk),
        "application_id": stored.application_id,
        "model_version": stored.model_version.version,
        "probability": stored.probability,
        "decision": stored.decision,
        "threshold": stored.threshold,
        **explanation_body(
            contributions=explanation.contributions,
            feature_values=explanation.feature_values,
            base_value=explanation.base_value,
            raw_score=explanation.raw_score,
            language=language,
            top=top,
        ),
    }


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


def global_importance(
    *, model_version: ModelVersion, language: str = "en", top: int = 20
) -> list[dict]:
    """The `top` features of `model_version` by mean |SHAP|, most important first, labelled."""
    from scoring.registry import scoring_model_for  # loads LightGBM: only when needed

    language = normalise_language(language)
    top = max(0, int(top))
    key = _importance_key(model_version.artifact_hash, language, top)
    rows = _cached(key)
    if rows is None:
        importance = scoring_model_for(model_version).global_importance()
        ordered = sorted(importance.items(), key=lambda item: (-float(item[1]), item[0]))
        rows = [
            {"feature": feature, "label": label(feature, language), "importance": float(value)}
            for feature, value in ordered[:top]
        ]
        _remember(key, rows, GLOBAL_IMPORTANCE_CACHE_SECONDS)
    return rows
