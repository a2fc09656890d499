"""python -m ml.synthetic --clients N --out DIR --seed S [--test-clients M] [--gzip]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ml.synthetic.core import generate_to_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ml.synthetic",
        description="Write synthetic Home Credit CSV files (Kaggle names, columns and formatting).",
    )
    parser.add_argument(
        "--clients", type=int, required=True, help="clients in application_train.csv"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="directory to write the CSV files to"
    )
    parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
    parser.add_argument(
        "--test-clients", type=int, default=0, help="clients in application_test.csv (default none)"
    )
    parser.add_argument("--gzip", action="store_true", help="write .csv.gz files")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.clients < 1 or args.test_clients < 0:
        print("error: --clients must be >= 1 and --test-clients >= 0", file=sys.stderr)
        return 2
    started = time.perf_counter()
    paths = generate_to_dir(
        n_clients=args.clients,
        out_dir=args.out,
        seed=args.seed,
        test_clients=args.test_clients,
        gzip=args.gzip,
        progress=lambda message: print(message, flush=True),
    )
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
