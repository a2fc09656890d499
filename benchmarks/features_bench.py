"""Speed and memory of `ml.features.build_features`, against a pandas groupby baseline.

    .venv/bin/python benchmarks/features_bench.py [--clients 50000] [--seed 0]

Three measurements, each best of a few runs (wall time and CPU time of this
process; the machine may be shared, CPU time is the steadier figure):

1. serving: one application with a few hundred history rows (the size of a
   real client's file), the call the scoring service makes per request;
2. the real application sample (30,752 rows of application_train, read from
   ../shared/data/homecredit when it is there), application features only;
3. N synthetic clients (default 50,000) with random history of the per-client
   sizes of the full Kaggle data (per client: 5.6 bureau credits x 16
   months, 4.9 previous applications, 30 POS_CASH months, 44 instalments, 12
   credit card months), all seven tables.

Peak memory of a build is measured with tracemalloc in a separate run (numpy
reports its buffers to it), so the timings are not slowed by it.

Baseline, measured in the same run on the same data: the classic public-kernel
way, `frame.groupby("SK_ID_CURR").agg({column: [min, max, mean, sum]})` over
each history table's numeric columns then a left join on the applications
(fewer and simpler features than ours, no windows, no per-loan step). The
ratio says what our feature set costs relative to that.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml import schema  # noqa: E402
from ml.dataset import coerce_table, load_tables  # noqa: E402
from ml.features import FEATURE_NAMES, build_features  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "homecredit"
REAL_APPLICATIONS = SAMPLES / "gitadum__credit_risk_rating"

# Mean rows per client in the full Kaggle data (see the module docstring).
PER_CLIENT = {
    "bureau": 5.6,
    "previous_application": 4.9,
    "POS_CASH_balance": 30.0,
    "installments_payments": 44.0,
    "credit_card_balance": 12.0,
}
MONTHS_PER_CREDIT = 16.0
LEVELS = {
    "CREDIT_ACTIVE": ["Closed", "Active", "Sold", "Bad debt"],
    "CREDIT_CURRENCY": ["currency 1", "currency 2"],
    "CREDIT_TYPE": ["Consumer credit", "Credit card", "Car loan", "Mortgage", "Microloan"],
    "STATUS": ["C", "0", "X", "1", "2", "3", "4", "5"],
    "NAME_CONTRACT_STATUS": ["Approved", "Refused", "Canceled", "Unused offer", "Active",
                             "Completed", "Signed"],
    "NAME_CONTRACT_TYPE": ["Cash loans", "Consumer loans", "Revolving loans"],
}  # fmt: skip


def synthetic_tables(clients: int, *, seed: int = 0, first_id: int = 100_000) -> dict:
    """Random tables of the schema for `clients` applications, realistic sizes, vectorised."""
    rng = np.random.default_rng(seed)
    ids = np.arange(first_id, first_id + clients, dtype=np.int64)

    def random_frame(table: schema.Table, keys: dict[str, np.ndarray]) -> pd.DataFrame:
        rows = len(next(iter(keys.values())))
        data: dict[str, object] = dict(keys)
        for column in table.columns:
            if column.name in data:
                continue
            if column.kind == schema.STR:
                levels = LEVELS.get(column.name, ["A", "B", "C", "XNA"])
                data[column.name] = rng.choice(levels, size=rows)
            elif column.name.startswith(("DAYS_", "MONTHS_")):
                scale = 100 if column.name.startswith("MONTHS_") else 3_000
                data[column.name] = -np.floor(rng.exponential(scale / 3, size=rows))
            else:
                values = np.round(rng.lognormal(8, 1.5, size=rows), 2)
                values[rng.random(rows) < 0.1] = np.nan  # about 10% missing
                data[column.name] = values
        for column in ("SK_DPD", "SK_DPD_DEF", "CREDIT_DAY_OVERDUE", "CNT_CREDIT_PROLONG"):
            if column in data:
                data[column] = np.where(rng.random(rows) < 0.05, rng.integers(1, 60, rows), 0)
        return coerce_table(table, pd.DataFrame(data))

    def owners(per_client: float) -> np.ndarray:
        counts = rng.poisson(per_client, size=clients)
        return np.repeat(ids, counts)

    application = {
        "SK_ID_CURR": ids,
        "TARGET": (rng.random(clients) < 0.08).astype(np.int64),
    }
    tables = {"application": random_frame(schema.APPLICATION, application)}
    bureau_owner = owners(PER_CLIENT["bureau"])
    bureau_ids = np.arange(len(bureau_owner), dtype=np.int64) + 5_000_000
    tables["bureau"] = random_frame(
        schema.BUREAU, {"SK_ID_CURR": bureau_owner, "SK_ID_BUREAU": bureau_ids}
    )
    months = rng.poisson(MONTHS_PER_CREDIT, size=len(bureau_ids))
    tables["bureau_balance"] = random_frame(
        schema.BUREAU_BALANCE, {"SK_ID_BUREAU": np.repeat(bureau_ids, months)}
    )
    owner = owners(PER_CLIENT["previous_application"])
    tables["previous_application"] = random_frame(
        schema.PREVIOUS_APPLICATION,
        {"SK_ID_PREV": np.arange(len(owner), dtype=np.int64) + 9_000_000, "SK_ID_CURR": owner},
    )
    for name in ("POS_CASH_balance", "installments_payments", "credit_card_balance"):
        owner = owners(PER_CLIENT[name])
        # About 8 monthly rows per loan: loan ids drawn among a few per client.
        loans_per_client = max(1, round(PER_CLIENT[name] / 8))
        loans = owner * 100 + rng.integers(0, loans_per_client, len(owner))
        tables[name] = random_frame(
            schema.TABLES_BY_NAME[name], {"SK_ID_CURR": owner, "SK_ID_PREV": loans}
        )
    return tables


def kernel_application(application: pd.DataFrame) -> pd.DataFrame:
    """The classic public kernel's application step: dummies, sentinel, five ratios."""
    frame = application.drop(columns=["TARGET"], errors="ignore").set_index("SK_ID_CURR")
    text = [c for c in frame.columns if frame[c].dtype == object]
    frame = pd.get_dummies(frame, columns=text, dummy_na=True, dtype=np.float64)
    frame["DAYS_EMPLOYED"] = frame["DAYS_EMPLOYED"].replace(schema.DAYS_EMPLOYED_SENTINEL, np.nan)
    frame["DAYS_EMPLOYED_PERC"] = frame["DAYS_EMPLOYED"] / frame["DAYS_BIRTH"]
    frame["INCOME_CREDIT_PERC"] = frame["AMT_INCOME_TOTAL"] / frame["AMT_CREDIT"]
    frame["INCOME_PER_PERSON"] = frame["AMT_INCOME_TOTAL"] / frame["CNT_FAM_MEMBERS"]
    frame["ANNUITY_INCOME_PERC"] = frame["AMT_ANNUITY"] / frame["AMT_INCOME_TOTAL"]
    frame["PAYMENT_RATE"] = frame["AMT_ANNUITY"] / frame["AMT_CREDIT"]
    return frame


