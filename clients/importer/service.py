"""`import_homecredit_dir`: the Kaggle Home Credit files of a folder, loaded in one transaction."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from ml import schema

from . import direct, staging
from .dialect import ColumnPlan, Dialect, ReadOptions, detect_dialect
from .errors import columns_phrase
from .files import SourceFile, find_source_files
from .loading import (
    Detached,
    db_table,
    detach,
    empty_tables,
    fire_deferred_checks,
    insert_new_rows,
    is_superuser,
    lock_parents,
    reattach,
    row_checks_off,
)
from .staging import STAGING_TABLE, check_staged, stage_file
from .stream import read_sample

Progress = Callable[[str], None]

# For the run's transaction only.
WORK_MEM = "64MB"
MAINTENANCE_WORK_MEM = "256MB"
# The statistics target of the ANALYZE right after the run (see _analyze); 100 by default.
QUICK_STATISTICS_TARGET = 10


@dataclass(frozen=True)
class FileReport:
    file_name: str
    table: str
    rows_read: int
    inserted: int
    # Rows whose key was already in the database, or repeated in the file.
    already_present: int
    # Rows left out because their client (or bureau credit) does not exist.
    orphans_skipped: int
    seconds: float
    # How the file was read, e.g. "delimiter ';', decimal ',', encoding utf-8 (BOM), …".
    dialect: str = ""
    # Unknown columns left out (--ignore-unknown-columns).
    left_out_columns: tuple[str, ...] = ()
    # Anything else a person should know, e.g. "pandas index column left out".
    notes: tuple[str, ...] = ()
    # COPYed straight into its empty table (direct.py), not through the staging table.
    loaded_directly: bool = False

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class ImportReport:
    data_dir: Path
    files: tuple[FileReport, ...]
    # Files of the folder that are not Kaggle Home Credit files.
    ignored_files: tuple[str, ...]
    seconds: float

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def inserted(self) -> int:
        return sum(f.inserted for f in self.files)

    @property
    def already_present(self) -> int:
        return sum(f.already_present for f in self.files)

    @property
    def orphans_skipped(self) -> int:
        return sum(f.orphans_skipped for f in self.files)


def import_homecredit_dir(
    *,
    data_dir: Path,
    skip_orphans: bool = False,
    progress: Progress | None = None,
    ignore_unknown_columns: bool = False,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    na_values: Iterable[str] | None = None,
) -> ImportReport:
    """Import every Kaggle Home Credit file found in `data_dir`, parents first.

    All or nothing: any bad file raises `HomeCreditImportError` and nothing of
    the run is kept. Rows already in the database are skipped, so running
    twice adds nothing. History rows whose client (or bureau credit) is
    unknown are refused unless `skip_orphans`, which leaves them out.

    How each file is written (delimiter, decimal mark, encoding, missing-value
    tokens) is detected from its first lines; `delimiter` (",", ";", "\\t" or
    "|"), `decimal` ("." or ","), `encoding` (a Python codec name) and
    `na_values` (the tokens read as missing besides the empty field; default
    NA, N/A, #N/A, NaN, nan, null, NULL, None) override the guesses for every
    file. Columns the Kaggle table does not have are refused unless
    `ignore_unknown_columns`, which leaves them out.
    """
    options = ReadOptions(
        delimiter=delimiter,
        decimal=decimal,
        encoding=encoding,
        na_values=tuple(na_values) if na_values is not None else None,
        ignore_unknown_columns=ignore_unknown_columns,
    )
    say = progress or (lambda message: None)
    started = time.perf_counter()
    sources, ignored = find_source_files(data_dir)
    for name in ignored:
        say(f"{name}: not a Home Credit file, ignored")
    # Line 1 and the first lines of every file are read and checked before anything
    # loads: a wrong header in the last file stops the run at once.
    plans = [(source, *_read_start(source, options)) for source in sources]
    reports: list[FileReport] = []
    with transaction.atomic(), connection.cursor() as cursor:
        # Memory for the run's joins and sorts (the anti-join of a re-import hashes every
        # key of the table; an index build sorts them), as PostgreSQL's guide to
        # populating a database advises: 4 MB by default spill them to disk.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        fire_deferred_checks(cursor, file_name=str(data_dir))
        empty_at_start = empty_tables(cursor)
        superuser = is_superuser(cursor)
        detached = None
        for number, (source, dialect, plan) in enumerate(plans):
            # Files of one table follow each other: its indexes are rebuilt after the last.
            last_of_table = number + 1 == len(plans) or plans[number + 1][0].table is not (
                source.table
            )
            report, detached = _import_file(
                cursor,
                source=source,
                dialect=dialect,
                plan=plan,
                options=options,
                skip_orphans=skip_orphans,
                empty_at_start=empty_at_start,
                superuser=superuser,
                detached=detached,
                last_of_table=last_of_table,
                say=say,
            )
            reports.append(report)
    _analyze(report.table for report in reports if report.inserted)
    return ImportReport(
        data_dir=data_dir,
        files=tuple(reports),
        ignored_files=tuple(ignored),
        seconds=time.perf_counter() - started,
    )


def _read_start(source: SourceFile, options: ReadOptions) -> tuple[Dialect, ColumnPlan]:
    sample = read_sample(source.path, options=options)
    return detect_dialect(sample, table=source.table, options=options, file_name=source.name)


def _notes(plan: ColumnPlan) -> list[str]:
    notes = []
    if plan.row_index_base == 0:
        notes.append("pandas index column left out")
    elif plan.row_index_base == 1:
        notes.append("row-number column (R) left out")
    if plan.left_out:
        notes.append(f"{columns_phrase(list(plan.left_out))} left out")
    if plan.trailing_empty:
        notes.append("empty last column left out (lines end with a delimiter)")
    return notes


def _import_file(
    cursor,
    *,
    source: SourceFile,
    dialect: Dialect,
    plan: ColumnPlan,
    options: ReadOptions,
    skip_orphans: bool,
    empty_at_start: set[str],
    superuser: bool,
    detached: Detached | None,
    last_of_table: bool,
    say: Progress,
) -> tuple[FileReport, Detached | None]:
    """Load one file; returns its report and what stays detached from its table, if any."""
    started = time.perf_counter()
    file_name = source.name
    notes = _notes(plan)
    say(f"{file_name}: {'; '.join([dialect.describe(), *notes])}")
    table = source.table
    if detached is None:
        detached = detach(cursor, table, empty_at_start=empty_at_start)
    copied = None
    if detached is not None and direct.can_copy_directly(
        source=source, dialect=dialect, plan=plan, detached=detached
    ):
        copied = direct.copy_into_empty_table(
            cursor,
            source=source,
            dialect=dialect,
            plan=plan,
            detached=detached,
            superuser=superuser,
            started=started,
            say=say,
        )
    if copied is not None:
        rows_read, orphans, inserted, read_as = copied, 0, copied, dialect
    else:
        rows_read, orphans, inserted, read_as = _stage_and_insert(
            cursor,
            source=source,
            dialect=dialect,
            plan=plan,
            options=options,
            skip_orphans=skip_orphans,
            superuser=superuser,
            detached=detached,
            started=started,
            say=say,
        )

    with _heartbeat(say, _still_working(file_name, rows_read, "building the indexes")):
        fire_deferred_checks(cursor, file_name=file_name)
        # Repeats of a key whose index is off are removed file by file, to count them right.
        if detached is not None and (last_of_table or detached.key_detached):
            inserted -= reattach(cursor, detached, file_name=file_name)
            detached = None
    report = FileReport(
        file_name=file_name,
        table=source.table.name,
        rows_read=rows_read,
        inserted=inserted,
        already_present=rows_read - orphans - inserted,
        orphans_skipped=orphans,
        seconds=time.perf_counter() - started,
        dialect=read_as.describe(),
        left_out_columns=plan.left_out,
        notes=tuple(notes),
        loaded_directly=copied is not None,
    )
    say(describe_file_report(report))
    return report, detached


def _stage_and_insert(
    cursor,
    *,
    source: SourceFile,
    dialect: Dialect,
    plan: ColumnPlan,
    options: ReadOptions,
    skip_orphans: bool,
    superuser: bool,
    detached: Detached | None,
    started: float,
    say: Progress,
) -> tuple[int, int, int, Dialect]:
    """The staging path: (rows read, orphans left out, rows inserted, dialect as read)."""
    staged = stage_file(
        cursor,
        source=source,
        dialect=dialect,
        plan=plan,
        options=options,
        started=started,
        say=say,
    )

    table = source.table
    with _heartbeat(say, _still_working(source.name, staged.rows, "inserting the new ones")):
        # Where the link to the parent stays in place, a superuser's import checks it
        # itself for all rows at once (the foreign key's row-by-row check is off).
        parents = None
        link_kept = table.parent is not None and not (detached and detached.foreign_keys)
        if superuser and link_kept:
            staging.gather_parent_keys(cursor, table, rows_of=STAGING_TABLE)
            parents = lock_parents(cursor, table, rows_of=staging.PARENT_KEYS)
        checked = check_staged(
            cursor,
            source=source,
            dialect=staged.dialect,
            plan=plan,
            options=options,
            skip_orphans=skip_orphans,
            parents=parents,
            maybe_not_finite=staged.maybe_not_finite,
        )
        with row_checks_off(cursor, table, allowed=superuser):
            inserted = insert_new_rows(
                cursor,
                table=table,
                nan_as_missing=checked.nan_as_missing,
                leave_out_orphans=bool(checked.orphans),
                parents=parents,
            )
    cursor.execute(f"DROP TABLE {STAGING_TABLE}")
    return staged.rows, checked.orphans, inserted, staged.dialect


def describe_file_report(report: FileReport) -> str:
    """One line for people: what happened to the rows of one file."""
    line = (
        f"{report.file_name}: {report.rows_read:,} rows read in {report.seconds:.1f} s "
        f"({report.rows_per_second:,.0f} rows/s): {report.inserted:,} inserted, "
        f"{report.already_present:,} already present"
    )
    if report.orphans_skipped:
        line += f", {report.orphans_skipped:,} left out (no parent row)"
    for note in report.notes:
        line += f"; {note}"
    return line


# The columns of a table that an index or a foreign key holds.
_INDEXED_COLUMNS_SQL = """
SELECT a.attname FROM pg_attribute a
WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
  AND (EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey))
       OR EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conrelid = a.attrelid AND c.contype = 'f' AND a.attnum = ANY (c.conkey)))
