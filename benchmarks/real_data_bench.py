"""Our scoring pipeline against a default LightGBM, on REAL Home Credit rows.

    .venv/bin/python benchmarks/real_data_bench.py [--folds 5] [--seed 0]
        [--holdout 0.2 | --no-holdout] [--param learning_rate=0.05 ...] [--json OUT]
        [--rows N]  (N < 30,752: a quick smoke run on a stratified subset)

Data: ../shared/data/homecredit/gitadum__credit_risk_rating/application_train.csv.gz
(30,752 real rows, every 10th row of Kaggle's application_train; application
table only, so the history features are all missing here).

In the same run, on the same stratified folds (features built once):
1. baseline: `lightgbm.LGBMClassifier()` with its default parameters on the
   raw application columns (text columns as pandas `category`), out-of-fold;
2. our pipeline (`ml.train.train_on_features`: engineered features,
   regularised parameters, early stopping, Platt calibration) in the variants
   of issue 9, each with its OOF AUC, business cost per client (10·FN + 1·FP
   by default) at its chosen threshold, Brier score after calibration, refusal
   rate of women and men, and a monotonicity check:
     a0  as before issue 9: every column (gender and family status included),
         plus the spread of the external scores, no monotone constraints
     a   every column, no constraints
     b   without gender
     c-* without gender, with the monotone constraints of ml.policy, for each
         LightGBM method (basic, intermediate, advanced)
     d   without gender and family status, no constraints
     default  ml.policy's defaults (without gender and family status,
         constraints with its method): what `train_model` ships
   The monotonicity check moves each constrained feature present in these
   rows (the external scores and their statistics, credit and annuity to
   income: the history features are all missing here) along 9 quantiles of
   its known values for 500 rows, everything else fixed, and counts the
   (row, feature) pairs where the raw score steps the wrong way at least once;
3. for the default variant, the business cost at the chosen threshold vs at
   0.5 vs refusing nobody, and the latency of one application through the
   saved artifact.
Then, unless --no-holdout, the honest check: the baseline and the default
variant trained on a stratified 80% and scored on the 20% they never saw,
ours at its stored threshold (chosen on the training part only).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# As ml/__init__.py does, before lightgbm loads OpenMP (spinning threads: 9x slower when shared).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from ml.artifact import save_artifact  # noqa: E402
from ml.dataset import load_tables  # noqa: E402
from ml.evaluate import evaluate_predictions  # noqa: E402
from ml.features import CATEGORICAL_FEATURES, build_features  # noqa: E402
from ml.features.application import EXT_SOURCES  # noqa: E402
from ml.policy import (  # noqa: E402
    EXCLUDED_ATTRIBUTES,
    MONOTONE_DIRECTIONS,
    MONOTONE_METHOD,
)
from ml.predict import load_model  # noqa: E402
from ml.threshold import choose_threshold  # noqa: E402
from ml.train import (  # noqa: E402
    EARLY_STOPPING_ROUNDS,
    TrainingResult,
    make_folds,
    train_model,
    train_on_features,
)

REAL_DIR = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "data"
    / "homecredit"
    / "gitadum__credit_risk_rating"
)


def baseline_frame(application: pd.DataFrame) -> pd.DataFrame:
    """Raw application columns, text as pandas category (LightGBM's native handling)."""
    frame = application.drop(columns=["SK_ID_CURR", "TARGET"])
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].astype("category")
    return frame


def baseline_model() -> lgb.LGBMClassifier:
    return lgb.LGBMClassifier(n_jobs=2, verbose=-1)  # defaults: 100 trees, lr 0.1, 31 leaves


def baseline_oof(frame: pd.DataFrame, y: np.ndarray, folds) -> np.ndarray:
    oof = np.zeros(len(y))
    for train_idx, valid_idx in folds:
        model = baseline_model().fit(frame.iloc[train_idx], y[train_idx])
        oof[valid_idx] = model.predict_proba(frame.iloc[valid_idx])[:, 1]
    return oof


GENDER = ("CODE_GENDER",)
SPREAD = "APP_EXT_SOURCE_STD"  # the feature issue 9 removed, rebuilt here for variant a0


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    excluded: tuple[str, ...]
    constrained: bool = False
    method: str | None = None
    with_spread: bool = False


