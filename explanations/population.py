"""The client against the population the model learnt from: distributions, pairs, look-alikes.

Everything is read from a `Reference`: the model's reference sample
(`ScoringModel.reference_sample()`: a stratified sample of training rows with their
features, `TARGET` and out-of-fold probability `OOF_PROBABILITY`) and its global
importance, so the population shown is the one of the model version that scored the
client. Plain computations: scoring provides each version's `Reference`, read once per
process and kept (scoring/population.py), and a `Reference` keeps what the
similar-clients search prepares from it.

All results are JSON-ready (plain floats, ints, strings, None for missing values).
Outcomes are named "repaid" (TARGET 0) and "defaulted" (TARGET 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from django.utils import translation
from django.utils.translation import gettext as _

import formatting
from explanations.feature_labels import label, normalise_language, value_kind
from explanations.reasons import format_value
from ml.features import CATEGORICAL_FEATURES

TARGET = "TARGET"
OOF_PROBABILITY = "OOF_PROBABILITY"
OUTCOMES = ("repaid", "defaulted")  # TARGET 0, TARGET 1
NUMERIC = "numeric"
CATEGORICAL = "categorical"
OTHER_LEVELS = "__other__"  # the levels beyond the `bins` most frequent ones

CLIP_QUANTILES = (0.01, 0.99)  # histogram range: outliers go to the edge bins
SAME_VALUE_WORTH_SAYING = 0.05  # tie share from which the sentence mentions it
SIMILARITY_FEATURES = 10  # numeric features compared by `similar_clients`
BIVARIATE_SEED = 0


class UnknownFeature(ValueError):
    """The feature is not in the model's reference sample (or cannot be used that way)."""


@dataclass(frozen=True)
class _Neighbourhood:
    """The reference sample prepared for nearest-neighbour search."""

    features: tuple[str, ...]
    centre: np.ndarray  # median per feature
    scale: np.ndarray  # IQR per feature (std, then 1, when the IQR is 0)
    scaled: np.ndarray  # rows x features, (value - centre) / scale, NaN kept
    values: np.ndarray  # rows x features, raw values
    ids: np.ndarray
    outcome: np.ndarray
    probability: np.ndarray


@dataclass(frozen=True, eq=False)
class Reference:
    """A model version's reference population: what every function here reads.

    Read-only once built; keep one per model version and pass it to every call:
    the neighbourhood of the similar-clients search is prepared on first use and
    kept with it.
    """

    frame: pd.DataFrame  # the reference sample: never modified
    importance: pd.Series  # mean |SHAP|, descending

    @cached_property
    def neighbourhood(self) -> _Neighbourhood:
        return _prepare_neighbourhood(self)


def _kind(feature: str, frame: pd.DataFrame) -> str:
    if feature in CATEGORICAL_FEATURES or frame[feature].dtype == object:
        return CATEGORICAL
    return NUMERIC


def _column(reference: Reference, feature: str) -> pd.Series:
    if feature in (TARGET, OOF_PROBABILITY) or feature not in reference.frame.columns:
        raise UnknownFeature(f"{feature!r} is not a feature of this model's reference sample")
    return reference.frame[feature]