ORDER BY a.attnum
"""


def _analyze(tables: Iterable[str]) -> None:
    """Give the planner the size of the tables just loaded and the statistics of their keys.

    Until then Postgres plans with the statistics of the empty tables, and reading
    one client's credit history (the first scores after an import) scans the whole
    of bureau_balance: 26 ms instead of 2 ms for one client of 5,000 here. The
    columns that indexes and foreign keys hold are what those plans need; they are
    analysed now (0.3 s for the application table, against 1 s to 2.6 s for its
    122 columns), from a sample of 3,000 rows rather than the default 30,000
    (bureau's keys: 36 ms against 318 ms for a million rows here): enough for
    the plans of one client's reads. An ANALYZE of some columns leaves the
    table's count of changes as it was, so autovacuum still analyses every
    column, with the full sample, within a minute or so.
    """
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(f"SET LOCAL default_statistics_target = {QUICK_STATISTICS_TARGET}")
        for table in dict.fromkeys(tables):
            name = db_table(schema.TABLES_BY_NAME[table])
            cursor.execute(_INDEXED_COLUMNS_SQL, [name])
            columns = ", ".join(f'"{column}"' for (column,) in cursor.fetchall())
            cursor.execute(f'ANALYZE "{name}" ({columns})')


def _still_working(file_name: str, rows: int, doing: str) -> Callable[[float], str]:
    """The heartbeat's line while the rows of a file are checked and `doing` runs."""
    return lambda seconds: (
        f"{file_name}: {rows:,} rows read, checking them and {doing} ({seconds:.0f} s)"
    )


@contextmanager
def _heartbeat(say: Progress, message: Callable[[float], str]) -> Iterator[None]:
    """Say `message(seconds so far)` every few seconds until the block ends.

    The block runs long SQL statements that tell nothing until they finish; the
    thread only prints, it never touches the database connection.
    """
    done = threading.Event()
    started = time.perf_counter()

    def beat() -> None:
        while not done.wait(staging.PROGRESS_EVERY_SECONDS):
            say(message(time.perf_counter() - started))

    thread = threading.Thread(target=beat, name="import-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