VARIANTS = (
    Variant("a0", "as before: all columns + score spread", (), with_spread=True),
    Variant("a", "all columns (gender, family status)", ()),
    Variant("b", "without gender", GENDER),
    Variant("c-basic", "without gender, constraints basic", GENDER, True, "basic"),
    Variant(
        "c-intermediate", "without gender, constraints intermediate", GENDER, True, "intermediate"
    ),
    Variant("c-advanced", "without gender, constraints advanced", GENDER, True, "advanced"),
    Variant("d", "without gender and family status", ("CODE_GENDER", "NAME_FAMILY_STATUS")),
    Variant(
        "default",
        f"ml.policy defaults ({MONOTONE_METHOD})",
        EXCLUDED_ATTRIBUTES,
        True,
        MONOTONE_METHOD,
    ),
)


def external_score_spread(application: pd.DataFrame) -> np.ndarray:
    """Standard deviation of the known external scores (NaN with fewer than 2), as before."""
    scores = application[list(EXT_SOURCES)].to_numpy(dtype=np.float64)
    known = (~np.isnan(scores)).sum(axis=1)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows with 0 or 1 known score
        spread = np.nanstd(scores, axis=1, ddof=1)
    return np.where(known > 1, spread, np.nan)


def train_variant(
    variant: Variant,
    features: pd.DataFrame,
    application: pd.DataFrame,
    y: np.ndarray,
    args: argparse.Namespace,
    params: dict | None,
    costs: dict,
) -> TrainingResult:
    if variant.with_spread:
        features = features.assign(**{SPREAD: external_score_spread(application)})
    variant_params = dict(params or {})
    if variant.constrained:
        variant_params["monotone_constraints_method"] = variant.method
    return train_on_features(
        features,
        y,
        application=application,
        categorical=[name for name in CATEGORICAL_FEATURES if name in features.columns],
        folds=args.folds,
        seed=args.seed,
        params=variant_params or None,
        early_stopping_rounds=args.early_stopping,
        progress=lambda message: None,
        excluded_attributes=variant.excluded,
        monotone_directions=MONOTONE_DIRECTIONS if variant.constrained else None,
        **costs,
    )


def wrong_way_steps(
    result: TrainingResult, features: pd.DataFrame, rows: int = 500, seed: int = 0
) -> dict:
    """Pairs (row, constrained feature) whose raw score moves against the feature's direction.

    Every feature of `MONOTONE_DIRECTIONS` that the model has and that holds at
    least two known values is set, for `rows` random rows, to 9 quantiles of its
    known values in turn (known values only: see ml.policy on missing values).
    """
    names = result.encoder.feature_names
    checked = [
        name
        for name in MONOTONE_DIRECTIONS
        if name in names and features[name].dropna().nunique() > 1
    ]
    chosen = np.random.default_rng(seed).choice(len(features), min(rows, len(features)), False)
    matrix = result.encoder.transform(features.iloc[chosen].reindex(columns=names))
    pairs, worst = 0, 0.0
    for name in checked:
        grid = np.unique(np.quantile(features[name].dropna(), np.linspace(0, 1, 9)))
        column = names.index(name)
        raw = []
        for value in grid:
            changed = matrix.copy()
            changed[:, column] = value
            raw.append(result.booster.predict(changed, raw_score=True))
        steps = np.diff(np.column_stack(raw), axis=1) * MONOTONE_DIRECTIONS[name]
        pairs += int((steps.min(axis=1) < -1e-12).sum())
        worst = max(worst, float(-steps.min()))
    return {
        "features_checked": checked,
        "pairs": len(checked) * len(chosen),
        "wrong_way_pairs": pairs,
        "worst_wrong_way_step": worst,
    }


def refusal_by_gender(result: TrainingResult) -> dict[str, float]:
    return {
        row["group"]: row["refusal_rate"]
        for row in result.metadata["fairness"].get("CODE_GENDER", [])
        if row["group"] in ("F", "M")
    }


def _median_ms(action, repeat: int = 200) -> float:
    action()  # warm-up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return float(np.median(timings) * 1000)