def kernel_baseline(tables: dict) -> pd.DataFrame:
    """The classic public kernel: its application step, then min/max/mean/sum per column."""
    result = kernel_application(tables["application"])
    bureau = tables.get("bureau")
    if bureau is not None and "bureau_balance" in tables:
        balance = (
            tables["bureau_balance"]
            .groupby("SK_ID_BUREAU")
            .agg({"MONTHS_BALANCE": ["min", "max", "size"]})
        )
        balance.columns = ["_".join(c) for c in balance.columns]
        bureau = bureau.join(balance, on="SK_ID_BUREAU")
    others = ("previous_application", "POS_CASH_balance", "installments_payments",
              "credit_card_balance")  # fmt: skip
    for name, frame in (("bureau", bureau), *((other, tables.get(other)) for other in others)):
        if frame is None:
            continue
        numeric = [c for c in frame.columns if c != "SK_ID_CURR" and frame[c].dtype == np.float64]
        grouped = frame.groupby("SK_ID_CURR").agg(
            {c: ["min", "max", "mean", "sum"] for c in numeric}
        )
        grouped.columns = [f"{name}_{c}_{f}".upper() for c, f in grouped.columns]
        result = result.join(grouped)
    return result


def timed(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best wall and CPU seconds of `repeats` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def peak_memory(function: Callable[[], object]) -> float:
    """Peak bytes allocated during one call (tracemalloc), in MB."""
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def one_client(tables: dict, sk_id: int) -> dict:
    """The tables restricted to one application, as the scoring service reads them."""
    out = {}
    for name, frame in tables.items():
        if "SK_ID_CURR" in frame.columns:
            out[name] = frame[frame["SK_ID_CURR"] == sk_id].reset_index(drop=True)
    credits = out["bureau"]["SK_ID_BUREAU"]
    balance = tables["bureau_balance"]
    out["bureau_balance"] = balance[balance["SK_ID_BUREAU"].isin(credits)].reset_index(drop=True)
    return out


def report(label: str, rows: int, ours: tuple[float, float], base: tuple[float, float]) -> None:
    print(
        f"{label:<34} ours {ours[0] * 1e3:9.1f} ms wall {ours[1] * 1e3:9.1f} ms cpu"
        f" ({rows / ours[1]:9,.0f} apps/cpu-s) | baseline {base[0] * 1e3:9.1f} ms wall"
        f" {base[1] * 1e3:9.1f} ms cpu | ours/baseline cpu {ours[1] / base[1]:5.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"build_features: {len(FEATURE_NAMES)} features")

    # 1. Serving: one client with a few hundred history rows.
    small = synthetic_tables(200, seed=args.seed)
    sizes = {
        sk_id: sum(len(f) for f in one_client(small, sk_id).values())
        for sk_id in small["application"]["SK_ID_CURR"][:50]
    }
    sk_id = max(sizes, key=sizes.get)
    client = one_client(small, sk_id)
    history_rows = sum(len(f) for name, f in client.items() if name != "application")
    build_features(client)  # warm-up
    ours = timed(lambda: build_features(client), 30)
    base = timed(lambda: kernel_baseline(client), 30)
    walls = []
    for _ in range(30):
        start = time.perf_counter()
        build_features(client)
        walls.append(time.perf_counter() - start)
    report(f"1 client, {history_rows} history rows", 1, ours, base)
    print(f"{'':<34} median {statistics.median(walls) * 1e3:.1f} ms wall over 30 calls")

    # 2. The real application sample.
    if (REAL_APPLICATIONS / "application_train.csv.gz").exists():
        real = load_tables(REAL_APPLICATIONS, history=False)
        rows = len(real["application"])
        ours = timed(lambda: build_features(real), 3)
        base = timed(lambda: kernel_baseline(real), 3)
        report(f"real sample, {rows:,} applications", rows, ours, base)
        print(f"{'':<34} peak memory {peak_memory(lambda: build_features(real)):,.0f} MB")
    else:
        print(f"real sample: {REAL_APPLICATIONS} not found, skipped")

    # 3. N synthetic clients with full-size history.
    start = time.perf_counter()
    large = synthetic_tables(args.clients, seed=args.seed)
    history_rows = sum(len(f) for name, f in large.items() if name != "application")
    print(
        f"synthetic: {args.clients:,} clients, {history_rows:,} history rows "
        f"(" + ", ".join(f"{n} {len(f):,}" for n, f in large.items()) + ")"
        f", generated in {time.perf_counter() - start:.0f} s"
    )
    ours = timed(lambda: build_features(large), 2)
    base = timed(lambda: kernel_baseline(large), 2)
    report(f"synthetic, {args.clients:,} clients", args.clients, ours, base)
    peak = peak_memory(lambda: build_features(large))
    table_mb = sum(f.memory_usage(deep=False).sum() for f in large.values()) / 1e6
    print(f"{'':<34} peak memory {peak:,.0f} MB over {table_mb:,.0f} MB of input tables")
    scale = 307_511 / args.clients
    print(
        f"extrapolated to 307,511 clients (x{scale:.1f}, linear): "
        f"{ours[1] * scale:.0f} s cpu ({ours[0] * scale:.0f} s wall on this machine now), "
        f"peak at most about {peak * scale / 1e3:.1f} GB over {table_mb * scale / 1e3:.1f} GB "
        f"of tables (stacked blocks are capped, so less)"
    )


if __name__ == "__main__":
    main()
