"""Training: cross-validated LightGBM, calibration, business threshold.

`train_model(tables)` builds the features, then `train_on_features` does the
rest:

1. Encode categoricals once (`CategoryEncoder`, fitted on the training rows)
   into a float matrix; NaN stays NaN.
2. Stratified K-fold: one booster per fold, early-stopped on that fold's
   validation part, which also receives its out-of-fold (OOF) predictions.
3. A final booster on all rows with the mean best iteration of the folds.
4. Platt calibration fitted on the OOF probabilities (out-of-sample for every
   row, so no leak), then the cost-minimising threshold on the calibrated OOF
   probabilities.
5. Everything the artifact records: metrics, reliability tables, global
   importance (mean |SHAP|), reference statistics and a stratified sample of
   training rows for drift reports, fairness figures per gender and age band.

What the model may use is `ml.policy`'s: the excluded attributes (gender and
family status by default) and every feature computed from them leave the
features before anything is fitted, yet stay in the fairness figures and in
the reference sample (as columns beside TARGET, not as features) so that
monitoring can still compare groups; the features with an established
direction are trained under LightGBM monotone constraints. Both are recorded
in the metadata and the model card, and serving uses exactly the saved
feature list.

Class imbalance (8% defaults) is handled deliberately WITHOUT reweighting:
the booster learns plain log-loss, so its outputs stay probabilities (up to
the small correction of the calibrator), and the asymmetry of the business
costs is applied where it belongs, in the decision threshold. Reweighting
(scale_pos_weight≈11) would not improve the ranking of a gradient-boosted
model much but would inflate every probability, making calibration carry a
large correction, and it would bake today's cost ratio into the trees:
changing the cost weights then means retraining instead of moving a cut.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import re
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from ml.calibration import (
    Calibrator,
    brier,
    expected_calibration_error,
    fit_calibrator,
    reliability_table,
    sigmoid,
)
from ml.encoding import CategoryEncoder
from ml.policy import (
    EXCLUDED_ATTRIBUTES,
    MONOTONE_DIRECTIONS,
    MONOTONE_METHOD,
    MONOTONE_METHOD_REASON,
    excluded_features,
    exclusion_reason,
    monotone_constraints,
    monotone_reason,
)
from ml.threshold import ThresholdChoice, bayes_threshold, choose_threshold, confusion_at

# Regularised parameters in the spirit of the strong public Home Credit
# kernels (small learning rate, a few dozen leaves, a random 40% of the
# features per tree, row bagging, L2 on leaf values, leaves of at least 50
# rows), chosen once from that prior knowledge rather than searched on our
# sample, whose noise a search would fit.
DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "metric": "auc",
    "learning_rate": 0.03,
    "num_leaves": 24,
    "max_depth": 8,
    "min_child_samples": 50,
    "min_sum_hessian_in_leaf": 1e-2,
    "feature_fraction": 0.4,
    "bagging_fraction": 0.85,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "lambda_l1": 0.1,
    "min_gain_to_split": 0.01,
    # Categorical splits overfit easily on levels with few rows: demand 100
    # rows per level group and smooth the per-level statistics.
    "min_data_per_group": 100,
    "cat_smooth": 20.0,
    "cat_l2": 10.0,
    "max_cat_threshold": 16,
    "num_threads": 2,  # the machine has 2 cores, shared with the web workers
    "deterministic": True,
    "force_col_wise": True,
    "verbosity": -1,
}
MAX_BOOST_ROUNDS = 5000
EARLY_STOPPING_ROUNDS = 150
REFERENCE_SAMPLE_ROWS = 5000
IMPORTANCE_SAMPLE_ROWS = 2000
QUANTILES = (0.0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
AGE_BANDS = ((0, 30, "<30"), (30, 45, "30-45"), (45, 60, "45-60"), (60, 200, "60+"))
TARGET = "TARGET"
OOF_PROBABILITY = "OOF_PROBABILITY"

IMBALANCE_STRATEGY = (
    "No class reweighting: the booster learns the plain log-loss on the natural "
    "default rate, so its outputs stay probabilities; Platt calibration on the "
    "out-of-fold predictions removes the remaining bias; the asymmetric business "
    "cost is applied through the decision threshold (chosen on calibrated OOF "
    "probabilities), not through the loss. Reweighting (scale_pos_weight) would "
    "distort every probability and tie the trees to one cost ratio: with this "
    "design a new cost ratio only moves the threshold."
)
CALIBRATION_CHOICE = (
    "Platt scaling on the log-odds (2 parameters), fitted on out-of-fold "
    "predictions: monotone (AUC and rankings unchanged), low variance with a few "
    "thousand defaults, stored as JSON."
)


class TrainingError(ValueError):
    """The training data cannot be used (no TARGET, one class only, ...)."""


@dataclass
class TrainingResult:
    booster: lgb.Booster
    encoder: CategoryEncoder
    calibrator: Calibrator
    threshold: ThresholdChoice
    metadata: dict[str, Any]
    reference_sample: pd.DataFrame
    oof_raw_score: np.ndarray
    oof_probability: np.ndarray  # calibrated
    target: np.ndarray
    feature_index: pd.Index = field(repr=False, default_factory=lambda: pd.Index([]))


ProgressFn = Callable[[str], Any]


def make_folds(target: np.ndarray, *, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The stratified folds every comparison uses (benchmarks reuse them)."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(target)), target))


def train_model(
    tables: dict[str, pd.DataFrame],
    *,
    folds: int = 5,
    seed: int = 0,
    cost_fn: float = 10.0,
    cost_fp: float = 1.0,
    progress: ProgressFn = print,
    params: dict[str, Any] | None = None,
    early_stopping_rounds: int = EARLY_STOPPING_ROUNDS,
    data_hash: str | None = None,
    excluded_attributes: Sequence[str] = EXCLUDED_ATTRIBUTES,
    monotone_directions: Mapping[str, int] | None = MONOTONE_DIRECTIONS,
) -> TrainingResult:
    """Build the features from `tables` and train the scoring model.

    `excluded_attributes` and `monotone_directions`: see `train_on_features`.
    """
    from ml.features import CATEGORICAL_FEATURES, build_features

    if "application" not in tables:
        raise TrainingError("tables hold no 'application' table")
    application = tables["application"]
    if TARGET not in application.columns:
        raise TrainingError("the application table has no TARGET column: cannot train")
    started = time.perf_counter()
    features = build_features(tables)
    feature_seconds = time.perf_counter() - started
    progress(
        f"features: {features.shape[1]} columns for {len(features)} applications "
        f"in {feature_seconds:.1f} s"
    )
    ids = application["SK_ID_CURR"].to_numpy()
    if len(features) != len(ids) or not np.array_equal(features.index.to_numpy(), ids):
        raise TrainingError("build_features did not return one row per application, in order")
    data_info = {
        "hash": data_hash or tables_hash(tables),
        "rows": {name: int(len(frame)) for name, frame in tables.items()},
    }
    return train_on_features(
        features,
        application[TARGET].to_numpy(),
        application=application,
        categorical=[name for name in CATEGORICAL_FEATURES if name in features.columns],
        folds=folds,
        seed=seed,
        cost_fn=cost_fn,
        cost_fp=cost_fp,
        progress=progress,
        params=params,
        early_stopping_rounds=early_stopping_rounds,
        data_info=data_info,
        feature_seconds=feature_seconds,
        excluded_attributes=excluded_attributes,
        monotone_directions=monotone_directions,
    )


def train_on_features(
    features: pd.DataFrame,
    target: np.ndarray,
    *,
    application: pd.DataFrame | None = None,
    categorical: list[str] | None = None,
    folds: int = 5,
    seed: int = 0,
    cost_fn: float = 10.0,
    cost_fp: float = 1.0,
    progress: ProgressFn = print,
    params: dict[str, Any] | None = None,
    early_stopping_rounds: int = EARLY_STOPPING_ROUNDS,
    data_info: dict[str, Any] | None = None,
    feature_seconds: float | None = None,
    excluded_attributes: Sequence[str] = EXCLUDED_ATTRIBUTES,
    monotone_directions: Mapping[str, int] | None = MONOTONE_DIRECTIONS,
) -> TrainingResult:
    """Cross-validate, train the final booster, calibrate and choose the threshold.

    `categorical`: the text columns (default: every object column of `features`).
    `application`: the raw application rows, for the fairness figures (CODE_GENDER,
    DAYS_BIRTH) and the excluded attributes kept in the reference sample;
    `features` is used when absent.
    `excluded_attributes`: application columns the model must not use; they and
    every feature computed from them are dropped from `features` (`()`: none).
    `monotone_directions`: feature -> +1 (may only raise the risk) / -1 (may only
    lower it), enforced by LightGBM on the features present (None or {}: none).
    """
    y = _check_target(target)
    source = application if application is not None else features
    excluded_attributes = tuple(excluded_attributes)
    excluded = [name for name in excluded_features(excluded_attributes) if name in features]
    features = features.drop(
        columns=[c for c in (TARGET, "SK_ID_CURR") if c in features] + excluded
    )
    kept_attributes = [name for name in excluded_attributes if name in source.columns]
    if categorical is not None:
        categorical = [name for name in categorical if name not in excluded]
    if folds < 2:
        raise TrainingError(f"folds must be at least 2, got {folds}")
    if int(y.sum()) < folds or int((1 - y).sum()) < folds:
        raise TrainingError(f"too few rows of each class for {folds} folds")
    started = time.perf_counter()
    encoder = CategoryEncoder.fit(features, categorical=categorical)
    matrix = encoder.transform(features)
    constraints = monotone_constraints(encoder.feature_names, monotone_directions or {})
    model_params = _model_params(seed, constraints, params)
    booster_names = _booster_feature_names(encoder.feature_names)
    full = lgb.Dataset(
        matrix,
        label=y,
        feature_name=booster_names,
        categorical_feature=encoder.categorical_indices,
        params=model_params,
        free_raw_data=False,
    ).construct()

    oof_raw = np.zeros(len(y), dtype=np.float64)
    fold_reports: list[dict[str, Any]] = []
    for number, (train_idx, valid_idx) in enumerate(make_folds(y, folds=folds, seed=seed), 1):
        fold_started = time.perf_counter()
        # LightGBM's subset() is annotated (and sorts) a list of ints.
        train_set = full.subset(train_idx.tolist())
        valid_set = full.subset(valid_idx.tolist())
        booster = lgb.train(
            model_params,
            train_set,
            num_boost_round=MAX_BOOST_ROUNDS,
            valid_sets=[valid_set],
            valid_names=["valid"],
            callbacks=[lgb.early_stopping(early_stopping_rounds, verbose=False)],
        )
        best = max(1, booster.best_iteration)
        oof_raw[valid_idx] = booster.predict(matrix[valid_idx], raw_score=True, num_iteration=best)
        fold_auc = _auc(y[valid_idx], oof_raw[valid_idx])
        seconds = time.perf_counter() - fold_started
        fold_reports.append({"fold": number, "auc": fold_auc, "best_iteration": best})
        progress(
            f"fold {number}/{folds}: AUC {fold_auc:.4f}, best iteration {best}, {seconds:.1f} s"
        )

    rounds = int(round(np.mean([f["best_iteration"] for f in fold_reports])))
    final_started = time.perf_counter()
    booster = lgb.train(model_params, full, num_boost_round=rounds)
    progress(
        f"final model: {rounds} trees on {len(y)} rows, {time.perf_counter() - final_started:.1f} s"
    )

    oof_uncalibrated = sigmoid(oof_raw)
    calibrator = fit_calibrator(oof_uncalibrated, y)
    oof_probability = calibrator.transform_log_odds(oof_raw)
    choice = choose_threshold(y, oof_probability, cost_fn=cost_fn, cost_fp=cost_fp)
    oof_auc = _auc(y, oof_raw)
    training_seconds = time.perf_counter() - started
    progress(
        f"OOF AUC {oof_auc:.4f}; threshold {choice.threshold:.4f}: cost per client "
        f"{choice.cost_per_client:.4f} (at 0.5: {choice.cost_at_05_per_client:.4f}, "
        f"refusing nobody: {choice.cost_refuse_nobody_per_client:.4f})"
    )

    rng = np.random.default_rng(seed)
    sample_rows = stratified_sample(y, REFERENCE_SAMPLE_ROWS, rng)
    reference_sample = features.iloc[sample_rows].copy()
    reference_sample[TARGET] = y[sample_rows]
    reference_sample[OOF_PROBABILITY] = oof_probability[sample_rows]
    for name in kept_attributes:  # not features: what fairness monitoring groups by
        reference_sample[name] = source[name].iloc[sample_rows].to_numpy()
    importance_rows = sample_rows[:IMPORTANCE_SAMPLE_ROWS]
    importance = global_importance(booster, matrix[importance_rows], encoder.feature_names)

    metadata: dict[str, Any] = {
        "format": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "features": [
            {
                "name": name,
                "dtype": "category" if name in encoder.categories else "float64",
                "booster_name": booster_name,
            }
            for name, booster_name in zip(encoder.feature_names, booster_names, strict=True)
        ],
        "categorical_features": encoder.categorical_names,
        "threshold": choice.threshold,
        "cost_weights": {"cost_fn": float(cost_fn), "cost_fp": float(cost_fp)},
        "decision_rule": "refused if calibrated probability >= threshold, else granted",
        "excluded_attributes": [
            {
                "attribute": name,
                "reason": exclusion_reason(name),
                "features": [f for f in excluded_features([name]) if f in excluded],
            }
            for name in excluded_attributes
        ],
        "monotone_constraints": {
            "method": model_params.get("monotone_constraints_method"),
            "method_reason": MONOTONE_METHOD_REASON
            if model_params.get("monotone_constraints_method") == MONOTONE_METHOD
            else None,
            "features": [
                {"name": name, "direction": direction, "reason": monotone_reason(name)}
                for name, direction in zip(encoder.feature_names, constraints, strict=True)
                if direction
            ],
        },
        "model": {
            "library": "lightgbm",
            # The constraints are listed by name above (and in model.txt).
            "params": {k: v for k, v in model_params.items() if k != "monotone_constraints"},
            "num_boost_round": rounds,
            "folds": folds,
            "seed": seed,
            "early_stopping_rounds": early_stopping_rounds,
            "imbalance_strategy": IMBALANCE_STRATEGY,
        },
        "calibration": {
            "method": calibrator.method,
            "params": calibrator.params,
            "choice": CALIBRATION_CHOICE,
        },
        "metrics": {
            "oof_auc": oof_auc,
            "fold_aucs": [f["auc"] for f in fold_reports],
            "fold_best_iterations": [f["best_iteration"] for f in fold_reports],
            "cost": choice.as_dict(),
            "bayes_threshold": bayes_threshold(cost_fn=cost_fn, cost_fp=cost_fp),
            "confusion": choice.confusion.as_dict(),
            "confusion_at_05": confusion_at(y, oof_probability, 0.5).as_dict(),
            "brier_before": brier(y, oof_uncalibrated),
            "brier_after": brier(y, oof_probability),
            "ece_before": expected_calibration_error(y, oof_uncalibrated),
            "ece_after": expected_calibration_error(y, oof_probability),
            "reliability_before": reliability_table(y, oof_uncalibrated).to_dict("records"),
            "reliability_after": reliability_table(y, oof_probability).to_dict("records"),
            "default_rate": float(y.mean()),
            "refusal_rate": choice.refusal_rate,
        },
        "data": {
            **(data_info or {"hash": frame_hash(features), "rows": {}}),
            "training_rows": int(len(y)),
            "defaults": int(y.sum()),
        },
        "git_commit": git_commit(),
        "libraries": library_versions(),
        "global_importance": importance,
        "reference_statistics": reference_statistics(features, encoder),
        "fairness": fairness_report(
            source,
            application,
            y,
            oof_probability,
            choice.threshold,
            cost_fn,
            cost_fp,
            attributes=list(dict.fromkeys(["CODE_GENDER", *excluded_attributes])),
        ),
        "timings": {
            "feature_seconds": feature_seconds,
            "training_seconds": training_seconds,
        },
    }
    progress(f"training done in {time.perf_counter() - started:.1f} s")
    return TrainingResult(
        booster=booster,
        encoder=encoder,
        calibrator=calibrator,
        threshold=choice,
        metadata=metadata,
        reference_sample=reference_sample,
        oof_raw_score=oof_raw,
        oof_probability=oof_probability,
        target=y,
        feature_index=features.index,
    )


# -- pieces -----------------------------------------------------------------------------------


def _check_target(target: np.ndarray) -> np.ndarray:
    values = pd.Series(np.asarray(target))
    if values.isna().any():
        raise TrainingError(f"TARGET is missing on {int(values.isna().sum())} row(s)")
    if not values.isin([0, 1]).all():
        bad = values[~values.isin([0, 1])].iloc[0]
        raise TrainingError(f"TARGET must be 0 or 1, found {bad!r}")
    y = values.to_numpy().astype(np.int64)
    if len(np.unique(y)) < 2:
        raise TrainingError("TARGET holds a single class: nothing to learn")
    return y


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    if len(np.unique(y)) < 2:
        return None
    return float(roc_auc_score(y, score))


def _model_params(
    seed: int, constraints: list[int], params: dict[str, Any] | None
) -> dict[str, Any]:
    """LightGBM parameters: the defaults, the monotone constraints, then the caller's overrides."""
    model_params: dict[str, Any] = {**DEFAULT_PARAMS, "seed": seed}
    if any(constraints):
        model_params["monotone_constraints"] = constraints
        model_params["monotone_constraints_method"] = MONOTONE_METHOD
    model_params.update(params or {})
    return model_params


