"""Reads of explanations: the payload of one stored score, and a model's global importance.

Both are served from Django's cache (Redis). Nothing needs invalidating: an
explanation never changes once its score is computed, and a model version's
importance is fixed in its artifact. Keys carry `PAYLOAD_VERSION`, so a
deployment that changes the wording or the shape simply stops reading the
old entries (they expire with their TTL). The words themselves come from
the explanations app (explanations/payload.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

from explanations.feature_labels import normalise_language
from explanations.payload import explanation_body, importance_rows
from scoring.models import Explanation, ModelVersion, Score

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
        rows = importance_rows(importance, language=language, top=top)
        _remember(key, rows, GLOBAL_IMPORTANCE_CACHE_SECONDS)
    return rows


def score_feature_values(score: Score) -> dict[str, Any]:
    """The feature values the model saw for `score` (all of them), {} when none is stored."""
    values = (
        Explanation.objects.filter(score_id=score.pk)
        .values_list("feature_values", flat=True)
        .first()
    )
    return values or {}
