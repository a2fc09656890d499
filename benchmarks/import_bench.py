"""Speed of `manage.py import_homecredit` against a raw `psql \\copy` of the same file, one run.

    .venv/bin/python benchmarks/import_bench.py [--application-rows 195000]
        [--history-rows 1000000] [--repeats 3] [--only application bureau installments_payments]

Files, built in a temporary folder (deleted at the end):
- application_train.csv: `--application-rows` rows, the 30,752 real rows of
  ../shared/data/homecredit/gitadum__credit_risk_rating/application_train.csv.gz
  repeated with fresh SK_ID_CURR values (the synthetic generator's rows when
  the real samples are absent);
- bureau.csv and installments_payments.csv: `--history-rows` rows each, from
  the synthetic generator (`ml.synthetic`, 28,500 clients), repeated with
  fresh SK_ID_BUREAU / SK_ID_PREV values up to the size.

For each file, timed alternately, best of `--repeats`:
- raw \\copy: `psql -c "\\copy raw FROM 'file' WITH (FORMAT csv, HEADER true)"`
  into a fresh table with one text column per field: no type, no index, no
  check; the ceiling of any importer;
- import: `python manage.py import_homecredit DIR` run as a subprocess on a
  folder holding only that file, into the migrated tables emptied beforehand:
  process start-up, Django, detection, staging, checks, insert, index builds,
  ANALYZE and commit included. The history files' clients are inserted
  beforehand (key only, committed, not timed), so every row is imported;
- ratio: raw time / import time (1.00: the import is as fast as a raw COPY);
- typed \\copy: the same `\\copy` into a fresh table with one column per field
  typed as in the real table (bigint, double precision, text), no key, index
  or link: the ceiling of any importer that stores typed values (parsing
  numbers costs Postgres more than storing text), with its ratio;
- COPY real: `psql \\copy` straight into the real table, emptied, with its keys,
  indexes and (deferred) foreign keys, committed: what the table itself costs,
  whoever fills it (it would fail on any bad or repeated row);
- re-import: the same command again, every row already present (once).

The load average is printed before and after: the machine is shared, rerun
when it is high (figures from a loaded machine are slower, ratios less so).

The benchmark creates its own database `creditscore_bench_import` on the
server of DATABASE_URL and drops it at the end; it never touches another one.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "data" / "homecredit"
REAL_APPLICATIONS = SAMPLES / "gitadum__credit_risk_rating" / "application_train.csv.gz"
BENCH_DATABASE = "creditscore_bench_import"
SYNTHETIC_CLIENTS = 28_500  # about a million instalments

# Django must see the benchmark database before it loads the settings.
sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import (  # noqa: E402
    database_url,
    scratch_database,
    use_scratch_database,
)

use_scratch_database(BENCH_DATABASE)

import django  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--application-rows", type=int, default=195_000)
    parser.add_argument("--history-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["application", "bureau", "installments_payments"],
        default=["application", "bureau", "installments_payments"],
    )
    return parser.parse_args(argv)


# --- The files --------------------------------------------------------------------------------


def repeat_rows(
    header: bytes, lines: list[bytes], rows: int, out: Path, fresh: Callable[[bytes, int], bytes]
) -> Path:
    """`rows` data lines from `lines`, repeated; `fresh(line, n)` gives repeat n fresh keys."""
    with out.open("wb") as file:
        file.write(header)
        written = 0
        repeat = 0
        while written < rows:
            for line in lines[: rows - written]:
                file.write(fresh(line, repeat) + b"\n")
            written += min(len(lines), rows - written)
            repeat += 1
    return out


def build_files(folder: Path, *, application_rows: int, history_rows: int) -> dict[str, Path]:
    from ml.synthetic import generate_to_dir

    synthetic = folder / "synthetic"
    generate_to_dir(n_clients=SYNTHETIC_CLIENTS, out_dir=synthetic, seed=0)
    files = {}

    if REAL_APPLICATIONS.is_file():
        with gzip.open(REAL_APPLICATIONS, "rb") as source:
            header, *lines = source.read().splitlines(keepends=False)
        origin = "real rows of application_train.csv.gz"
    else:
        header, *lines = (synthetic / "application_train.csv").read_bytes().splitlines()
        origin = "synthetic rows (real samples absent)"
    next_id = iter(range(1_000_000, 10**9))

    def fresh_client(line: bytes, repeat: int) -> bytes:
        return b"%d" % next(next_id) + line[line.index(b",") :]

    (folder / "application").mkdir()
    files["application"] = repeat_rows(
        header + b"\n",
        lines,
        application_rows,
        folder / "application" / "application_train.csv",
        fresh_client,
    )
    print(f"application_train.csv: {application_rows:,} rows ({origin}, fresh SK_ID_CURR)")

    def fresh_second_key(line: bytes, repeat: int) -> bytes:
        first, second, rest = line.split(b",", 2)
        return b"%s,%d,%s" % (first, int(second) + repeat * 100_000_000, rest)

    def fresh_first_key(line: bytes, repeat: int) -> bytes:
        first, rest = line.split(b",", 1)
        return b"%d,%s" % (int(first) + repeat * 100_000_000, rest)

    for name, fresh, what in (
        ("bureau", fresh_second_key, "SK_ID_BUREAU"),
        ("installments_payments", fresh_first_key, "SK_ID_PREV"),
    ):
        header, *lines = (synthetic / f"{name}.csv").read_bytes().splitlines()
        (folder / name).mkdir()
        files[name] = repeat_rows(
            header + b"\n", lines, history_rows, folder / name / f"{name}.csv", fresh
        )
        print(
            f"{name}.csv: {history_rows:,} rows (synthetic, {len(lines):,} generated, "
            f"repeated with fresh {what})"
        )
    shutil.rmtree(synthetic)
    return files


# --- The measures -----------------------------------------------------------------------------


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", database_url(BENCH_DATABASE), "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def timed(run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def command_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(BENCH_DATABASE),
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.local",
        "DJANGO_DEBUG": "False",
    }


def run_import(folder: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_homecredit", str(folder)],
        cwd=REPO,
        env=command_environment(),
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"import_homecredit failed:\n{finished.stdout}\n{finished.stderr}")


def header_of(path: Path) -> list[str]:
    with path.open("rb") as file:
        return file.readline().decode().strip().split(",")


def measure(name: str, path: Path, *, repeats: int, cursor) -> dict[str, float]:
    from clients.importer.loading import db_table
    from ml import schema

    table = schema.TABLES_BY_NAME[name]
    target = db_table(table)
    header = header_of(path)
    text_columns = ", ".join(f'"{column}" text' for column in header)
    raw_copy = f"\\copy raw_text FROM '{path}' WITH (FORMAT csv, HEADER true)"
    sql_types = {schema.INT: "bigint", schema.FLOAT: "double precision", schema.STR: "text"}
    typed_columns = ", ".join(
        f'"{column}" {sql_types[table.column(column).kind]}' for column in header
    )
    typed_copy = f"\\copy raw_typed FROM '{path}' WITH (FORMAT csv, HEADER true)"
    real_columns = ", ".join(table.column(column).field_name for column in header)
    real_copy = f"\\copy {target} ({real_columns}) FROM '{path}' WITH (FORMAT csv, HEADER true)"

    def empty_target() -> None:
        cursor.execute(f"TRUNCATE {target} CASCADE")

    if table.parent is not None:  # the clients of the file, key only, committed, not timed
        psql(f"DROP TABLE IF EXISTS raw_text; CREATE TABLE raw_text ({text_columns})")
        psql(raw_copy)
        cursor.execute("TRUNCATE application CASCADE")
        cursor.execute(
            "INSERT INTO application (sk_id_curr) "
            'SELECT DISTINCT "SK_ID_CURR"::bigint FROM raw_text'
        )

    raw, typed, imported, real = [], [], [], []
    for _ in range(repeats):
        psql(f"DROP TABLE IF EXISTS raw_text; CREATE TABLE raw_text ({text_columns})")
        raw.append(timed(lambda: psql(raw_copy)))
        psql("DROP TABLE raw_text")
        psql(f"DROP TABLE IF EXISTS raw_typed; CREATE TABLE raw_typed ({typed_columns})")
        typed.append(timed(lambda: psql(typed_copy)))
        psql("DROP TABLE raw_typed")
        empty_target()
        imported.append(timed(lambda: run_import(path.parent)))
        empty_target()
        real.append(timed(lambda: psql(real_copy)))
    empty_target()
    run_import(path.parent)
    reimport = timed(lambda: run_import(path.parent))
    return {
        "raw": min(raw),
        "typed": min(typed),
        "import": min(imported),
        "real": min(real),
        "reimport": reimport,
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if shutil.which("psql") is None:
        print("psql is not installed: the raw baseline needs it.", file=sys.stderr)
        return 1
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch, scratch_database(BENCH_DATABASE):
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        files = build_files(
            Path(scratch),
            application_rows=args.application_rows,
            history_rows=args.history_rows,
        )
        print(
            f"\nBest of {args.repeats} runs each, timed alternately; load average "
            f"{load_before[0]:.1f} at the start.\n"
        )
        raw_title, typed_title = "raw \\copy", "typed \\copy"
        print(
            f"{'file':<26} {'rows':>9}  {raw_title:>20}  {'import (command)':>20}  "
            f"{'ratio':>5}  {typed_title:>20}  {'ratio':>5}  {'COPY real':>20}  "
            f"{'re-import':>10}"
        )
        results = {}
        with connection.cursor() as cursor:
            for name in args.only:
                path = files[name]
                rows = args.application_rows if name == "application" else args.history_rows
                seconds = measure(name, path, repeats=args.repeats, cursor=cursor)
                results[name] = seconds

                def rate(s: float, rows: int = rows) -> str:
                    return f"{rows / s:>9,.0f} r/s {s:>6.2f} s"

                print(
                    f"{path.name:<26} {rows:>9,}  {rate(seconds['raw'])}  "
                    f"{rate(seconds['import'])}  {seconds['raw'] / seconds['import']:>5.2f}  "
                    f"{rate(seconds['typed'])}  {seconds['typed'] / seconds['import']:>5.2f}  "
                    f"{rate(seconds['real'])}  {seconds['reimport']:>8.2f} s"
                )
    load_after = os.getloadavg()
    print(
        f"\nLoad average {load_before[0]:.1f} (1 min) / {load_before[1]:.1f} (5 min) at the "
        f"start, {load_after[0]:.1f} / {load_after[1]:.1f} at the end ({os.cpu_count()} cores)."
        "\nratio: raw \\copy time / import time. typed \\copy: \\copy into a bare table "
        "of the file's columns with their types (no key, index or link): what storing "
        "typed values costs, whoever stores them; its ratio: typed time / import time. "
        "COPY real: \\copy into the real table (keys, indexes, foreign keys), no check. "
        "re-import: the same command again, nothing new."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
