"""Command line: `python -m ml train ...` and `python -m ml evaluate ...`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _progress(message: str) -> None:
    print(message, flush=True)


def command_train(args: argparse.Namespace) -> int:
    from ml.artifact import save_artifact
    from ml.dataset import data_hash, load_tables
    from ml.policy import EXCLUDED_ATTRIBUTES, MONOTONE_DIRECTIONS, excluded_features
    from ml.train import train_model

    excluded = EXCLUDED_ATTRIBUTES if args.exclude is None else tuple(args.exclude)
    excluded_features(excluded)  # a misspelt column fails now, not after loading the data
    _progress(
        "excluded attributes: "
        + (", ".join(excluded) or "none")
        + ("; monotone constraints off" if args.no_monotone else "")
    )

    tables = load_tables(args.data)
    _progress(
        "loaded " + ", ".join(f"{name} ({len(frame):,} rows)" for name, frame in tables.items())
    )
    result = train_model(
        tables,
        folds=args.folds,
        seed=args.seed,
        cost_fn=args.cost_fn,
        cost_fp=args.cost_fp,
        progress=_progress,
        data_hash=data_hash(args.data),
        excluded_attributes=excluded,
        monotone_directions=None if args.no_monotone else MONOTONE_DIRECTIONS,
    )
    out = save_artifact(result, args.out)
    from ml.artifact import artifact_hash

    _progress(f"artifact written to {out} (version {artifact_hash(out)[:12]})")
    return 0


def command_evaluate(args: argparse.Namespace) -> int:
    from ml.artifact import to_json_safe
    from ml.dataset import load_tables
    from ml.evaluate import evaluate, format_report
    from ml.predict import load_model

    model = load_model(args.model)
    tables = load_tables(args.data)
    report = evaluate(model, tables)
    print(format_report(report), flush=True)
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(to_json_safe(report), indent=1))
        print(f"written to {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ml", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a model and write its artifact")
    train.add_argument("--data", type=Path, required=True, help="directory of Kaggle CSVs")
    train.add_argument("--out", type=Path, required=True, help="artifact directory to write")
    train.add_argument("--folds", type=int, default=5)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--cost-fn", type=float, default=10.0, help="cost of granting a credit that defaults"
    )
    train.add_argument(
        "--cost-fp", type=float, default=1.0, help="cost of refusing a client who would repay"
    )
    train.add_argument(
        "--exclude",
        nargs="*",
        metavar="COLUMN",
        default=None,
        help="application columns the model must not use, replacing the default list "
        "(ml.policy.EXCLUDED_ATTRIBUTES: CODE_GENDER NAME_FAMILY_STATUS); "
        "--exclude alone excludes nothing",
    )
    train.add_argument(
        "--no-monotone",
        action="store_true",
        help="train without the monotone constraints of ml.policy.MONOTONE_DIRECTIONS",
    )
    train.set_defaults(handler=command_train)

    evaluate = commands.add_parser("evaluate", help="evaluate an artifact on labelled data")
    evaluate.add_argument("--model", type=Path, required=True, help="artifact directory")
    evaluate.add_argument("--data", type=Path, required=True, help="directory of Kaggle CSVs")
    evaluate.add_argument("--json", type=Path, default=None, help="write the report as JSON")
    evaluate.set_defaults(handler=command_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ml.artifact import ArtifactError
    from ml.dataset import DatasetError
    from ml.encoding import EncodingError
    from ml.evaluate import EvaluationError
    from ml.policy import PolicyError
    from ml.train import TrainingError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (
        ArtifactError,
        DatasetError,
        EncodingError,
        EvaluationError,
        PolicyError,
        TrainingError,
        FileNotFoundError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
