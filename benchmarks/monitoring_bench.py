"""Time and peak memory of the monitoring computations (`ml.monitoring`) on N current rows.

    .venv/bin/python benchmarks/monitoring_bench.py [--rows 50000] [--seed 0]
        [--reference-rows 5000] [--n-boot 200] [--fairlearn-boot 10] [--artifact DIR]

The data (built once, then each measurement runs in a fresh child process so
that its peak memory is its own):

* features: the real application sample (../shared/data/homecredit/…
  application_train, 30,752 rows, and application_test, 48,744 rows) through
  `ml.features.build_features`, application table only, so the history
  features are entirely missing and left out of the drift report (148 of
  492 columns compared), as in the `python -m ml.monitoring drift` command.
  Without the samples: `ml.synthetic` clients (application table only).
* reference: `--reference-rows` stratified training rows, like the artifact's
  reference sample; current: `--rows` rows drawn with replacement from the
  test applications (the test file has 48,744: some appear twice);
* probabilities: with `--artifact DIR`, that model's (reference = its
  reference sample, importance = its mean |SHAP|, its threshold); otherwise
  a stand-in: a logistic regression on six application features, with
  out-of-fold probabilities for the reference and a cost-optimal threshold
  (10:1), and |Spearman correlation with TARGET| as the importance. The
  computations timed do not depend on the model's quality;
* outcomes of the current rows are drawn from their probabilities (seeded),
  timestamps spread over eight weeks, 3% of decisions overridden.

Measurements (wall time, CPU time of the child, peak resident memory of the
child and what the call added to it over the loaded data: the kernel's
high-water mark VmHWM, reset just before the call, so the figures count
numpy buffers and C code that tracemalloc would miss):

* ours: `drift_report` (Evidently run + our summary + HTML), then its HTML
  gzip-compressed as monitoring/drift.py stores it; baseline: a
  bare `Report([DataDriftPreset()]).run(reference_data=…, current_data=…)`
  on the same compared columns, then its HTML;
* ours: `fairness_report` with `--n-boot` stratified resamples; baseline:
  fairlearn's `MetricFrame` with the same metrics and its own bootstrap,
  `n_boot=--fairlearn-boot` resamples, scaled to `--n-boot`;
* PSI of the probabilities and of the 20 most important features; expected
  (CBPE) and realised performance, overall and per week; stability per day.

Plus Evidently's first import in a fresh process (paid once per worker). No
timing is asserted. The machine is shared: the load average is printed at the
start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT.parent / "shared" / "data" / "homecredit" / "gitadum__credit_risk_rating"
STAND_IN_FEATURES = (
    "APP_EXT_SOURCE_MEAN",
    "APP_EXT_SOURCE_MIN",
    "APP_CREDIT_TERM",
    "APP_AGE_YEARS",
    "APP_EMPLOYED_TO_AGE",
    "APP_ANNUITY_TO_INCOME",
)


# -- data ---------------------------------------------------------------------------------


def load_features(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(train features with TARGET, test features, description of the source)."""
    from ml import schema
    from ml.dataset import read_table
    from ml.features import build_features

    if (SAMPLES / "application_train.csv.gz").exists():
        train = read_table(schema.APPLICATION, SAMPLES / "application_train.csv.gz")
        test = read_table(schema.APPLICATION, SAMPLES / "application_test.csv.gz")
        source = "real Home Credit samples (application_train 30,752 / application_test 48,744)"
    else:
        from ml.synthetic import generate

        tables = generate(30_000, seed=seed, test_clients=30_000)
        train, test = tables["application"], tables["application_test"]
        source = f"synthetic clients ({SAMPLES} not found)"
    train_features = build_features({"application": train})
    train_features["TARGET"] = train["TARGET"].to_numpy()
    return train_features, build_features({"application": test}), source


