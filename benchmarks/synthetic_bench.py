"""Speed of the synthetic generator, and of its CSV writer against pandas `to_csv`.

    .venv/bin/python benchmarks/synthetic_bench.py [--clients 10000 50000] [--seed 0]

For each client count: generation in memory (`ml.synthetic.generate`), then
writing the seven files with our Arrow-based writer and, as the baseline in the
same run on the same frames, with `DataFrame.to_csv` (which already gives the
Kaggle formatting: it is what the writer must match). Prints rows per table,
wall and CPU times (the machine may be shared: CPU time is steadier), the
writer's speed-up, and an extrapolation to the full Kaggle size (307,511 train
clients + 48,744 test clients, about 58M history rows).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml import schema  # noqa: E402
from ml.synthetic import generate, write_csvs  # noqa: E402

KAGGLE_CLIENTS = 307_511 + 48_744


def _timed(action) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _pandas_csvs(tables, out_dir: Path) -> None:
    for name, frame in tables.items():
        file_name = "application_train.csv" if name == "application" else f"{name}.csv"
        frame.to_csv(out_dir / file_name, index=False, lineterminator="\n")


def bench(clients: int, seed: int) -> dict[str, float]:
    gen_wall, gen_cpu, tables = _timed(lambda: generate(clients, seed=seed))
    rows = {name: len(frame) for name, frame in tables.items()}
    with tempfile.TemporaryDirectory() as tmp:
        ours_wall, ours_cpu, paths = _timed(lambda: write_csvs(tables, Path(tmp) / "ours"))
        size = sum(p.stat().st_size for p in paths)
        (Path(tmp) / "pandas").mkdir()
        pandas_wall, pandas_cpu, _ = _timed(lambda: _pandas_csvs(tables, Path(tmp) / "pandas"))
        same = all(
            (Path(tmp) / "ours" / p.name).read_bytes()
            == (Path(tmp) / "pandas" / p.name).read_bytes()
            for p in paths
        )
    total_rows = sum(rows.values())
    print(
        f"\n== {clients:,} clients (seed {seed}): {total_rows:,} rows, {size / 1e6:,.0f} MB of CSV"
    )
    for table in schema.TABLES:
        count = rows[table.name]
        print(f"  {table.name:<24} {count:>12,} rows  ({count / clients:6.2f} per client)")
    print(f"  generate (in memory)     {gen_wall:7.1f} s wall  {gen_cpu:7.1f} s CPU")
    print(f"  write, Arrow writer      {ours_wall:7.1f} s wall  {ours_cpu:7.1f} s CPU")
    print(
        f"  write, pandas to_csv     {pandas_wall:7.1f} s wall  {pandas_cpu:7.1f} s CPU (baseline)"
    )
    print(
        f"  writer speed-up          {pandas_cpu / ours_cpu:7.1f} x (CPU)   byte-identical: {same}"
    )
    scale = KAGGLE_CLIENTS / clients / 60
    print(
        f"  extrapolated to {KAGGLE_CLIENTS:,} clients: {(gen_cpu + ours_cpu) * scale:.1f} min CPU "
        f"(pandas writer: {(gen_cpu + pandas_cpu) * scale:.1f} min)"
    )
    return {
        "clients": clients,
        "rows": total_rows,
        "generate": gen_cpu,
        "write": ours_cpu,
        "pandas": pandas_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for clients in args.clients:
        bench(clients, args.seed)


if __name__ == "__main__":
    main()
