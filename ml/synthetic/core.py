"""Generation in client chunks: the same seed gives the same tables whether they are
kept in memory (`generate`) or streamed to CSV files (`generate_to_dir`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ml import schema
from ml.synthetic import history, latent
from ml.synthetic.application import application_frame, generate_applications
from ml.synthetic.csv_writer import open_output, write_table_csv

FIRST_CLIENT_ID = 100_002
FIRST_BUREAU_ID = 5_000_000
FIRST_PREVIOUS_ID = 1_000_000
# Clients whose history is generated at once: bounds memory (a chunk of 25,000
# clients is about 6M history rows) and fixes the random streams, so output does
# not depend on anything but the seed and the client counts.
CLIENTS_PER_CHUNK = 25_000
HISTORY_TABLES = (
    "bureau",
    "bureau_balance",
    "previous_application",
    "POS_CASH_balance",
    "installments_payments",
    "credit_card_balance",
)


@dataclass
class _Plan:
    train: pd.DataFrame
    test: pd.DataFrame | None
    ids: np.ndarray  # every client, train and test, in id order
    h: np.ndarray  # history factor per client
    bureau_counts: np.ndarray
    previous_counts: np.ndarray
    previous_ids: np.ndarray
    chunk_seeds: list[np.random.SeedSequence]


def _plan(n_clients: int, test_clients: int, seed: int) -> _Plan:
    if n_clients < 1 or test_clients < 0:
        raise ValueError("n_clients must be >= 1 and test_clients >= 0")
    total = n_clients + test_clients
    n_chunks = -(-total // CLIENTS_PER_CHUNK)
    application_seed, counts_seed, *chunk_seeds = np.random.SeedSequence(seed).spawn(2 + n_chunks)
    rng = np.random.default_rng(application_seed)
    columns, z_app, z_hist = generate_applications(rng, total)
    ids = FIRST_CLIENT_ID + np.arange(total, dtype=np.int64)
    # Test clients are interleaved with train clients, as in Kaggle's id ranges.
    is_test = np.zeros(total, dtype=bool)
    is_test[rng.choice(total, size=test_clients, replace=False)] = True
    train = application_frame(
        ids[~is_test], {k: v[~is_test] for k, v in columns.items()}, with_target=True
    )
    test = None
    if test_clients:
        test = application_frame(
            ids[is_test], {k: v[is_test] for k, v in columns.items()}, with_target=False
        )
    counts_rng = np.random.default_rng(counts_seed)
    bureau_counts, previous_counts = history.draw_counts(counts_rng, total)
    previous_ids = FIRST_PREVIOUS_ID + counts_rng.permutation(int(previous_counts.sum())).astype(
        np.int64
    )
    h = latent.H_APP * z_app + latent.H_HIST * z_hist
    return _Plan(train, test, ids, h, bureau_counts, previous_counts, previous_ids, chunk_seeds)


def _history_chunks(plan: _Plan) -> Iterator[dict[str, pd.DataFrame]]:
    bureau_start = np.concatenate([[0], np.cumsum(plan.bureau_counts)])
    previous_start = np.concatenate([[0], np.cumsum(plan.previous_counts)])
    for k, chunk_seed in enumerate(plan.chunk_seeds):
        lo, hi = k * CLIENTS_PER_CHUNK, min((k + 1) * CLIENTS_PER_CHUNK, len(plan.ids))
        rng = np.random.default_rng(chunk_seed)
        ids, h = plan.ids[lo:hi], plan.h[lo:hi]
        bureau, balance = history.bureau_tables(
            rng, ids, h, plan.bureau_counts[lo:hi], FIRST_BUREAU_ID + int(bureau_start[lo])
        )
        previous_counts = plan.previous_counts[lo:hi]
        previous = history.previous_table(
            rng, ids, h, previous_counts, plan.previous_ids[previous_start[lo] : previous_start[hi]]
        )
        monthly = history.monthly_tables(rng, previous, np.repeat(h, previous_counts))
        yield {
            "bureau": bureau,
            "bureau_balance": balance,
            "previous_application": previous,
            **monthly,
        }


def generate(n_clients: int, *, seed: int = 0, test_clients: int = 0) -> dict[str, pd.DataFrame]:
    """Synthetic Kaggle tables in memory, keyed by schema table name.

    "application" holds the train rows (with TARGET); "application_test" the test
    rows (without TARGET) when test_clients > 0. History tables cover both.
    """
    plan = _plan(n_clients, test_clients, seed)
    chunks = list(_history_chunks(plan))
    tables: dict[str, pd.DataFrame] = {"application": plan.train}
    if plan.test is not None:
        tables["application_test"] = plan.test
    for name in HISTORY_TABLES:
        tables[name] = pd.concat([chunk[name] for chunk in chunks], ignore_index=True)
    return tables


def _file_name(name: str, *, compress: bool) -> str:
    base = {"application": "application_train.csv", "application_test": "application_test.csv"}.get(
        name, f"{name}.csv"
    )
    return base + (".gz" if compress else "")


def _table(name: str) -> schema.Table:
    return schema.APPLICATION if name.startswith("application") else schema.TABLES_BY_NAME[name]


def write_csvs(tables: dict[str, pd.DataFrame], out_dir: Path, *, gzip: bool = False) -> list[Path]:
    """Write tables as Kaggle-named and Kaggle-formatted CSV files; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out_dir / _file_name(name, compress=gzip)
        with open_output(path, compress=gzip) as out:
            write_table_csv(frame, _table(name), out)
        paths.append(path)
    return paths


def generate_to_dir(
    *,
    n_clients: int,
    out_dir: Path,
    seed: int = 0,
    test_clients: int = 0,
    gzip: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Generate and write the CSV files chunk by chunk (memory stays bounded)."""
    say = progress or (lambda message: None)
    out_dir = Path(out_dir)
    plan = _plan(n_clients, test_clients, seed)
    applications = {"application": plan.train}
    if plan.test is not None:
        applications["application_test"] = plan.test
    paths = write_csvs(applications, out_dir, gzip=gzip)
    say(f"application: {len(plan.train)} train + {test_clients} test clients")
    history_paths = {name: out_dir / _file_name(name, compress=gzip) for name in HISTORY_TABLES}
    outputs = {name: open_output(path, compress=gzip) for name, path in history_paths.items()}
    rows = dict.fromkeys(HISTORY_TABLES, 0)
    try:
        for k, chunk in enumerate(_history_chunks(plan)):
            for name, frame in chunk.items():
                write_table_csv(frame, schema.TABLES_BY_NAME[name], outputs[name], header=k == 0)
                rows[name] += len(frame)
            say(
                f"history chunk {k + 1}/{len(plan.chunk_seeds)}: "
                + ", ".join(f"{n} {r}" for n, r in rows.items())
            )
    finally:
        for out in outputs.values():
            out.close()
    return paths + list(history_paths.values())