def stand_in_model(train: pd.DataFrame, seed: int):
    """Logistic regression on a few features: OOF probabilities on train, a fitted model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    columns = [c for c in STAND_IN_FEATURES if c in train.columns]
    medians = train[columns].median()
    x = train[columns].fillna(medians).to_numpy()
    y = train["TARGET"].to_numpy()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    oof = cross_val_predict(model, x, y, cv=3, method="predict_proba")[:, 1]
    model.fit(x, y)

    def predict(frame: pd.DataFrame) -> np.ndarray:
        return model.predict_proba(frame[columns].fillna(medians).to_numpy())[:, 1]

    return oof, predict


def build_data(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from ml.threshold import choose_threshold
    from ml.train import stratified_sample

    warnings.simplefilter("ignore")  # constant columns in the importance stand-in
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    train, test, source = load_features(args.seed)
    feature_seconds = time.perf_counter() - started
    current = test.iloc[rng.integers(0, len(test), args.rows)].reset_index(drop=True)
    if args.artifact is not None:
        from ml.predict import load_model

        model = load_model(args.artifact)
        reference = model.reference_sample()
        importance = dict(model.metadata["global_importance"])
        # The model's features only; the other columns (CODE_GENDER, which the
        # model may not use) stay for the fairness figures.
        current["probability"] = model.predict(
            current.reindex(columns=model.feature_names)
        ).probability
        threshold = model.threshold
        model_name = f"artifact {model.version}"
    else:
        oof, predict = stand_in_model(train, args.seed)
        rows = stratified_sample(train["TARGET"].to_numpy(), args.reference_rows, rng)
        reference = train.iloc[rows].reset_index(drop=True)
        reference["OOF_PROBABILITY"] = oof[rows]
        threshold = choose_threshold(train["TARGET"].to_numpy(), oof).threshold
        current["probability"] = predict(current)
        numeric = train.select_dtypes("number").drop(columns=["TARGET"])
        correlation = numeric.corrwith(train["TARGET"], method="spearman").abs().dropna()
        importance = {k: float(v) for k, v in correlation.sort_values(ascending=False).items()}
        model_name = "stand-in logistic regression (6 features)"
    p = current["probability"].to_numpy()
    current["TARGET"] = (rng.random(len(current)) < p).astype(np.int64)
    current["decision"] = np.where(p >= threshold, "refused", "granted")
    current["threshold"] = threshold
    current["overridden"] = rng.random(len(current)) < 0.03
    start = pd.Timestamp("2026-01-05")
    current["scored_at"] = start + pd.to_timedelta(rng.uniform(0, 56 * 86400, len(current)), "s")
    reference.to_parquet(folder / "reference.parquet")
    current.to_parquet(folder / "current.parquet")
    meta = {
        "threshold": float(threshold),
        "importance": importance,
        "source": source,
        "model": model_name,
        "feature_seconds": feature_seconds,
    }
    (folder / "meta.json").write_text(json.dumps(meta))
    return meta


# -- measurements (each in its own child process) -----------------------------------------


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; getrusage's ru_maxrss would also
    count the parent's peak, which Linux carries over fork and exec)."""
    return _status_mb("VmHWM")


