"""Fairness of the decisions by gender and by age band, with fairlearn's MetricFrame.

For each grouping (CODE_GENDER; the age bands under 25, 25-34, 35-44, 45-54,
55-64, 65+) and each group, `fairness_report` gives:

* approval_rate: share of the group granted a credit (fairlearn's
  `selection_rate` of the grant decision), and approval_ratio: that rate
  divided by the rate of the most-approved group. A ratio below 0.8 is
  flagged: the four-fifths rule of adverse impact;
* when outcomes (TARGET) are known for some rows, on those rows:
  good_payer_refusal_rate: the share of good payers (TARGET 0) who were
  refused, i.e. the false-negative rate of the grant decision (fairlearn's
  `false_negative_rate` with "repaid" as the positive class and "granted" as
  the positive decision); default_rate_among_approved: the share of granted
  clients who defaulted; and calibration: mean_predicted (mean probability of
  default) beside observed_default_rate, and their difference
  calibration_gap.

Each figure comes with a 95% bootstrap confidence interval and the number of
rows it is computed on (`n`: the group for approval and calibration, the
group's good payers for the refusal rate, its granted clients for the
default rate among approved). Below `min_group_size` rows a figure is marked
not significant and never flagged.

Why `min_group_size` is 100 by default: the four-fifths rule compares
approval rates, and a group's rate has a standard error of sqrt(r(1-r)/n).
With the model refusing about a third of clients (r = 0.7), a group of 30 that
is treated exactly like the others falls below 0.8 x 0.7 = 0.56 by chance
about 5% of the time (z = 0.14 / 0.084 = 1.7), so every period would raise
false alarms over the 8 groups; with 100 rows the chance is about 0.1%
(z = 3.0). The same n keeps the interval of a default rate of 8% within
about +/- 5 points.

Why the confidence intervals are bootstrapped here rather than with
MetricFrame's own `n_boot`: fairlearn 0.15 recomputes every metric on every
resample through a per-row `np.stack` of each column, and it resamples the
whole frame, so a small group can be missing from a resample (fairlearn
issue #1441). Measured on 50,000 rows (benchmarks/monitoring_bench.py):
MetricFrame with the five metrics of both groupings and n_boot=10 took 24 s
of CPU, i.e. about 440 s for 200 resamples; this module's 200 resamples, point
estimates included, 3 s. Here the resampling is stratified by group (each
group's rows are resampled within the group, its size fixed, the usual
choice for per-group intervals) and vectorised (all resamples of a group at
once as an index matrix). The point estimates are MetricFrame's, and a test
checks the intervals against MetricFrame's `n_boot` ones on a small frame.
The interval of the approval ratio comes from the same resamples: in each, a
group's resampled approval rate is divided by the highest resampled rate
among the significant groups.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ml.monitoring._columns import granted_mask

DAYS_PER_YEAR = 365.25
AGE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0, 25, "<25"),
    (25, 35, "25-34"),
    (35, 45, "35-44"),
    (45, 55, "45-54"),
    (55, 65, "55-64"),
    (65, math.inf, "65+"),
)
UNKNOWN = "unknown"
DEFAULT_MIN_GROUP_SIZE = 100
DEFAULT_N_BOOT = 200
DEFAULT_CONFIDENCE = 0.95
FOUR_FIFTHS = 0.8

APPROVAL_RATE = "approval_rate"
APPROVAL_RATIO = "approval_ratio"
GOOD_PAYER_REFUSAL_RATE = "good_payer_refusal_rate"
DEFAULT_RATE_AMONG_APPROVED = "default_rate_among_approved"
MEAN_PREDICTED = "mean_predicted"
OBSERVED_DEFAULT_RATE = "observed_default_rate"
CALIBRATION_GAP = "calibration_gap"


class FairnessError(ValueError):
    """The frame lacks a column or holds values that cannot be read."""


def age_band(values: pd.Series | Sequence[float], *, unit: str = "days_birth") -> pd.Series:
    """Age bands "<25", "25-34", "35-44", "45-54", "55-64", "65+" ("unknown" when missing).

    `unit="days_birth"`: Kaggle's DAYS_BIRTH, the age as a negative number of
    days (-12000 is 32.9 years); `unit="years"`: ages in years. An age is
    in the band [low, high): 25.0 is "25-34".
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    numbers = pd.to_numeric(series, errors="coerce").astype(np.float64)
    if unit == "days_birth":
        years = -numbers / DAYS_PER_YEAR
    elif unit == "years":
        years = numbers
    else:
        raise ValueError(f"unit must be 'days_birth' or 'years', got {unit!r}")
    bands = pd.Series(UNKNOWN, index=series.index, dtype=object)
    for low, high, label in AGE_BANDS:
        bands[(years >= low) & (years < high)] = label
    return bands