def _as_float(value: object) -> float | None:
    if value is None or isinstance(value, bool | str):
        return None
    try:
        # Whatever float() takes (numpy scalars, Decimal...); it raises on the rest.
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_level(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _outcome_masks(reference: Reference) -> tuple[np.ndarray, np.ndarray]:
    target = reference.frame[TARGET].to_numpy()
    return target == 0, target == 1


def _rate(defaulted: np.ndarray, total: np.ndarray) -> list[float | None]:
    return [float(d / t) if t else None for d, t in zip(defaulted, total, strict=True)]


# ---------------------------------------------------------------------------
# Selectable features
# ---------------------------------------------------------------------------


def comparable_features(
    *, reference: Reference, top: int = 30, language: str = "en"
) -> list[dict[str, Any]]:
    """The `top` features of the model (by mean |SHAP|) the population can be shown for.

    [{"feature", "label", "kind": "numeric" | "categorical", "importance"}], most
    important first; features with no value at all in the sample are left out.
    """
    language = normalise_language(language)
    frame = reference.frame
    rows: list[dict[str, Any]] = []
    for feature, importance in reference.importance.items():
        if len(rows) >= max(0, int(top)):
            break
        if feature not in frame.columns or not frame[feature].notna().any():
            continue
        rows.append(
            {
                "feature": feature,
                "label": label(feature, language),
                "kind": _kind(feature, frame),
                "importance": float(importance),
            }
        )
    return rows


# ---------------------------------------------------------------------------
# One feature: the client's value in the distribution of repaid and defaulted clients
# ---------------------------------------------------------------------------


def feature_distribution(
    *,
    reference: Reference,
    feature: str,
    client_value: object,
    bins: int = 30,
    language: str = "en",
) -> dict[str, Any]:
    """The distribution of `feature` among repaid and defaulted clients, and the client in it.

    Numeric: {"feature", "label", "kind": "numeric", "value_kind", "language",
    "bin_edges" (bins + 1, shared by both outcomes, spanning the 1st-99th
    percentiles: values beyond go to the edge bins), "counts" and "shares"
    ({"repaid": [...], "defaulted": [...]}; a share is a count over its
    outcome's total), "default_rate" (per bin, None when empty), "n" (values
    known per outcome: each outcome's counts sum to it), "missing" (per
    outcome), "client": {"value", "percentile" (% of known values strictly
    lower), "share_equal", "bin", "sentence"}}.

    Categorical: the same with "levels" (the `bins` most frequent levels, then
    "__other__" if any remain) instead of "bin_edges", and "client": {"value",
    "level" (index in "levels" or None), "share_same", "default_rate_same",
    "sentence"}.
    """
    language = normalise_language(language)
    column = _column(reference, feature)
    bins = max(1, int(bins))
    if _kind(feature, reference.frame) == CATEGORICAL:
        body = _categorical_distribution(reference, feature, column, client_value, bins, language)
    else:
        body = _numeric_distribution(reference, feature, column, client_value, bins, language)
    return {
        "feature": feature,
        "label": label(feature, language),
        "value_kind": value_kind(feature),
        "language": language,
        **body,
    }


def _bin_edges(values: np.ndarray, bins: int) -> np.ndarray:
    if values.size == 0:
        return np.array([0.0, 1.0])
    low, high = np.quantile(values, CLIP_QUANTILES)
    if high <= low:  # a value shared by 98% of the sample (flags, counts): use the full range
        low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.array([low - 0.5, low + 0.5])
    return np.linspace(low, high, bins + 1)


def _bin_of(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin of each value, values outside the edges counted in the edge bins."""
    return np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)


def _outcome_counts(
    counts: dict[str, np.ndarray],
    n: dict[str, int],
    known: np.ndarray,
    repaid: np.ndarray,
    defaulted: np.ndarray,
) -> dict[str, Any]:
    """Per outcome: the counts per bin or level, their shares, the default rate, the missing."""
    return {
        "counts": {name: [int(c) for c in counts[name]] for name in OUTCOMES},
        "shares": {
            name: [float(c / n[name]) if n[name] else 0.0 for c in counts[name]]
            for name in OUTCOMES
        },
        "default_rate": _rate(counts["defaulted"], counts["repaid"] + counts["defaulted"]),
        "n": n,
        "missing": {
            name: int((mask & ~known).sum())
            for name, mask in zip(OUTCOMES, (repaid, defaulted), strict=True)
        },
    }


def _not_known_sentence() -> str:
    return _("This value is not known for this client.")


def _numeric_distribution(
    reference: Reference,
    feature: str,
    column: pd.Series,
    client_value: object,
    bins: int,
    language: str,
) -> dict[str, Any]:
    values = column.to_numpy(dtype=np.float64)
    known = ~np.isnan(values)
    repaid, defaulted = _outcome_masks(reference)
    edges = _bin_edges(values[known], bins)
    counts = {}
    for name, mask in zip(OUTCOMES, (repaid, defaulted), strict=True):
        group = values[mask & known]
        counts[name] = np.bincount(_bin_of(group, edges), minlength=len(edges) - 1)
    n = {name: int(counts[name].sum()) for name in OUTCOMES}
    client = _as_float(client_value)
    everyone = values[known]
    client_part: dict[str, Any] = {
        "value": client,
        "percentile": None,
        "share_equal": None,
        "bin": None,
    }
    if client is not None and everyone.size:
        lower = float(np.mean(everyone < client))
        equal = float(np.mean(everyone == client))
        client_part.update(
            percentile=100.0 * lower,
            share_equal=equal,
            bin=int(_bin_of(np.array([client]), edges)[0]),
        )
    client_part["sentence"] = _numeric_sentence(feature, client, client_part, language)
    return {
        "kind": NUMERIC,
        "bin_edges": [float(edge) for edge in edges],
        **_outcome_counts(counts, n, known, repaid, defaulted),
        "clipped_range": [float(edges[0]), float(edges[-1])],
        "client": client_part,
    }


def _numeric_sentence(
    feature: str, client: float | None, part: dict[str, Any], language: str
) -> str:
    with translation.override(language):
        if client is None or part["percentile"] is None:
            return _not_known_sentence()
        sentence = _("Your value (%(value)s) is higher than %(share)s of clients.") % {
            "value": format_value(feature, client),
            "share": formatting.percent(part["percentile"] / 100.0),
        }
        if part["share_equal"] >= SAME_VALUE_WORTH_SAYING:
            sentence += " " + _("%(share)s of clients have the same value.") % {
                "share": formatting.percent(part["share_equal"])
            }
        return sentence


def _categorical_distribution(
    reference: Reference,
    feature: str,
    column: pd.Series,
    client_value: object,
    bins: int,
    language: str,
) -> dict[str, Any]:
    repaid, defaulted = _outcome_masks(reference)
    known = column.notna().to_numpy()
    levels_all = column[known].astype(str)
    frequency = levels_all.value_counts(sort=False)
    ordered = sorted(frequency.items(), key=lambda item: (-item[1], item[0]))
    levels = [level for level, _ in ordered[:bins]]
    if len(ordered) > bins:
        levels.append(OTHER_LEVELS)
    position = {level: i for i, level in enumerate(levels)}
    other = position.get(OTHER_LEVELS, -1)
    codes = np.full(len(column), -1, dtype=np.int64)
    codes[known] = [position.get(level, other) for level in levels_all]
    counts = {}
    for name, mask in zip(OUTCOMES, (repaid, defaulted), strict=True):
        group = codes[mask & known]
        counts[name] = np.bincount(group, minlength=len(levels)) if len(levels) else np.array([])
    n = {name: int(counts[name].sum()) for name in OUTCOMES}
    client = _as_level(client_value)
    client_part: dict[str, Any] = {
        "value": client,
        "level": None,
        "share_same": None,
        "default_rate_same": None,
    }
    if client is not None and known.any():
        same = np.zeros(len(column), dtype=bool)
        same[known] = (levels_all == client).to_numpy()
        client_part.update(
            level=position.get(client, other if client in frequency.index else None),
            share_same=float(same.sum() / known.sum()),
            default_rate_same=(float(defaulted[same].mean()) if same.any() else None),
        )
    client_part["sentence"] = _categorical_sentence(feature, client, client_part, language)
    return {
        "kind": CATEGORICAL,
        "levels": levels,
        **_outcome_counts(counts, n, known, repaid, defaulted),
        "client": client_part,
    }


def _categorical_sentence(
    feature: str, client: str | None, part: dict[str, Any], language: str
) -> str:
    with translation.override(language):
        if client is None or part["share_same"] is None:
            return _not_known_sentence()
        sentence = _("%(share)s of clients have the same value as you (%(value)s).") % {
            "share": formatting.percent(part["share_same"]),
            "value": format_value(feature, client),
        }
        if part["default_rate_same"] is not None:
            sentence += " " + _("Among them, %(share)s did not repay their loan.") % {
                "share": formatting.percent(part["default_rate_same"])
            }
        return sentence


# ---------------------------------------------------------------------------
# Two features: a scatter of the population with the client's point
# ---------------------------------------------------------------------------


def bivariate(
    *,
    reference: Reference,
    x: str,
    y: str,
    client_values: dict[str, object],
    max_points: int = 2000,
    language: str = "en",
) -> dict[str, Any]:
    """Reference clients as points (x, y, outcome, OOF probability), and the client's point.

    Only rows with both values known; at most `max_points` of them, the same
    ones on every call (a fixed-seed sample). Points come as columns, ready
    for a chart: {"x": {"feature", "label", "range"}, "y": {...}, "points":
    {"id": [...], "x": [...], "y": [...], "outcome": [0/1...], "probability":
    [...]}, "total": rows with both values, "shown": points returned,
    "client": {"x", "y"} (None where unknown)}. "range" is the 1st-99th
    percentile span, a sensible default zoom. Both features must be numeric.
    """
    language = normalise_language(language)
    for feature in (x, y):
        _column(reference, feature)
        if _kind(feature, reference.frame) != NUMERIC:
            raise UnknownFeature(f"{feature!r} is categorical: a scatter needs numeric features")
    frame = reference.frame
    xs = frame[x].to_numpy(dtype=np.float64)
    ys = frame[y].to_numpy(dtype=np.float64)
    rows = np.flatnonzero(~np.isnan(xs) & ~np.isnan(ys))
    total = len(rows)
    if total > max_points:
        rng = np.random.default_rng(BIVARIATE_SEED)
        rows = np.sort(rng.choice(rows, size=max(0, int(max_points)), replace=False))
    return {
        "x": _axis(x, xs, language),
        "y": _axis(y, ys, language),
        "points": {
            "id": [int(i) for i in frame.index.to_numpy()[rows]],
            "x": xs[rows].tolist(),
            "y": ys[rows].tolist(),
            "outcome": frame[TARGET].to_numpy()[rows].astype(int).tolist(),
            "probability": frame[OOF_PROBABILITY].to_numpy(dtype=np.float64)[rows].tolist(),
        },
        "total": total,
        "shown": len(rows),
        "client": {"x": _as_float(client_values.get(x)), "y": _as_float(client_values.get(y))},
        "language": language,
    }


def _axis(feature: str, values: np.ndarray, language: str) -> dict[str, Any]:
    known = values[~np.isnan(values)]
    span = [float(v) for v in np.quantile(known, CLIP_QUANTILES)] if known.size else None
    return {
        "feature": feature,
        "label": label(feature, language),
        "value_kind": value_kind(feature),
        "range": span,
    }


# ---------------------------------------------------------------------------
# Similar clients: nearest neighbours on the most important numeric features
# ---------------------------------------------------------------------------


def _prepare_neighbourhood(reference: Reference) -> _Neighbourhood:
    """The reference sample scaled for the search (`Reference.neighbourhood` keeps it)."""
    frame = reference.frame
    features: list[str] = []
    for feature in reference.importance.index:
        if len(features) == SIMILARITY_FEATURES:
            break
        if feature not in frame.columns or _kind(feature, frame) != NUMERIC:
            continue
        if frame[feature].nunique(dropna=True) < 2:  # nothing to tell clients apart
            continue
        features.append(feature)
    values = frame[features].to_numpy(dtype=np.float64)
    centre = np.nanmedian(values, axis=0)
    scale = np.nanquantile(values, 0.75, axis=0) - np.nanquantile(values, 0.25, axis=0)
    # A feature with most clients on one value (flags, counts) has no IQR: fall back to
    # its standard deviation, so one unit of difference still weighs something sensible.
    spread = np.nanstd(values, axis=0)
    scale = np.where(scale > 0, scale, np.where(spread > 0, spread, 1.0))
    return _Neighbourhood(
        features=tuple(features),
        centre=centre,
        scale=scale,
        scaled=(values - centre) / scale,
        values=values,
        ids=frame.index.to_numpy().astype(np.int64),
        outcome=frame[TARGET].to_numpy().astype(np.int64),
        probability=frame[OOF_PROBABILITY].to_numpy(dtype=np.float64),
    )


def similarity_features(*, reference: Reference, language: str = "en") -> list[dict[str, str]]:
    """The features `similar_clients` compares, in order: [{"feature", "label"}]."""
    language = normalise_language(language)
    return [
        {"feature": feature, "label": label(feature, language)}
        for feature in reference.neighbourhood.features
    ]


def similar_clients(
    *,
    reference: Reference,
    features_row: pd.Series,
    k: int = 10,
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """The `k` reference clients nearest to `features_row`, nearest first.

    Compared on the model's `SIMILARITY_FEATURES` most important numeric
    features (`similarity_features`), each robustly scaled ((value - median)
    / IQR). Distance: Euclidean over the features known on both sides,
    rescaled to all of them (sqrt(sum * d / shared)); a reference client
    sharing fewer than half of the features the client has is not compared.
    Ties by id. `exclude_id` leaves a reference client out (the client's own
    training row, whose outcome would otherwise be shown as a neighbour's).

    Each: {"id" (SK_ID_CURR), "distance", "shared_features", "outcome" (TARGET
    0/1), "probability" (out-of-fold), "values": {feature: value or None}}.
    Empty when the client has none of the features.
    """
    prepared = reference.neighbourhood
    client = np.array(
        [_as_float(features_row.get(feature)) for feature in prepared.features], dtype=np.float64
    )
    known = ~np.isnan(client)
    if not known.any():
        return []
    difference = prepared.scaled[:, known] - ((client - prepared.centre) / prepared.scale)[known]
    shared = (~np.isnan(difference)).sum(axis=1)
    squared = np.nansum(difference**2, axis=1)
    dimensions = len(prepared.features)
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.sqrt(squared * dimensions / shared)
    eligible = shared >= math.ceil(known.sum() / 2)
    if exclude_id is not None:
        eligible &= prepared.ids != int(exclude_id)
    candidates = np.flatnonzero(eligible)
    order = candidates[np.lexsort((prepared.ids[candidates], distance[candidates]))]
    return [
        {
            "id": int(prepared.ids[i]),
            "distance": float(distance[i]),
            "shared_features": int(shared[i]),
            "outcome": int(prepared.outcome[i]),
            "probability": float(prepared.probability[i]),
            "values": {
                feature: _as_float(prepared.values[i, j])
                for j, feature in enumerate(prepared.features)
            },
        }
        for i in order[: max(0, int(k))]
    ]