def reset_peak() -> float:
    """Start a new peak from the current resident memory (Linux >= 4.0); returns it in MB."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    return _status_mb("VmRSS")


def measure(name: str, folder: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    warnings.simplefilter("ignore")
    if name == "import_evidently":
        before = reset_peak()
        wall, cpu = time.perf_counter(), time.process_time()
        import evidently.presets  # noqa: F401

        return [
            {
                "name": "import evidently, DataDriftPreset",
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
                "peak_mb": peak_mb(),
                "added_mb": peak_mb() - before,
            }
        ]
    import evidently.presets  # noqa: F401  (paid once per worker, measured above)
    import fairlearn.metrics  # noqa: F401

    reference = pd.read_parquet(folder / "reference.parquet")
    current = pd.read_parquet(folder / "current.parquet")
    for frame in (reference, current):
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.StringDtype):
                frame[column] = frame[column].astype(object)
    meta = json.loads((folder / "meta.json").read_text())
    threshold, importance = meta["threshold"], meta["importance"]
    features = [c for c in reference.columns if c not in ("TARGET", "OOF_PROBABILITY")]
    current_features = current[[c for c in features if c in current.columns]]
    results: list[dict[str, Any]] = []

    def timed(label: str, function) -> Any:
        loaded = reset_peak()
        wall, cpu = time.perf_counter(), time.process_time()
        value = function()
        results.append(
            {
                "name": label,
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
                "peak_mb": peak_mb(),
                "added_mb": peak_mb() - loaded,
            }
        )
        return value

    if name == "drift_ours":
        from ml.monitoring.drift import drift_report

        report = timed(
            "drift_report (run + summary + HTML)",
            lambda: drift_report(reference, current_features, importance=importance),
        )
        results[-1]["note"] = (
            f"{report.summary['columns_compared']} columns, "
            f"{report.summary['drifted_columns']} drifted; HTML {len(report.html) / 1e6:.1f} MB"
        )
        # What the application adds to store it (monitoring/drift.py): the HTML gzipped
        # (level 6) into Postgres beside the summary.
        import gzip

        encoded = report.html.encode("utf-8")
        stored = timed("  stored: HTML gzip-compressed", lambda: gzip.compress(encoded, 6))
        results[-1]["note"] = f"{len(encoded) / 1e6:.1f} MB -> {len(stored) / 1e6:.1f} MB"
    elif name == "drift_bare":
        from evidently import Report
        from evidently.presets import DataDriftPreset

        # The columns our report compares (those with a value on both sides).
        compared = [
            c
            for c in features
            if c in current_features.columns
            and reference[c].notna().any()
            and current_features[c].notna().any()
        ]
        ref, cur = reference[compared], current_features[compared]
        snapshot = timed(
            "bare Evidently run",
            lambda: Report([DataDriftPreset()]).run(reference_data=ref, current_data=cur),
        )
        html = timed("bare Evidently HTML", lambda: snapshot.get_html_str(as_iframe=False))
        results[-1]["note"] = f"{len(compared)} columns; HTML {len(html) / 1e6:.1f} MB"
    elif name == "psi":
        from ml.monitoring.psi import feature_stability, population_stability_index

        def both():
            score = population_stability_index(reference["OOF_PROBABILITY"], current["probability"])
            rows = feature_stability(reference, current_features, importance=importance, top=20)
            return score, rows

        score, rows = timed("PSI: probabilities + 20 most important features", both)
        results[-1]["note"] = (
            f"score PSI {score.value:.3f} ({score.verdict}); "
            f"{sum(r['verdict'] != 'stable' for r in rows if r['verdict'])} features not stable"
        )
    elif name == "fairness":
        from ml.monitoring.fairness import fairness_report

        report = timed(
            f"fairness_report, {args.n_boot} resamples",
            lambda: fairness_report(current, n_boot=args.n_boot, seed=args.seed),
        )
        flagged = [
            f"{row['grouping']}={row['group']}"
            for grouping in report["groupings"].values()
            for row in grouping["rows"]
            if row["flagged"]
        ]
        results[-1]["note"] = f"flagged: {', '.join(flagged) or 'none'}"
    elif name == "fairness_fairlearn":
        results.extend(fairlearn_baseline(current, args))
    elif name == "performance":
        from ml.monitoring.performance import (
            expected_performance,
            performance_by_period,
            realised_performance,
        )

        p, y = current["probability"].to_numpy(), current["TARGET"].to_numpy()

        def all_of_it():
            expected = expected_performance(p, threshold=threshold)
            realised = realised_performance(y, p, threshold=threshold)
            weekly = performance_by_period(current, threshold=threshold, freq="W")
            return expected, realised, weekly

        expected, realised, weekly = timed("expected + realised, overall and weekly", all_of_it)
        results[-1]["note"] = (
            f"AUC expected {expected['auc']:.3f} / realised {realised['auc']:.3f}; "
            f"{len(weekly['periods'])} weeks"
        )
    elif name == "stability":
        from ml.monitoring.stability import stability_by_period

        days = timed("stability per day", lambda: stability_by_period(current, freq="D"))
        results[-1]["note"] = f"{len(days)} days"
    else:
        raise SystemExit(f"unknown measurement {name}")
    return results


def fairlearn_baseline(current: pd.DataFrame, args: argparse.Namespace) -> list[dict[str, Any]]:
    """MetricFrame with the same metrics and fairlearn's own bootstrap, per grouping."""
    from fairlearn.metrics import MetricFrame, false_negative_rate, selection_rate

    from ml.monitoring.fairness import age_band

    granted = (current["decision"] == "granted").to_numpy().astype(int)
    good = (1 - current["TARGET"].to_numpy()).astype(int)
    p = current["probability"].to_numpy()

    def default_among_approved(y_true, y_pred):
        return float(1 - np.mean(y_true[y_pred == 1])) if (y_pred == 1).any() else np.nan

    metrics = {
        "approval_rate": selection_rate,
        "good_payer_refusal_rate": false_negative_rate,
        "default_rate_among_approved": default_among_approved,
        "observed_default_rate": lambda y_true, y_pred: float(1 - np.mean(y_true)),
        "mean_predicted": lambda y_true, y_pred, probability: float(np.mean(probability)),
    }
    groupings = {
        "CODE_GENDER": current["CODE_GENDER"].fillna("unknown").astype(str).to_numpy(),
        "age_band": age_band(current["DAYS_BIRTH"]).to_numpy(),
    }
    loaded = reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    for groups in groupings.values():
        MetricFrame(
            metrics=metrics,
            y_true=good,
            y_pred=granted,
            sensitive_features=groups,
            sample_params={"mean_predicted": {"probability": p}},
            n_boot=args.fairlearn_boot,
            ci_quantiles=[0.025, 0.975],
            random_state=args.seed,
        )
    measured_wall, measured_cpu = time.perf_counter() - wall, time.process_time() - cpu
    scale = (args.n_boot + 1) / (args.fairlearn_boot + 1)  # +1: the point estimates
    return [
        {
            "name": f"fairlearn MetricFrame, n_boot={args.fairlearn_boot} (measured)",
            "wall": measured_wall,
            "cpu": measured_cpu,
            "peak_mb": peak_mb(),
            "added_mb": peak_mb() - loaded,
        },
        {
            "name": f"fairlearn MetricFrame, n_boot={args.n_boot} (scaled)",
            "wall": measured_wall * scale,
            "cpu": measured_cpu * scale,
            "note": f"x{scale:.1f} the measured run",
        },
    ]