def _booster_feature_names(names: list[str]) -> list[str]:
    """LightGBM refuses JSON special characters in names; the encoder keeps the real ones."""
    cleaned = [re.sub(r"[^0-9A-Za-z_]", "_", name) for name in names]
    if len(set(cleaned)) != len(cleaned):
        return [f"f{i}_{name}" for i, name in enumerate(cleaned)]
    return cleaned


def stratified_sample(y: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Row positions of a sample keeping the class shares of y, shuffled."""
    if size >= len(y):
        return rng.permutation(len(y))
    chosen = []
    for label in (0, 1):
        rows = np.flatnonzero(y == label)
        take = int(round(size * len(rows) / len(y)))
        chosen.append(rng.choice(rows, size=min(take, len(rows)), replace=False))
    return rng.permutation(np.concatenate(chosen))


def global_importance(
    booster: lgb.Booster, matrix: np.ndarray, feature_names: list[str]
) -> dict[str, float]:
    """Mean |SHAP value| per feature (log-odds), most important first."""
    # predict() may answer a sparse matrix or a list for sparse input; ours is dense.
    contributions = np.asarray(booster.predict(matrix, pred_contrib=True))[:, :-1]
    mean_abs = np.abs(contributions).mean(axis=0)
    order = np.argsort(-mean_abs, kind="stable")
    return {feature_names[i]: float(mean_abs[i]) for i in order}


def reference_statistics(features: pd.DataFrame, encoder: CategoryEncoder) -> dict[str, Any]:
    """Per-feature statistics of the training data, the baseline of drift reports."""
    stats: dict[str, Any] = {}
    for name in encoder.feature_names:
        column = features[name]
        missing_rate = float(column.isna().mean())
        if name in encoder.categories:
            counts = column.dropna().astype(str).value_counts()
            total = max(int(counts.sum()), 1)
            stats[name] = {
                "kind": "categorical",
                "missing_rate": missing_rate,
                "frequencies": {str(k): float(v / total) for k, v in counts.items()},
            }
            continue
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
        present = values[~np.isnan(values)]
        if len(present) == 0:
            stats[name] = {"kind": "numeric", "missing_rate": missing_rate, "mean": None}
            continue
        quantiles = np.quantile(present, QUANTILES)
        stats[name] = {
            "kind": "numeric",
            "missing_rate": missing_rate,
            "mean": float(present.mean()),
            "std": float(present.std()),
            "quantiles": {f"{q:g}": float(v) for q, v in zip(QUANTILES, quantiles, strict=True)},
        }
    return stats


def age_band(days_birth: pd.Series) -> pd.Series:
    """Kaggle's DAYS_BIRTH (negative days) to the bands of the fairness report."""
    years = -pd.to_numeric(days_birth, errors="coerce") / 365.25
    bands = pd.Series("unknown", index=days_birth.index, dtype=object)
    for low, high, label in AGE_BANDS:
        bands[(years >= low) & (years < high)] = label
    return bands


def fairness_report(
    features: pd.DataFrame,
    application: pd.DataFrame | None,
    y: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    cost_fn: float,
    cost_fp: float,
    attributes: Sequence[str] = ("CODE_GENDER",),
) -> dict[str, list[dict[str, Any]]]:
    """Per group (each of `attributes`, then age band): rows, default/refusal rates, AUC, FN/FP.

    `attributes`: application columns to group by (gender and the excluded
    attributes when training); the ones absent from the data are skipped.
    """
    source = application if application is not None else features
    groupings: dict[str, pd.Series] = {}
    for name in attributes:
        if name in source.columns:
            groupings[name] = source[name].fillna("unknown").astype(str)
    if "DAYS_BIRTH" in source.columns:
        groupings["age_band"] = age_band(source["DAYS_BIRTH"])
    refused = probability >= threshold
    report: dict[str, list[dict[str, Any]]] = {}
    for grouping, labels in groupings.items():
        labels_array = labels.to_numpy()
        rows = []
        order = [b[2] for b in AGE_BANDS] + ["unknown"] if grouping == "age_band" else None
        levels = order if order else sorted(pd.unique(labels_array))
        for level in levels:
            mask = labels_array == level
            count = int(mask.sum())
            if count == 0:
                continue
            yg, rg = y[mask], refused[mask]
            positives, negatives = int(yg.sum()), int((1 - yg).sum())
            fn = int(np.sum(~rg & (yg == 1)))
            fp = int(np.sum(rg & (yg == 0)))
            rows.append(
                {
                    "group": str(level),
                    "rows": count,
                    "default_rate": float(yg.mean()),
                    "refusal_rate": float(rg.mean()),
                    "mean_probability": float(probability[mask].mean()),
                    "auc": _auc(yg, probability[mask]),
                    "fn_rate": fn / positives if positives else None,
                    "fp_rate": fp / negatives if negatives else None,
                    "cost_per_client": (cost_fn * fn + cost_fp * fp) / count,
                }
            )
        report[grouping] = rows
    return report


def tables_hash(tables: dict[str, pd.DataFrame]) -> str:
    """Content hash of tables held in memory (when no input files are known)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        digest.update(frame_hash(tables[name]).encode())
    return digest.hexdigest()


def frame_hash(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def git_commit() -> str:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return completed.stdout.strip() or "unknown"


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name, distribution in (
        ("lightgbm", "lightgbm"),
        ("numpy", "numpy"),
        ("pandas", "pandas"),
        ("sklearn", "scikit-learn"),
        ("shap", "shap"),
        ("pyarrow", "pyarrow"),
    ):
        try:
            versions[name] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