def measure_latency(result, application: pd.DataFrame) -> dict[str, float]:
    """One application through the saved artifact: the serving path's figures."""
    with tempfile.TemporaryDirectory() as tmp:
        model = load_model(save_artifact(result, Path(tmp) / "artifact"))
    one = {"application": application.iloc[[123]].drop(columns=["TARGET"])}
    features = model.features(one)
    base = baseline_model().fit(baseline_frame(application), application["TARGET"])
    base_row = baseline_frame(application).iloc[[123]]
    return {
        "features_ms": _median_ms(lambda: model.features(one), repeat=50),
        "predict_ms": _median_ms(lambda: model.predict(features)),
        "explain_ms": _median_ms(lambda: model.explain(features)),
        "baseline_predict_ms": _median_ms(lambda: base.predict_proba(base_row)),
    }


def print_variants(variants: dict[str, dict]) -> None:
    without_gender = variants["b"]["oof_auc"]
    print()
    print(
        f"{'variant':<15} {'features':>8} {'OOF AUC':>8} {'vs b':>8} {'cost/cl':>8} "
        f"{'thresh':>7} {'Brier':>7} {'refused F/M':>13} {'wrong-way pairs':>17} {'worst':>6} "
        f"{'trees':>5} {'s':>5}"
    )
    for key, v in variants.items():
        gender = v["refusal_rate_by_gender"]
        refused = f"{gender.get('F', float('nan')):.1%}/{gender.get('M', float('nan')):.1%}"
        mono = v["monotonicity"]
        wrong = f"{mono['wrong_way_pairs']}/{mono['pairs']}"
        print(
            f"{key:<15} {v['features']:>8} {v['oof_auc']:>8.4f} "
            f"{v['oof_auc'] - without_gender:>+8.4f} {v['cost_per_client']:>8.4f} "
            f"{v['threshold']:>7.4f} {v['brier_after']:>7.4f} {refused:>13} {wrong:>17} "
            f"{mono['worst_wrong_way_step']:>6.3f} {v['trees']:>5} {v['seconds']:>5.0f}"
        )
    print(
        "\nvs b: OOF AUC minus that of b (without gender, no constraints). wrong-way pairs: "
        "(row, constrained feature) pairs whose raw score steps against the feature's "
        "direction somewhere on 9 quantiles of its known values; worst: the largest such "
        "step (log-odds). Features checked: "
        + ", ".join(variants["b"]["monotonicity"]["features_checked"])
    )
    for key in ("c-basic", "c-intermediate", "c-advanced"):
        loss = without_gender - variants[key]["oof_auc"]
        verdict = "keep (loss under 0.003)" if loss < 0.003 else "drop (loss of 0.003 or more)"
        print(f"constraints {key[2:]:<12}: AUC loss vs b {loss:+.4f} -> {verdict}")
    family = variants["b"]["oof_auc"] - variants["d"]["oof_auc"]
    print(f"family status adds {family:+.4f} AUC (b vs d, both without gender, no constraints)")
    spread = variants["a0"]["oof_auc"] - variants["a"]["oof_auc"]
    print(f"the external-score spread adds {spread:+.4f} AUC (a0 vs a)")


