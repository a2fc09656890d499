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
from collections.abc import Callable
from typing import Any

import numpy as np
from django.core.cache import cache
from redis.exceptions import RedisError

from explanations.facts import mean_absolute_contributions
from explanations.feature_labels import normalise_language
from explanations.payload import explanation_body, fact_importance_rows, importance_rows
from scoring.models import Explanation, ModelVersion, Score

# Bump when the payload's shape or wording changes: old cache entries are then never read.
# 3: the client facts (explanations/facts.py), their points of probability, reasons by fact.
PAYLOAD_VERSION = 3
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
    complete (gender included, when it counts). `facts` are the same
    contributions grouped by client fact, with their points of probability
    (the model's calibration) and sentences; `reasons` are the plain-language
    sentences of the strongest facts for the applicant (see
    explanations/payload.py for every key, `explanations.reasons`: gender is
    never one). Raises `ExplanationUnavailable` when the score has no stored
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
            probability_of=probability_function(stored.model_version),
        ),
    }


def probability_function(model_version: ModelVersion) -> Callable[[float], float]:
    """The calibration of `model_version` as raw score (log-odds) -> probability, for the
    explanation's points of probability (loads the model once per process)."""
    from scoring.registry import scoring_model_for  # loads LightGBM: only when needed

    model = scoring_model_for(model_version)

    def probability_of(raw_score: float) -> float:
        return float(model.probability_from_raw(np.asarray([raw_score], dtype=np.float64))[0])

    return probability_of


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


# Clients of the model's reference sample explained for the importance of the facts:
# a few seconds once per model version, then cached.
FACT_IMPORTANCE_ROWS = 1000


def fact_importance(
    *, model_version: ModelVersion, language: str = "en", top: int | None = None
) -> list[dict]:
    """The client facts of `model_version` by mean |contribution| (its global importance as
    the explanations speak of it), most important first, labelled, with their share."""
    language = normalise_language(language)
    key = f"explanations:v{PAYLOAD_VERSION}:fact-importance:{model_version.artifact_hash}"
    importance = _cached(key)
    if importance is None:
        importance = _fact_importance(model_version)
        _remember(key, importance, GLOBAL_IMPORTANCE_CACHE_SECONDS)
    return fact_importance_rows(importance, language=language, top=top)


def _fact_importance(model_version: ModelVersion) -> dict[str, float]:
    from scoring.registry import scoring_model_for  # loads LightGBM: only when needed

    model = scoring_model_for(model_version)
    sample = model.reference_sample().head(FACT_IMPORTANCE_ROWS)
    explained = model.explain(sample.reindex(columns=model.feature_names))
    return mean_absolute_contributions(explained.contributions, explained.feature_values)


def score_feature_values(score: Score) -> dict[str, Any]:
    """The feature values the model saw for `score` (all of them), {} when none is stored."""
    values = (
        Explanation.objects.filter(score_id=score.pk)
        .values_list("feature_values", flat=True)
        .first()
    )
    return values or {}