def band_order() -> list[str]:
    return [label for _, _, label in AGE_BANDS] + [UNKNOWN]


# -- metrics (fairlearn's signature: y_true, y_pred, then sample parameters) --------------
# In the labelled frame y_true is 1 for a good payer (TARGET 0) and y_pred is 1
# for a granted credit.


def _default_rate_among_approved(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    granted = np.asarray(y_pred) == 1
    return float(1.0 - np.mean(np.asarray(y_true)[granted])) if granted.any() else math.nan


def _observed_default_rate(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(1.0 - np.mean(y_true)) if len(y_true) else math.nan


def _mean_predicted(y_true: np.ndarray, y_pred: np.ndarray, probability: np.ndarray) -> float:
    return float(np.mean(probability)) if len(probability) else math.nan


def _good_payer_refusal_rate(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    from fairlearn.metrics import false_negative_rate

    if not (np.asarray(y_true) == 1).any():
        return math.nan  # no good payer in the group: the rate does not exist
    return float(false_negative_rate(y_true, y_pred, pos_label=1))


def fairness_report(
    frame: pd.DataFrame,
    *,
    decision: str = "decision",
    probability: str | None = "probability",
    target: str | None = "TARGET",
    groupings: Mapping[str, pd.Series] | None = None,
    gender: str = "CODE_GENDER",
    days_birth: str | None = "DAYS_BIRTH",
    age_years: str | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    n_boot: int = DEFAULT_N_BOOT,
    confidence: float = DEFAULT_CONFIDENCE,
    four_fifths: float = FOUR_FIFTHS,
    seed: int = 0,
) -> dict[str, Any]:
    """Fairness figures per group of each grouping (see the module docstring).

    `frame`: one row per decided application with `decision`
    ("granted"/"refused": pass the final decision to judge what clients
    experienced, the model's to judge the model), `probability` (calibrated;
    None to skip calibration), `target` (TARGET 0/1, missing while unknown;
    None or an absent column: approval figures only), and the columns the
    groupings come from: `gender` (CODE_GENDER) and `days_birth`
    (DAYS_BIRTH) or `age_years`. `groupings` replaces those with your own
    {name: labels aligned with frame}.

    Returns (JSON-ready) {"groupings": {name: {"reference_group": the
    most-approved significant group or None, "rows": [...]}}, "parameters":
    {...}, "labelled_rows": int}. Each row: grouping, group, metric, value,
    ci_low, ci_high, n, significant, flagged (only approval_ratio rows can be
    flagged: significant and below `four_fifths`). Groups come in a fixed
    order (age bands youngest first, other labels sorted), metrics in the
    order of the module docstring.
    """
    if min_group_size < 1:
        raise FairnessError(f"min_group_size must be at least 1, got {min_group_size}")
    if n_boot < 1:
        raise FairnessError(f"n_boot must be at least 1, got {n_boot}")
    if not 0 < confidence < 1:
        raise FairnessError(f"confidence must be between 0 and 1, got {confidence}")
    if decision not in frame.columns:
        raise FairnessError(f"the frame has no {decision!r} column")
    granted = granted_mask(frame[decision], FairnessError).astype(np.int64)

    p = None
    if probability is not None and probability in frame.columns:
        p = pd.to_numeric(frame[probability], errors="coerce").to_numpy(dtype=np.float64)
        if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
            raise FairnessError("probability must be a number between 0 and 1 on every row")
    labelled = np.zeros(len(frame), dtype=bool)
    y_default = np.zeros(len(frame), dtype=np.int64)
    if target is not None and target in frame.columns:
        try:
            outcome = pd.to_numeric(frame[target], errors="raise").astype("Float64")
        except (TypeError, ValueError) as error:
            raise FairnessError(f"TARGET must be 0, 1 or missing: {error}") from error
        bad = outcome.notna() & ~outcome.isin([0, 1])
        if bad.any():
            raise FairnessError(f"TARGET must be 0, 1 or missing, found {outcome[bad].iloc[0]!r}")
        labelled = outcome.notna().to_numpy(dtype=bool)
        y_default = outcome.fillna(0).to_numpy(dtype=np.int64)

    labels = _groupings(frame, groupings, gender, days_birth, age_years)
    rng = np.random.default_rng(seed)
    quantiles = ((1 - confidence) / 2, 1 - (1 - confidence) / 2)
    result: dict[str, Any] = {}
    for name, groups in labels.items():
        result[name] = _grouping_report(
            name,
            groups,
            granted=granted,
            y_default=y_default,
            labelled=labelled,
            probability=p,
            min_group_size=min_group_size,
            n_boot=n_boot,
            quantiles=quantiles,
            four_fifths=four_fifths,
            rng=rng,
        )
    return {
        "groupings": result,
        "labelled_rows": int(labelled.sum()),
        "rows": len(frame),
        "parameters": {
            "min_group_size": min_group_size,
            "n_boot": n_boot,
            "confidence": confidence,
            "four_fifths": four_fifths,
            "seed": seed,
        },
    }


def _groupings(
    frame: pd.DataFrame,
    groupings: Mapping[str, pd.Series] | None,
    gender: str,
    days_birth: str | None,
    age_years: str | None,
) -> dict[str, np.ndarray]:
    if groupings is not None:
        out = {}
        for name, values in groupings.items():
            if len(values) != len(frame):
                raise FairnessError(f"grouping {name!r} has {len(values)} labels for {len(frame)}")
            out[name] = pd.Series(values).fillna(UNKNOWN).astype(str).to_numpy()
        return out
    out = {}
    if gender not in frame.columns:
        raise FairnessError(f"the frame has no {gender!r} column (or pass groupings=)")
    out[gender] = frame[gender].fillna(UNKNOWN).astype(str).to_numpy()
    if age_years is not None:
        if age_years not in frame.columns:
            raise FairnessError(f"the frame has no {age_years!r} column")
        out["age_band"] = age_band(frame[age_years], unit="years").to_numpy()
    elif days_birth is not None:
        if days_birth not in frame.columns:
            raise FairnessError(f"the frame has no {days_birth!r} column (or pass age_years=)")
        out["age_band"] = age_band(frame[days_birth], unit="days_birth").to_numpy()
    return out


def _ordered(levels: Sequence[str]) -> list[str]:
    bands = band_order()
    if set(levels) <= set(bands):
        return [b for b in bands if b in set(levels)]
    return sorted(levels)


def _metric_frame(
    metrics: dict[str, Callable[..., float]],
    y_true: np.ndarray,
    y_pred: np.ndarray,
    groups: np.ndarray,
    sample_params: dict[str, dict[str, np.ndarray]] | None = None,
) -> pd.DataFrame:
    from fairlearn.metrics import MetricFrame

    frame = MetricFrame(
        metrics=metrics,
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=pd.Series(groups, name="group"),
        sample_params=sample_params,
    )
    by_group = frame.by_group
    by_group.index = by_group.index.astype(str)
    return by_group


def _grouping_report(
    name: str,
    groups: np.ndarray,
    *,
    granted: np.ndarray,
    y_default: np.ndarray,
    labelled: np.ndarray,
    probability: np.ndarray | None,
    min_group_size: int,
    n_boot: int,
    quantiles: tuple[float, float],
    four_fifths: float,
    rng: np.random.Generator,
) -> dict[str, Any]:
    from fairlearn.metrics import selection_rate

    levels = _ordered(list(pd.unique(groups)))
    # Point estimates: fairlearn's MetricFrame.
    approval = _metric_frame({APPROVAL_RATE: selection_rate}, granted, granted, groups)
    outcome_metrics: pd.DataFrame | None = None
    if labelled.any():
        good = (1 - y_default[labelled]).astype(np.int64)
        metrics: dict[str, Callable[..., float]] = {
            GOOD_PAYER_REFUSAL_RATE: _good_payer_refusal_rate,
            DEFAULT_RATE_AMONG_APPROVED: _default_rate_among_approved,
            OBSERVED_DEFAULT_RATE: _observed_default_rate,
        }
        params = None
        if probability is not None:
            metrics[MEAN_PREDICTED] = _mean_predicted
            params = {MEAN_PREDICTED: {"probability": probability[labelled]}}
        outcome_metrics = _metric_frame(
            metrics, good, granted[labelled], groups[labelled], sample_params=params
        )

    # Bootstrap draws per group (stratified, vectorised).
    draws: dict[str, dict[str, np.ndarray]] = {}
    sizes: dict[str, dict[str, int]] = {}
    for level in levels:
        members = groups == level
        draws[level], sizes[level] = _bootstrap_group(
            granted[members],
            y_default[members],
            labelled[members],
            None if probability is None else probability[members],
            n_boot=n_boot,
            rng=rng,
        )

    significant = {level: sizes[level][APPROVAL_RATE] >= min_group_size for level in levels}
    rates = {level: float(approval.loc[level, APPROVAL_RATE]) for level in levels}
    candidates = [level for level in levels if significant[level]]
    reference = max(candidates, key=lambda level: rates[level]) if candidates else None

    rows: list[dict[str, Any]] = []

    def add(level: str, metric: str, value: float, samples: np.ndarray | None, n: int) -> None:
        low = high = None
        if samples is not None:
            finite = samples[np.isfinite(samples)]
            if len(finite):
                low, high = (float(q) for q in np.quantile(finite, quantiles))
        ok = n >= min_group_size
        rows.append(
            {
                "grouping": name,
                "group": level,
                "metric": metric,
                "value": None if value is None or not math.isfinite(value) else float(value),
                "ci_low": low,
                "ci_high": high,
                "n": int(n),
                "significant": bool(ok),
                "flagged": False,
            }
        )

    reference_draws = None
    if reference is not None:
        # Per resample, the highest approval rate among the significant groups.
        reference_draws = np.max(
            np.vstack([draws[level][APPROVAL_RATE] for level in candidates]), axis=0
        )
    for level in levels:
        n_rows = sizes[level][APPROVAL_RATE]
        add(level, APPROVAL_RATE, rates[level], draws[level][APPROVAL_RATE], n_rows)
        if reference is not None:
            ratio = rates[level] / rates[reference] if rates[reference] > 0 else math.nan
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio_draws = draws[level][APPROVAL_RATE] / reference_draws
            add(level, APPROVAL_RATIO, ratio, ratio_draws, n_rows)
            row = rows[-1]
            row["flagged"] = bool(
                row["significant"] and row["value"] is not None and row["value"] < four_fifths
            )
        if outcome_metrics is not None and level in outcome_metrics.index:
            values = outcome_metrics.loc[level]
            for metric in (GOOD_PAYER_REFUSAL_RATE, DEFAULT_RATE_AMONG_APPROVED):
                add(level, metric, values[metric], draws[level][metric], sizes[level][metric])
            if probability is not None:
                n_labelled = sizes[level][OBSERVED_DEFAULT_RATE]
                predicted, observed = values[MEAN_PREDICTED], values[OBSERVED_DEFAULT_RATE]
                add(level, MEAN_PREDICTED, predicted, draws[level][MEAN_PREDICTED], n_labelled)
                add(level, OBSERVED_DEFAULT_RATE, observed, draws[level][OBSERVED_DEFAULT_RATE],
                    n_labelled)  # fmt: skip
                add(level, CALIBRATION_GAP, predicted - observed,
                    draws[level][CALIBRATION_GAP], n_labelled)  # fmt: skip
            else:
                n_labelled = sizes[level][OBSERVED_DEFAULT_RATE]
                add(level, OBSERVED_DEFAULT_RATE, values[OBSERVED_DEFAULT_RATE],
                    draws[level][OBSERVED_DEFAULT_RATE], n_labelled)  # fmt: skip
    return {"reference_group": reference, "rows": rows}


def _bootstrap_group(
    granted: np.ndarray,
    y_default: np.ndarray,
    labelled: np.ndarray,
    probability: np.ndarray | None,
    *,
    n_boot: int,
    rng: np.random.Generator,
    chunk_cells: int = 4_000_000,
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Resample the group's rows `n_boot` times; every metric's value in each resample.

    The resamples are index matrices drawn in chunks of at most
    `chunk_cells` cells (32 MB of int64), so memory stays bounded for large
    groups. Outcome metrics are computed on the labelled rows of each
    resample (their number varies from resample to resample, as it would
    between samples of the population).
    """
    n = len(granted)
    sizes = {
        APPROVAL_RATE: n,
        GOOD_PAYER_REFUSAL_RATE: int((labelled & (y_default == 0)).sum()),
        DEFAULT_RATE_AMONG_APPROVED: int((labelled & (granted == 1)).sum()),
        OBSERVED_DEFAULT_RATE: int(labelled.sum()),
    }
    out = {
        key: np.empty(n_boot)
        for key in (
            APPROVAL_RATE,
            GOOD_PAYER_REFUSAL_RATE,
            DEFAULT_RATE_AMONG_APPROVED,
            OBSERVED_DEFAULT_RATE,
            MEAN_PREDICTED,
            CALIBRATION_GAP,
        )
    }
    g = granted.astype(np.float64)
    lab = labelled.astype(np.float64)
    good_lab = (labelled & (y_default == 0)).astype(np.float64)
    good_lab_refused = good_lab * (1 - g)
    granted_lab = lab * g
    default_granted_lab = granted_lab * y_default
    default_lab = lab * y_default
    p_lab = lab * (probability if probability is not None else 0.0)
    per_chunk = max(1, chunk_cells // max(n, 1))
    done = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        while done < n_boot:
            take = min(per_chunk, n_boot - done)
            index = rng.integers(0, n, size=(take, n))
            part = slice(done, done + take)
            labelled_count = lab[index].sum(axis=1)
            out[APPROVAL_RATE][part] = g[index].mean(axis=1)
            good_count = good_lab[index].sum(axis=1)
            granted_count = granted_lab[index].sum(axis=1)
            out[GOOD_PAYER_REFUSAL_RATE][part] = good_lab_refused[index].sum(axis=1) / good_count
            out[DEFAULT_RATE_AMONG_APPROVED][part] = (
                default_granted_lab[index].sum(axis=1) / granted_count
            )
            out[OBSERVED_DEFAULT_RATE][part] = default_lab[index].sum(axis=1) / labelled_count
            out[MEAN_PREDICTED][part] = p_lab[index].sum(axis=1) / labelled_count
            done += take
    out[CALIBRATION_GAP] = out[MEAN_PREDICTED] - out[OBSERVED_DEFAULT_RATE]
    return out, sizes