def _parse_params(pairs: list[str]) -> dict[str, float | int | str]:
    params: dict[str, float | int | str] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        for cast in (int, float):
            try:
                params[key] = cast(value)
                break
            except ValueError:
                continue
        else:
            params[key] = value
    return params


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REAL_DIR)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cost-fn", type=float, default=10.0)
    parser.add_argument("--cost-fp", type=float, default=1.0)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--no-holdout", action="store_true")
    parser.add_argument("--param", action="append", default=[], help="override, KEY=VALUE")
    parser.add_argument("--early-stopping", type=int, default=EARLY_STOPPING_ROUNDS)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--rows", type=int, default=None, help="stratified subset (smoke run)")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"real samples not found at {args.data}: nothing to measure", file=sys.stderr)
        return 1
    params = _parse_params(args.param) or None
    costs = {"cost_fn": args.cost_fn, "cost_fp": args.cost_fp}

    tables = load_tables(args.data)  # application_train only (no history files there)
    application = tables["application"]
    if args.rows and args.rows < len(application):
        application, _ = train_test_split(
            application,
            train_size=args.rows,
            stratify=application["TARGET"],
            random_state=args.seed,
        )
        application = application.reset_index(drop=True)
        tables = {"application": application}
    y = application["TARGET"].to_numpy().astype(int)
    print(
        f"{len(y):,} real applications, {y.mean():.2%} defaults, {args.folds} folds; "
        f"load average at start {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
        f"{os.getloadavg()[2]:.2f}"
    )
    folds = make_folds(y, folds=args.folds, seed=args.seed)

    started = time.perf_counter()
    base_oof = baseline_oof(baseline_frame(application), y, folds)
    base_seconds = time.perf_counter() - started
    base_auc = roc_auc_score(y, base_oof)
    base_choice = choose_threshold(y, base_oof, **costs)
    print(f"baseline OOF AUC {base_auc:.4f} ({base_seconds:.0f} s)", flush=True)

    features = build_features(tables)
    variants: dict[str, dict] = {}
    results: dict[str, TrainingResult] = {}
    for variant in VARIANTS:
        started = time.perf_counter()
        result = train_variant(variant, features, application, y, args, params, costs)
        seconds = time.perf_counter() - started
        results[variant.key] = result
        metrics = result.metadata["metrics"]
        variants[variant.key] = {
            "label": variant.label,
            "excluded_attributes": list(variant.excluded),
            "monotone_method": variant.method if variant.constrained else None,
            "features": len(result.encoder.feature_names),
            "oof_auc": metrics["oof_auc"],
            "fold_aucs": metrics["fold_aucs"],
            "threshold": result.threshold.threshold,
            "cost_per_client": result.threshold.cost_per_client,
            "brier_after": metrics["brier_after"],
            "refusal_rate": result.threshold.refusal_rate,
            "refusal_rate_by_gender": refusal_by_gender(result),
            "monotonicity": wrong_way_steps(result, features, seed=args.seed),
            "trees": result.metadata["model"]["num_boost_round"],
            "seconds": seconds,
        }
        print(
            f"{variant.key:<15} OOF AUC {metrics['oof_auc']:.4f}, cost/client "
            f"{result.threshold.cost_per_client:.4f} ({seconds:.0f} s)",
            flush=True,
        )
    print_variants(variants)

    result = results["default"]
    ours_seconds = variants["default"]["seconds"]
    metrics = result.metadata["metrics"]
    ours = result.threshold

    rows = [
        ("OOF AUC", f"{base_auc:.4f}", f"{metrics['oof_auc']:.4f}"),
        (
            "AUC per fold",
            " ".join(f"{roc_auc_score(y[v], base_oof[v]):.3f}" for _, v in folds),
            " ".join(f"{a:.3f}" for a in metrics["fold_aucs"]),
        ),
        (
            "Brier (ours: calibrated)",
            f"{np.mean((base_oof - y) ** 2):.4f}",
            f"{metrics['brier_after']:.4f}",
        ),
        (
            "cost/client at 0.5",
            f"{base_choice.cost_at_05_per_client:.4f}",
            f"{ours.cost_at_05_per_client:.4f}",
        ),
        (
            "cost/client at best threshold",
            f"{base_choice.cost_per_client:.4f} (t={base_choice.threshold:.3f})",
            f"{ours.cost_per_client:.4f} (t={ours.threshold:.3f})",
        ),
        (
            "cost/client refusing nobody",
            f"{ours.cost_refuse_nobody_per_client:.4f}",
            f"{ours.cost_refuse_nobody_per_client:.4f}",
        ),
        (
            "refusal rate at threshold",
            f"{base_choice.refusal_rate:.2%}",
            f"{ours.refusal_rate:.2%}",
        ),
        ("seconds", f"{base_seconds:.0f}", f"{ours_seconds:.0f}"),
    ]
    report: dict = {
        "variants": variants,
        "rows": len(y),
        "folds": args.folds,
        "seed": args.seed,
        "params_override": params,
        "early_stopping_rounds": args.early_stopping,
        "baseline": {
            "oof_auc": base_auc,
            "cost_at_05_per_client": base_choice.cost_at_05_per_client,
            "cost_at_best_threshold_per_client": base_choice.cost_per_client,
            "seconds": base_seconds,
        },
        "ours": {
            "oof_auc": metrics["oof_auc"],
            "fold_aucs": metrics["fold_aucs"],
            "threshold": ours.threshold,
            "cost_per_client": ours.cost_per_client,
            "cost_at_05_per_client": ours.cost_at_05_per_client,
            "cost_refuse_nobody_per_client": ours.cost_refuse_nobody_per_client,
            "brier_before": metrics["brier_before"],
            "brier_after": metrics["brier_after"],
            "seconds": ours_seconds,
        },
    }

    latency = measure_latency(result, application)
    rows += [
        ("1-row build_features (ms)", "-", f"{latency['features_ms']:.2f}"),
        (
            "1-row predict (ms)",
            f"{latency['baseline_predict_ms']:.2f} (DataFrame + category)",
            f"{latency['predict_ms']:.2f} (float matrix)",
        ),
        ("1-row explain, pred_contrib (ms)", "-", f"{latency['explain_ms']:.2f}"),
    ]
    report["latency_ms"] = latency

    if not args.no_holdout:
        train_part, test_part = train_test_split(
            application, test_size=args.holdout, stratify=y, random_state=args.seed
        )
        y_test = test_part["TARGET"].to_numpy().astype(int)
        base = baseline_model().fit(baseline_frame(train_part), train_part["TARGET"])
        base_test = base.predict_proba(baseline_frame(test_part))[:, 1]
        held = train_model(
            {"application": train_part.reset_index(drop=True)},
            folds=args.folds,
            seed=args.seed,
            params=params,
            early_stopping_rounds=args.early_stopping,
            progress=lambda message: None,
            **costs,
        )
        test_features = build_features({"application": test_part.reset_index(drop=True)})
        raw = held.booster.predict(held.encoder.transform(test_features), raw_score=True)
        probability = held.calibrator.transform_log_odds(raw)
        evaluation = evaluate_predictions(
            y_test, probability, threshold=held.threshold.threshold, **costs
        )
        base_eval = evaluate_predictions(y_test, base_test, threshold=0.5, **costs)
        rows += [
            ("HOLD-OUT rows", f"{len(y_test):,}", f"{len(y_test):,}"),
            ("hold-out AUC", f"{base_eval['auc']:.4f}", f"{evaluation['auc']:.4f}"),
            (
                "hold-out cost/client at 0.5",
                f"{base_eval['cost_per_client']:.4f}",
                f"{evaluation['cost_at_05_per_client']:.4f}",
            ),
            (
                "hold-out cost/client, stored threshold",
                "-",
                f"{evaluation['cost_per_client']:.4f} (t={evaluation['threshold']:.3f})",
            ),
            (
                "hold-out cost/client refusing nobody",
                f"{evaluation['cost_refuse_nobody_per_client']:.4f}",
                f"{evaluation['cost_refuse_nobody_per_client']:.4f}",
            ),
            ("hold-out Brier", f"{base_eval['brier']:.4f}", f"{evaluation['brier']:.4f}"),
        ]
        report["holdout"] = {
            "rows": len(y_test),
            "baseline_auc": base_eval["auc"],
            "baseline_cost_at_05_per_client": base_eval["cost_per_client"],
            "ours_auc": evaluation["auc"],
            "ours_threshold": evaluation["threshold"],
            "ours_cost_per_client": evaluation["cost_per_client"],
            "ours_cost_at_05_per_client": evaluation["cost_at_05_per_client"],
            "cost_refuse_nobody_per_client": evaluation["cost_refuse_nobody_per_client"],
            "ours_brier": evaluation["brier"],
        }

    width = max(len(r[0]) for r in rows)
    col = max(len(r[1]) for r in rows)
    print()
    print(f"{'':<{width}}  {'baseline (defaults)':<{col}}  ours (default variant)")
    for label, base_value, ours_value in rows:
        print(f"{label:<{width}}  {base_value:<{col}}  {ours_value}")
    print(
        f"\nAUC gain over the baseline: {metrics['oof_auc'] - base_auc:+.4f} (OOF); "
        f"cost per client at our threshold vs at 0.5: "
        f"{ours.cost_per_client / ours.cost_at_05_per_client:.2f}x"
    )
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
        print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
