"""Model performance on scored applications: expected before the outcomes are known, realised after.

Defaults take months to show, so for recent applications the realised AUC and
cost cannot be computed yet. What can be computed is what they are
**expected** to be if the probabilities are calibrated: this is NannyML's
confidence-based performance estimation (CBPE), computed here in a few lines
(NannyML itself pins LightGBM below 4.6 and pulls cloud SDKs; see
shared/NOTES.md).

The idea: a client scored p defaults with probability p. Refusing every client
with probability >= t then catches, in expectation, sum(p) over the refused
defaulters (true positives) and wrongly refuses sum(1 - p) over the refused
(false positives). Sweeping t over the scored probabilities gives an expected
ROC curve, whose area is the **expected AUC**; at the model's threshold the
same sums give the **expected business cost**:

    expected cost per client = (cost_fn * sum(p over granted)
                                + cost_fp * sum(1 - p over refused)) / n

Checked on a LightGBM model trained on the real sample (30,752 rows,
3 folds): on the 5,000 rows of its reference sample, the expected AUC from the
out-of-fold probabilities is 0.745 against 0.750 realised, the expected cost
per client 0.537 against 0.525 realised.

Both are only as good as the calibration: that is why the training figures
(out-of-fold, from the artifact) and, once outcomes arrive, the realised
figures are shown beside them. A gap between expected and realised on the same
rows says the calibration no longer holds; a gap between expected and training
says the population has become harder (or easier) to rank.

"Positive" is a default (TARGET = 1) throughout, as in `ml.threshold`: a
refusal is a predicted default, so a false negative is a credit granted to a
client who defaults and a false positive a good client refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ml.calibration import brier, reliability_table
from ml.threshold import confusion_at


class PerformanceError(ValueError):
    """The data cannot be evaluated (no rows, probabilities outside [0, 1], bad outcomes...)."""


def _probabilities(probability: Any) -> np.ndarray:
    p = np.asarray(probability, dtype=np.float64).ravel()
    if len(p) == 0:
        raise PerformanceError("no probability to evaluate")
    if np.isnan(p).any():
        raise PerformanceError(f"{int(np.isnan(p).sum())} probability value(s) are missing")
    if (p < 0).any() or (p > 1).any():
        raise PerformanceError("probabilities must lie between 0 and 1")
    return p


def _outcomes(target: Any, rows: int) -> np.ndarray:
    y = np.asarray(target, dtype=np.float64).ravel()
    if len(y) != rows:
        raise PerformanceError(f"{len(y)} outcomes for {rows} probabilities")
    if np.isnan(y).any():
        raise PerformanceError(
            f"{int(np.isnan(y).sum())} outcome(s) are missing: keep only rows with a known TARGET"
        )
    if not np.isin(y, (0, 1)).all():
        raise PerformanceError("TARGET must be 0 or 1")
    return y.astype(np.int64)


def expected_auc(probability: Any) -> float | None:
    """The AUC expected if `probability` is calibrated (CBPE); None when it is undefined.

    Cuts at every distinct probability, highest first; expected true and false
    positives at each cut are the cumulative sums of p and 1 - p, and the area
    under the expected ROC curve is summed by trapezoids (tied probabilities
    form one step, counted half, as `roc_auc_score` counts ties). Undefined
    (None) when every probability is 0 or every one is 1: no expected
    defaulter, or no expected good client.
    """
    p = _probabilities(probability)
    positives, negatives = float(p.sum()), float((1.0 - p).sum())
    if positives <= 0.0 or negatives <= 0.0:
        return None
    order = np.argsort(-p, kind="stable")
    sorted_p = p[order]
    # One point of the curve per distinct probability: the last row of each tie group.
    last_of_group = np.flatnonzero(np.append(sorted_p[1:] != sorted_p[:-1], True))
    tp = np.concatenate(([0.0], np.cumsum(sorted_p)[last_of_group])) / positives
    fp = np.concatenate(([0.0], np.cumsum(1.0 - sorted_p)[last_of_group])) / negatives
    return float(np.trapezoid(tp, fp))


def expected_performance(
    probability: Any, *, threshold: float, cost_fn: float = 10.0, cost_fp: float = 1.0
) -> dict[str, Any]:
    """What the model's figures are expected to be on these scored rows (CBPE).

    `probability`: calibrated probabilities of default; `threshold`: refuse
    when probability >= threshold (the model's rule); the cost weights of the
    model (`metadata["cost_weights"]`).
    Returns (JSON-ready): rows, auc (None if undefined), cost_per_client,
    default_rate (mean probability), refusal_rate, and the expected confusion
    counts (tn, fp, fn, tp, floats).
    """
    p = _probabilities(probability)
    refused = p >= threshold
    expected_tp = float(p[refused].sum())
    expected_fp = float((1.0 - p[refused]).sum())
    expected_fn = float(p[~refused].sum())
    expected_tn = float((1.0 - p[~refused]).sum())
    rows = len(p)
    return {
        "rows": rows,
        "auc": expected_auc(p),
        "cost_per_client": (cost_fn * expected_fn + cost_fp * expected_fp) / rows,
        "default_rate": float(p.mean()),
        "refusal_rate": float(refused.mean()),
        "confusion": {"tn": expected_tn, "fp": expected_fp, "fn": expected_fn, "tp": expected_tp},
        "threshold": float(threshold),
        "cost_fn": float(cost_fn),
        "cost_fp": float(cost_fp),
    }


def realised_performance(
    target: Any,
    probability: Any,
    *,
    threshold: float,
    cost_fn: float = 10.0,
    cost_fp: float = 1.0,
    calibration_bins: int = 10,
) -> dict[str, Any]:
    """The model's figures on rows whose outcome (TARGET) is known.

    Returns (JSON-ready): rows, auc (None when only one class is present),
    cost_per_client, default_rate (observed), refusal_rate, confusion
    (tn, fp, fn, tp), brier, and calibration: the deciles of the probability
    (`ml.calibration.reliability_table`: bin, lower, upper, count,
    mean_predicted, observed_rate), the same table the artifact stores for
    training (`metadata["metrics"]["reliability_after"]`).
    """
    from sklearn.metrics import roc_auc_score  # ~1 s to import: only when figures are made

    p = _probabilities(probability)
    y = _outcomes(target, len(p))
    confusion = confusion_at(y, p, threshold)
    rows = len(p)
    table = reliability_table(y, p, calibration_bins)
    return {
        "rows": rows,
        "auc": float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else None,
        "cost_per_client": (cost_fn * confusion.fn + cost_fp * confusion.fp) / rows,
        "default_rate": float(y.mean()),
        "refusal_rate": float((confusion.tp + confusion.fp) / rows),
        "confusion": confusion.as_dict(),
        "brier": brier(y, p),
        "calibration": _records(table),
        "threshold": float(threshold),
        "cost_fn": float(cost_fn),
        "cost_fp": float(cost_fp),
    }


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    records = table.to_dict("records")
    return [
        {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
        for r in records
    ]


def training_figures(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The training figures an artifact records, to show beside expected and realised ones.

    `metadata`: the artifact's metadata.json (`ScoringModel.metadata`).
    Returns auc (out-of-fold), cost_per_client, default_rate, refusal_rate
    (each None if the artifact lacks it) and calibration (the OOF reliability
    table after calibration).
    """
    metrics = metadata.get("metrics", {}) or {}
    cost = metrics.get("cost", {}) or {}
    return {
        "auc": metrics.get("oof_auc"),
        "cost_per_client": cost.get("cost_per_client"),
        "default_rate": metrics.get("default_rate"),
        "refusal_rate": metrics.get("refusal_rate"),
        "calibration": metrics.get("reliability_after"),
    }


def performance_by_period(
    frame: pd.DataFrame,
    *,
    threshold: float,
    cost_fn: float = 10.0,
    cost_fp: float = 1.0,
    timestamp: str = "scored_at",
    probability: str = "probability",
    target: str = "TARGET",
    freq: str = "W",
    training: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Expected and realised performance per day ("D") or week ("W", Monday to Sunday).

    `frame`: one row per scored application: `timestamp` (datetime; aware
    ones are converted to UTC), `probability` (calibrated), and `target`
    (TARGET: 0, 1, or missing while the outcome is unknown; the column may be
    absent). `training`: `training_figures(metadata)`, repeated in the result
    so that each figure is shown beside its training value.

    Returns {"training": ..., "periods": [...]} with per period: period
    (ISO date of its first day), rows, labelled_rows, expected (on every row
    of the period, `expected_performance`), realised (on the labelled rows,
    `realised_performance`, None without any) and expected_on_labelled (the
    expected figures on the same labelled rows: the fair comparison with
    realised). Periods without any row are left out.
    """
    for column in (timestamp, probability):
        if column not in frame.columns:
            raise PerformanceError(f"the frame has no {column!r} column")
    # Only the two columns needed: grouping the whole frame would copy every
    # column of every period (a features frame has hundreds).
    work = pd.DataFrame(
        {
            "period": period_start(frame[timestamp], freq),
            "probability": frame[probability].to_numpy(dtype=np.float64),
            "target": _numbers(frame[target], target) if target in frame.columns else np.nan,
        },
        index=frame.index,
    )
    rows: list[dict[str, Any]] = []
    for start, part in work.groupby("period", sort=True):
        p = part["probability"].to_numpy()
        y = part["target"].to_numpy()
        known = ~np.isnan(y)
        entry: dict[str, Any] = {
            "period": start.date().isoformat(),
            "rows": len(part),
            "labelled_rows": int(known.sum()),
            "expected": expected_performance(
                p, threshold=threshold, cost_fn=cost_fn, cost_fp=cost_fp
            ),
            "realised": None,
            "expected_on_labelled": None,
        }
        if known.any():
            entry["realised"] = realised_performance(
                y[known], p[known], threshold=threshold, cost_fn=cost_fn, cost_fp=cost_fp
            )
            entry["expected_on_labelled"] = expected_performance(
                p[known], threshold=threshold, cost_fn=cost_fn, cost_fp=cost_fp
            )
        rows.append(entry)
    return {"training": dict(training) if training is not None else None, "periods": rows}


def _numbers(values: pd.Series, name: str) -> np.ndarray:
    try:
        numbers = pd.to_numeric(values, errors="raise")
    except (TypeError, ValueError) as error:
        raise PerformanceError(f"{name} must hold numbers: {error}") from error
    return numbers.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def period_start(timestamps: pd.Series, freq: str) -> pd.Series:
    """The first instant (midnight) of each timestamp's day ("D") or Monday-to-Sunday week ("W").

    Time-zone-aware timestamps are converted to UTC first (the database
    stores UTC), then the day/week boundaries are taken in UTC.
    """
    if freq not in ("D", "W"):
        raise ValueError(f"freq must be 'D' (day) or 'W' (week), got {freq!r}")
    values = pd.to_datetime(timestamps, errors="raise")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    days = values.dt.normalize()
    if freq == "D":
        return days
    return days - pd.to_timedelta(days.dt.weekday, unit="D")
