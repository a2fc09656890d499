"""Speed of `import_homecredit` against a raw COPY of the same file, measured in one run.

    .venv/bin/python benchmarks/import_bench.py [DIR ...]

(IMPORT_BENCH_REPEATS=5 for more runs on a busy machine.)

DIRs (default: ../shared/data/homecredit/gitadum__credit_risk_rating and
../shared/data/homecredit/samurad2000__BDA-project_work) are searched for an
application file (application_test, else application_train; .csv or .csv.gz)
and for bureau.csv.

What is compared, per file, best of REPEATS runs:
- raw COPY: the file streamed (gunzipped in Python like the importer does) into
  a plain, freshly created table typed like the target, no index, no check:
  what `\\copy` costs, the ceiling of any importer;
- COPY into the real table: the same COPY straight into the emptied target
  table with its primary key, indexes and (deferred) foreign keys, committed:
  what the table itself costs, whoever fills it (it would fail on any bad or
  repeated row);
- import: `import_homecredit_dir` on a folder holding only that file, into the
  migrated tables emptied beforehand: staging COPY, checks, orphan count and
  `INSERT ... ON CONFLICT` into the real table, committed.
For bureau, an application row (key only) is inserted beforehand for every
SK_ID_CURR of the file, outside the timing, so that every row is imported
(no orphan) and the work matches the raw COPY's.
A second import of the same file (every row already present) is timed too.

The benchmark creates its own database `creditscore_bench_import` on the
server of DATABASE_URL and drops it at the end; it never touches another one.
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "data" / "homecredit"
DEFAULT_DIRS = (
    SAMPLES / "gitadum__credit_risk_rating",
    SAMPLES / "samurad2000__BDA-project_work",
)
BENCH_DATABASE = "creditscore_bench_import"
REPEATS = int(os.environ.get("IMPORT_BENCH_REPEATS", "3"))
CHUNK_BYTES = 1 << 20


# Django must see the benchmark database before it loads the settings.
sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import (  # noqa: E402
    SERVER_URL,
    scratch_database,
    use_scratch_database,
)

use_scratch_database(BENCH_DATABASE)

import django  # noqa: E402


def find_file(dirs: list[Path], stems: tuple[str, ...]) -> Path | None:
    for stem in stems:
        for folder in dirs:
            for name in (stem, stem + ".gz"):
                if (folder / name).is_file():
                    return folder / name
    return None


def open_binary(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def best_seconds(run: Callable[[], None], *, reset: Callable[[], None]) -> float:
    timings = []
    for _ in range(REPEATS):
        reset()
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def copy_seconds(path: Path, table, cursor, *, into: str, reset: Callable[[], None]) -> float:
    """Best time of a COPY of `path` into the table `into` (emptied by `reset`)."""
    with open_binary(path) as stream:
        header = stream.readline().decode("utf-8-sig").strip().split(",")
    columns = ", ".join(table.column(name).field_name for name in header)
    sql = f"COPY {into} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"

    def run() -> None:
        with open_binary(path) as stream, cursor.copy(sql) as copy:
            while chunk := stream.read(CHUNK_BYTES):
                copy.write(chunk)

    return best_seconds(run, reset=reset)


def raw_copy_seconds(path: Path, table, cursor) -> float:
    """A plain COPY into a fresh typed table without keys: what `\\copy` costs."""
    from clients.importer import SQL_TYPE_FOR_KIND

    columns = ", ".join(f"{c.field_name} {SQL_TYPE_FOR_KIND[c.kind]}" for c in table.columns)

    def reset() -> None:
        cursor.execute(f"DROP TABLE IF EXISTS raw_copy; CREATE TABLE raw_copy ({columns})")

    return copy_seconds(path, table, cursor, into="raw_copy", reset=reset)


def main(argv: list[str]) -> int:
    dirs = [Path(arg) for arg in argv] or list(DEFAULT_DIRS)
    for folder in dirs:
        if not folder.is_dir():
            print(f"Folder not found: {folder} (the real samples are absent here).")
    application_file = find_file(dirs, ("application_test.csv", "application_train.csv"))
    bureau_file = find_file(dirs, ("bureau.csv",))
    if application_file is None and bureau_file is None:
        print("No application file nor bureau.csv found: nothing to measure.", file=sys.stderr)
        return 1
    for label, found in (("application file", application_file), ("bureau.csv", bureau_file)):
        print(f"{label}: {found or 'ABSENT, not measured'}")

    with scratch_database(BENCH_DATABASE):
        return _measure(application_file, bureau_file)


def _measure(application_file: Path | None, bureau_file: Path | None) -> int:
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from clients.importer import import_homecredit_dir
    from clients.models import MODEL_FOR_TABLE
    from ml import schema

    call_command("migrate", verbosity=0)
    print(
        f"\nBest of {REPEATS} runs each; database {BENCH_DATABASE} on "
        f"{urlsplit(SERVER_URL).hostname}.\n"
    )
    print(
        f"{'file':<26} {'rows':>7} {'raw COPY':>12} {'COPY real':>12} {'import':>12} "
        f"{'/raw':>6} {'/real':>6} {'re-import':>12}"
    )
    # Only in this throwaway database: lets a bare COPY fill the application table.
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE application ALTER created_at SET DEFAULT now(), "
            "ALTER updated_at SET DEFAULT now()"
        )
    with tempfile.TemporaryDirectory() as scratch, connection.cursor() as cursor:
        for path, table in ((application_file, schema.APPLICATION), (bureau_file, schema.BUREAU)):
            if path is None:
                continue
            folder = Path(scratch) / table.name
            folder.mkdir()
            (folder / path.name).symlink_to(path.resolve())
            target = MODEL_FOR_TABLE[table.name]._meta.db_table

            def empty_target(target=target) -> None:
                cursor.execute(f"TRUNCATE {target} CASCADE")

            raw = raw_copy_seconds(path, table, cursor)
            if table is schema.BUREAU:
                _insert_clients_of_raw_copy(cursor)
            cursor.execute("DROP TABLE raw_copy")
            real = copy_seconds(path, table, cursor, into=target, reset=empty_target)

            rows = 0

            def run_import(folder=folder) -> None:
                nonlocal rows
                rows = import_homecredit_dir(data_dir=folder).rows_read

            imported = best_seconds(run_import, reset=empty_target)
            started = time.perf_counter()
            again = import_homecredit_dir(data_dir=folder)
            reimport = time.perf_counter() - started
            assert again.inserted == 0
            print(
                f"{path.name:<26} {rows:>7,} {rows / raw:>8,.0f} r/s {rows / real:>8,.0f} r/s "
                f"{rows / imported:>8,.0f} r/s {imported / raw:>5.2f}x {imported / real:>5.2f}x "
                f"{rows / reimport:>8,.0f} r/s"
            )
    print(
        "\n/raw, /real: import time over the raw COPY and over the COPY into the real table "
        "(1.00x: as fast as that COPY).\nre-import: the same file again, every row already "
        "present."
    )
    return 0


def _insert_clients_of_raw_copy(cursor) -> None:
    """Key-only application rows for every client of the bureau file (not timed)."""
    cursor.execute(
        "INSERT INTO application (sk_id_curr, created_at, updated_at) "
        "SELECT DISTINCT sk_id_curr, now(), now() FROM raw_copy ON CONFLICT DO NOTHING"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