def run_child(name: str, folder: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    command = [sys.executable, __file__, "--child", name, "--data", str(folder),
               "--n-boot", str(args.n_boot), "--fairlearn-boot", str(args.fairlearn_boot),
               "--seed", str(args.seed)]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if completed.returncode != 0:
        print(completed.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"measurement {name} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def print_rows(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        peak = f"{row['peak_mb']:8,.0f}" if "peak_mb" in row else f"{'-':>8}"
        added = f"{row['added_mb']:8,.0f}" if "added_mb" in row else f"{'-':>8}"
        print(
            f"  {row['name']:<58} {row['wall']:8.2f} {row['cpu']:8.2f} {peak} {added}"
            f"  {row.get('note', '')}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="current rows")
    parser.add_argument("--reference-rows", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-boot", type=int, default=200, help="fairness resamples")
    parser.add_argument("--fairlearn-boot", type=int, default=10,
                        help="resamples of the fairlearn baseline, scaled")  # fmt: skip
    parser.add_argument("--artifact", type=Path, default=None, help="a model artifact to use")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        print(json.dumps(measure(args.child, args.data, args)))
        return

    print(f"load average at the start (1, 5, 15 min): {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="monitoring-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        meta = build_data(args, folder)
        print(
            f"data: {meta['source']}; {args.reference_rows:,} reference rows, "
            f"{args.rows:,} current rows; probabilities: {meta['model']}, threshold "
            f"{meta['threshold']:.4f}; built in {time.perf_counter() - started:.0f} s "
            f"(features {meta['feature_seconds']:.1f} s)",
            flush=True,
        )
        print(f"\n  {'measurement':<58} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'added':>8}")
        sections = [
            ("Evidently's first import (once per worker process)", ["import_evidently"]),
            ("drift: ours vs bare Evidently on the same frames", ["drift_ours", "drift_bare"]),
            ("fairness: ours vs fairlearn's own bootstrap", ["fairness", "fairness_fairlearn"]),
            ("stability and performance", ["psi", "performance", "stability"]),
        ]
        for title, names in sections:
            print(f"{title}:", flush=True)
            for name in names:
                print_rows(run_child(name, folder, args))
    print(
        "\npeak MB: the child's peak resident memory (data loaded + libraries + the call); "
        "added: what the call added to the peak after loading."
    )
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
