"""Our scoring pipeline against a default LightGBM, on REAL Home Credit rows.

    .venv/bin/python benchmarks/real_data_bench.py [--folds 5] [--seed 0]
        [--holdout 0.2 | --no-holdout] [--param learning_rate=0.05 ...] [--json OUT]

Data: ../shared/data/homecredit/gitadum__credit_risk_rating/application_train.csv.gz
(30,752 real rows, every 10th row of Kaggle's application_train; application
table only, so the history features are all missing here).

In the same run, on the same stratified folds:
(a) baseline: `lightgbm.LGBMClassifier()` with its default parameters on the
    raw application columns (text columns as pandas `category`), out-of-fold;
(b) our pipeline (`ml.train.train_model`: engineered features, regularised
    parameters, early stopping, Platt calibration), out-of-fold;
(c) our business cost (10·FN + 1·FP by default) at the chosen threshold vs at
    0.5 vs refusing nobody, per client.
Then, unless --no-holdout, the honest check: both trained on a stratified
80% and scored on the 20% they never saw, ours at its stored threshold (the
threshold is chosen on the training part only).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
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
from ml.features import build_features  # noqa: E402
from ml.predict import load_model  # noqa: E402
from ml.threshold import choose_threshold  # noqa: E402
from ml.train import EARLY_STOPPING_ROUNDS, make_folds, train_model  # noqa: E402

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
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"real samples not found at {args.data}: nothing to measure", file=sys.stderr)
        return 1
    params = _parse_params(args.param) or None
    costs = {"cost_fn": args.cost_fn, "cost_fp": args.cost_fp}

    tables = load_tables(args.data)  # application_train only (no history files there)
    application = tables["application"]
    y = application["TARGET"].to_numpy().astype(int)
    print(f"{len(y):,} real applications, {y.mean():.2%} defaults, {args.folds} folds")
    folds = make_folds(y, folds=args.folds, seed=args.seed)

    started = time.perf_counter()
    base_oof = baseline_oof(baseline_frame(application), y, folds)
    base_seconds = time.perf_counter() - started
    base_auc = roc_auc_score(y, base_oof)
    base_choice = choose_threshold(y, base_oof, **costs)
    print(f"baseline OOF AUC {base_auc:.4f} ({base_seconds:.0f} s)", flush=True)

    started = time.perf_counter()
    result = train_model(
        tables,
        folds=args.folds,
        seed=args.seed,
        params=params,
        early_stopping_rounds=args.early_stopping,
        **costs,
    )
    ours_seconds = time.perf_counter() - started
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
    print(f"{'':<{width}}  {'baseline (defaults)':<{col}}  ours")
    for label, base_value, ours_value in rows:
        print(f"{label:<{width}}  {base_value:<{col}}  {ours_value}")
    print(
        f"\nAUC gain over the baseline: {metrics['oof_auc'] - base_auc:+.4f} (OOF); "
        f"cost per client at our threshold vs at 0.5: "
        f"{ours.cost_per_client / ours.cost_at_05_per_client:.2f}x"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
        print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
