"""Which application fields a meaningful score needs: what each one is worth on REAL rows.

    .venv/bin/python benchmarks/required_fields_bench.py [--folds 3] [--seed 0] [--top 25]

Data: ../shared/data/homecredit/gitadum__credit_risk_rating/application_train.csv.gz
(30,752 real rows, application table only). Our pipeline (`ml.train.train_model`)
is trained on a stratified 80%; on the 20% it never saw, in the same run:

(a) baseline: every field as the data has it (hold-out AUC, cost per client);
(b) per application field: the same rows with that one field left empty, as an
    API caller who does not send it: hold-out AUC, and how far the probability
    moves (median and 90th percentile of |change|, in points of percentage);
(c) what a caller may send: the API's required set
    (`api.serializers.fields.REQUIRED_FIELDS`) alone, with the external scores
    (EXT_SOURCE_1..3), with AMT_GOODS_PRICE too, everything but the external
    scores, and nothing at all (the score of `{}`).

It backs the choice of the required fields of POST /api/v1/applications and
/api/v1/predict (README, "API quick-start").
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditscore.settings.test")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from ml import schema  # noqa: E402
from ml.dataset import load_tables  # noqa: E402
from ml.evaluate import evaluate_predictions  # noqa: E402
from ml.features import build_features  # noqa: E402
from ml.train import train_model  # noqa: E402

REAL_DIR = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "data"
    / "homecredit"
    / "gitadum__credit_risk_rating"
)


def _required_fields() -> tuple[str, ...]:
    import django

    django.setup()
    from api.serializers.fields import REQUIRED_FIELDS

    return tuple(REQUIRED_FIELDS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REAL_DIR)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top", type=int, default=25, help="fields listed, most telling first")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"real samples not found at {args.data}: nothing to measure", file=sys.stderr)
        return 1
    required = _required_fields()

    application = load_tables(args.data)["application"]
    y = application["TARGET"].to_numpy().astype(int)
    train_part, test_part = train_test_split(
        application, test_size=0.2, stratify=y, random_state=args.seed
    )
    test_part = test_part.reset_index(drop=True)
    y_test = test_part["TARGET"].to_numpy().astype(int)
    started = time.perf_counter()
    model = train_model(
        {"application": train_part.reset_index(drop=True)},
        folds=args.folds,
        seed=args.seed,
        progress=lambda message: None,
    )
    print(
        f"{len(train_part):,} rows trained on ({time.perf_counter() - started:.0f} s), "
        f"{len(test_part):,} held out, {y_test.mean():.2%} defaults",
        flush=True,
    )

    def probability(frame: pd.DataFrame) -> np.ndarray:
        features = build_features({"application": frame})
        raw = model.booster.predict(model.encoder.transform(features), raw_score=True)
        return model.calibrator.transform_log_odds(raw)

    def blanked(frame: pd.DataFrame, columns) -> pd.DataFrame:
        out = frame.copy()
        for name in columns:
            out[name] = None if schema.APPLICATION.column(name).kind == schema.STR else np.nan
        return out

    full = probability(test_part)
    full_eval = evaluate_predictions(
        y_test, full, threshold=model.threshold.threshold, cost_fn=10.0, cost_fp=1.0
    )
    print(
        f"\n(a) every field: hold-out AUC {full_eval['auc']:.4f}, "
        f"cost/client {full_eval['cost_per_client']:.4f}"
    )

    fields = [
        name for name in schema.APPLICATION.column_names if name not in ("SK_ID_CURR", "TARGET")
    ]
    rows = []
    for name in fields:
        p = probability(blanked(test_part, [name]))
        change = np.abs(p - full) * 100
        rows.append((name, roc_auc_score(y_test, p), np.median(change), np.percentile(change, 90)))
    rows.sort(key=lambda row: (row[1], -row[3]))
    print(f"\n(b) one field left empty, the {args.top} that matter most (AUC lost first)")
    print(f"{'field':<30} {'AUC':>7} {'lost':>7} {'|dp| median':>12} {'|dp| p90':>9}  required")
    for name, auc, median, p90 in rows[: args.top]:
        mark = "yes" if name in required else ""
        print(
            f"{name:<30} {auc:7.4f} {full_eval['auc'] - auc:7.4f} "
            f"{median:11.2f}% {p90:8.2f}%  {mark}"
        )

    print("\n(c) what a caller sends")
    print(f"{'every field':<44} AUC {full_eval['auc']:.4f}")
    external = ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")
    for label, sent in (
        ("the required fields only", required),
        ("required + external scores", (*required, *external)),
        ("required + external scores + AMT_GOODS_PRICE", (*required, *external, "AMT_GOODS_PRICE")),
        ("every field but the external scores", [n for n in fields if n not in external]),
    ):
        p = probability(blanked(test_part, [name for name in fields if name not in sent]))
        print(f"{label:<44} AUC {roc_auc_score(y_test, p):.4f}")
    print(f"  (required: {', '.join(required)})")
    nothing = probability(blanked(test_part, fields))
    print(
        f"{'nothing (the body {})':<44} AUC {roc_auc_score(y_test, nothing):.4f}, "
        f"one probability for all: {nothing.min():.4f}..{nothing.max():.4f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
