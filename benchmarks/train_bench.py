"""Training at scale on synthetic clients: time, memory, and what the history adds.

    .venv/bin/python benchmarks/train_bench.py [--clients 300000] [--folds 3] [--seed 0]
        [--json OUT]

Generates N synthetic clients with their credit history (`ml.synthetic`,
per-client sizes of the full Kaggle data) once into
benchmarks/.cache/synthetic-N-seed/ (gitignored; reused by later runs), then
measures, in one process:

- loading the CSVs (`ml.dataset.load_tables`),
- feature engineering (`ml.features.build_features`, all seven tables),
- training the full pipeline (`ml.train.train_on_features`: K-fold
  LightGBM with early stopping, final model, calibration, threshold,
  importance, reference statistics),
- the baseline in the same run: the same training on the application
  features alone (same rows, same folds, same parameters).
Peak resident memory of each phase comes from Linux's VmHWM, reset before
the phase (/proc/self/clear_refs; without it, ru_maxrss: the peak so far).
The AUC difference full vs application-only says what the history adds.
On synthetic data only: no real sample holds the history of its clients.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ml.dataset import load_tables  # noqa: E402
from ml.features import CATEGORICAL_FEATURES, build_features  # noqa: E402
from ml.features import application as application_features  # noqa: E402
from ml.synthetic import generate_to_dir  # noqa: E402
from ml.train import train_on_features  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"


def reset_peak_memory() -> bool:
    """Reset the process's peak RSS (Linux); False when not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_memory_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(label: str, action, figures: dict):
    reset_peak_memory()
    started = time.perf_counter()
    cpu = time.process_time()
    result = action()
    figures[label] = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "peak_rss_mb": peak_memory_mb(),
    }
    print(
        f"{label}: {figures[label]['seconds']:.1f} s wall, {figures[label]['cpu_seconds']:.1f} s "
        f"CPU, peak RSS {figures[label]['peak_rss_mb']:,.0f} MB",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300_000)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    data_dir = CACHE / f"synthetic-{args.clients}-{args.seed}"
    figures: dict = {}
    if not (data_dir / ".complete").exists():
        print(f"generating {args.clients:,} clients into {data_dir} (cached for later runs)")
        phase(
            "generate",
            lambda: generate_to_dir(
                n_clients=args.clients, out_dir=data_dir, seed=args.seed, progress=print
            ),
            figures,
        )
        (data_dir / ".complete").write_text("ok\n")
    tables = phase("load CSVs", lambda: load_tables(data_dir), figures)
    rows = {name: len(frame) for name, frame in tables.items()}
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()))
    features = phase("build features", lambda: build_features(tables), figures)
    application = tables["application"]
    y = application["TARGET"].to_numpy()
    tables.clear()  # the history tables are not needed any more: free them
    categorical = [name for name in CATEGORICAL_FEATURES if name in features.columns]

    def train(columns: list[str]):
        return train_on_features(
            features[columns],
            y,
            application=application,
            categorical=[name for name in categorical if name in columns],
            folds=args.folds,
            seed=args.seed,
            progress=lambda message: print("  " + message, flush=True),
        )

    all_columns = list(features.columns)
    app_columns = [name for name in all_columns if name in set(application_features.COLUMNS)]
    full = phase("train full pipeline", lambda: train(all_columns), figures)
    app_only = phase("train application-only", lambda: train(app_columns), figures)

    full_auc = full.metadata["metrics"]["oof_auc"]
    app_auc = app_only.metadata["metrics"]["oof_auc"]
    print()
    print(f"clients                         {args.clients:,} ({y.mean():.2%} defaults)")
    print(f"features                        {len(all_columns)} (application: {len(app_columns)})")
    for label, values in figures.items():
        print(
            f"{label:<32}{values['seconds']:>8.1f} s  (CPU {values['cpu_seconds']:.1f} s, "
            f"peak RSS {values['peak_rss_mb']:,.0f} MB)"
        )
    print(f"{'peak RSS (whole run)':<32}{peak_rss_whole_run(figures):>8,.0f} MB")
    print(
        f"OOF AUC full pipeline           {full_auc:.4f}  "
        f"(trees {full.metadata['model']['num_boost_round']})"
    )
    print(
        f"OOF AUC application only        {app_auc:.4f}  "
        f"(trees {app_only.metadata['model']['num_boost_round']})"
    )
    print(f"history adds                    {full_auc - app_auc:+.4f} AUC")
    print(
        f"cost/client at threshold        full {full.threshold.cost_per_client:.4f}, "
        f"app only {app_only.threshold.cost_per_client:.4f}, "
        f"refusing nobody {full.threshold.cost_refuse_nobody_per_client:.4f}"
    )
    if args.json:
        report = {
            "clients": args.clients,
            "rows": rows,
            "features": len(all_columns),
            "application_features": len(app_columns),
            "phases": figures,
            "peak_rss_mb": peak_rss_whole_run(figures),
            "oof_auc_full": full_auc,
            "oof_auc_application_only": app_auc,
            "fold_aucs_full": full.metadata["metrics"]["fold_aucs"],
            "fold_aucs_application_only": app_only.metadata["metrics"]["fold_aucs"],
        }
        args.json.write_text(json.dumps(report, indent=1))
        print(f"written to {args.json}")
    return 0


def peak_rss_whole_run(figures: dict) -> float:
    """The highest phase peak (resetting VmHWM also resets ru_maxrss on Linux)."""
    phases = [values["peak_rss_mb"] for values in figures.values()]
    return max(phases + [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024])


if __name__ == "__main__":
    sys.exit(main())
