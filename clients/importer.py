"""Import the Kaggle Home Credit CSV files into the client tables.

The fast path is Postgres' own CSV reader: each file is streamed with `COPY`
into a temporary staging table typed like its target, so Postgres checks
numbers and field counts itself, then one `INSERT ... SELECT ... ON CONFLICT
DO NOTHING` moves the new rows into the real table. No row goes through the
ORM. The whole run is one transaction: a bad file anywhere leaves the
database exactly as it was, including the files of the same run that loaded
fine before it.

Rows are numbered as they are copied (a `bigserial` the COPY does not fill),
so staging row n is line n + 1 of the file and every error can name its line.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psycopg
from django.db import IntegrityError, connection, transaction

from clients.models import MODEL_FOR_TABLE
from ml import schema

# Bytes handed to COPY at a time; large enough that Python is not the bottleneck.
CHUNK_BYTES = 1 << 20
PROGRESS_EVERY_SECONDS = 2.0
STAGING_TABLE = "homecredit_import_staging"

SQL_TYPE_FOR_KIND = {
    schema.INT: "bigint",
    schema.FLOAT: "double precision",
    schema.STR: "text",
}
# What a parent row is called in the orphan message, by parent table.
_PARENT_NOUN = {
    schema.APPLICATION.name: ("client", "clients"),
    schema.BUREAU.name: ("bureau credit", "bureau credits"),
}

Progress = Callable[[str], None]


class HomeCreditImportError(Exception):
    """A file cannot be imported; the message names the file, line and column."""

    def __init__(
        self, message: str, *, file_name: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.file_name = file_name
        self.line = line
        self.column = column  # the Kaggle column name, e.g. "AMT_CREDIT_SUM"
        where = file_name
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


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


@dataclass(frozen=True)
class _SourceFile:
    path: Path
    table: schema.Table


def import_homecredit_dir(
    *, data_dir: Path, skip_orphans: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import every Kaggle Home Credit file found in `data_dir`, parents first.

    All or nothing: any bad file raises `HomeCreditImportError` and nothing of
    the run is kept. Rows already in the database are skipped, so running
    twice adds nothing. History rows whose client (or bureau credit) is
    unknown are refused unless `skip_orphans`, which leaves them out.
    """
    say = progress or (lambda message: None)
    started = time.perf_counter()
    sources, ignored = _find_source_files(data_dir)
    for name in ignored:
        say(f"{name}: not a Home Credit file, ignored")
    reports: list[FileReport] = []
    with transaction.atomic(), connection.cursor() as cursor:
        # The row digest hashes floats as text: pin their text form.
        cursor.execute("SET LOCAL extra_float_digits = 1")
        for source in sources:
            reports.append(_import_file(cursor, source=source, skip_orphans=skip_orphans, say=say))
    _analyze(report.table for report in reports if report.inserted)
    return ImportReport(
        data_dir=data_dir,
        files=tuple(reports),
        ignored_files=tuple(ignored),
        seconds=time.perf_counter() - started,
    )


def _analyze(tables) -> None:
    """Refresh the planner's statistics of the tables just loaded.

    Autovacuum would get to it, minutes later: until then Postgres plans
    with the statistics of the empty tables, and reading one client's credit
    history (the first scores after an import) scans the whole of
    bureau_balance: 26 ms instead of 2 ms for one client of 5,000 here.
    """
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables):
            cursor.execute(f'ANALYZE "{MODEL_FOR_TABLE[table]._meta.db_table}"')


def _find_source_files(data_dir: Path) -> tuple[list[_SourceFile], list[str]]:
    """The Kaggle files of `data_dir` in load order, and the names of the others."""
    if not data_dir.is_dir():
        raise HomeCreditImportError("no such folder", file_name=str(data_dir))
    found: dict[str, Path] = {}
    ignored: list[str] = []
    for path in sorted(data_dir.iterdir()):
        table = schema.table_for_file(path.name) if path.is_file() else None
        if table is None:
            ignored.append(path.name)
            continue
        plain_name = path.name.removesuffix(".gz")
        if plain_name in found:
            raise HomeCreditImportError(
                f"the folder holds both {found[plain_name].name} and {path.name}; keep one",
                file_name=str(data_dir),
            )
        found[plain_name] = path
    if not found:
        expected = ", ".join(name for table in schema.TABLES for name in table.file_names)
        raise HomeCreditImportError(
            f"none of the Home Credit files is there (expected any of {expected}, "
            "each possibly gzipped as .csv.gz)",
            file_name=str(data_dir),
        )
    sources = [
        _SourceFile(path=found[name], table=table)
        for table in schema.TABLES
        for name in table.file_names
        if name in found
    ]
    return sources, ignored


def _import_file(cursor, *, source: _SourceFile, skip_orphans: bool, say: Progress) -> FileReport:
    started = time.perf_counter()
    table = source.table
    file_name = source.path.name
    with _open_binary(source.path) as stream:
        header = _read_header(stream, file_name=file_name)
        _check_header(header, table=table, file_name=file_name)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        cursor.execute(_staging_table_sql(table))
        rows_read = _copy_rows(
            cursor, stream, source=source, header=header, started=started, say=say
        )

    def still_working(seconds: float) -> str:
        return (
            f"{file_name}: {rows_read:,} rows read, checking them and inserting the new ones "
            f"({seconds:.0f} s)"
        )

    with _heartbeat(say, still_working):
        _check_floats_are_finite(cursor, table=table, file_name=file_name)
        orphans = _count_orphans(cursor, table=table)
        if orphans and not skip_orphans:
            raise _orphans_error(cursor, table=table, file_name=file_name, orphans=orphans)
        inserted = _insert_new_rows(cursor, table=table, leave_out_orphans=bool(orphans))
        _check_links_now(cursor, table=table, file_name=file_name)
    cursor.execute(f"DROP TABLE {STAGING_TABLE}")
    report = FileReport(
        file_name=file_name,
        table=table.name,
        rows_read=rows_read,
        inserted=inserted,
        already_present=rows_read - orphans - inserted,
        orphans_skipped=orphans,
        seconds=time.perf_counter() - started,
    )
    say(describe_file_report(report))
    return report


def describe_file_report(report: FileReport) -> str:
    """One line for people: what happened to the rows of one file."""
    line = (
        f"{report.file_name}: {report.rows_read:,} rows read in {report.seconds:.1f} s "
        f"({report.rows_per_second:,.0f} rows/s): {report.inserted:,} inserted, "
        f"{report.already_present:,} already present"
    )
    if report.orphans_skipped:
        line += f", {report.orphans_skipped:,} left out (no parent row)"
    return line


# --- Reading the file -------------------------------------------------------------------


def _open_binary(path: Path) -> BinaryIO:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _read_header(stream: BinaryIO, *, file_name: str) -> list[str]:
    """The column names of line 1; `stream` is left at the start of line 2."""
    try:
        raw = stream.readline()
    except (OSError, EOFError) as error:  # a damaged .gz
        raise HomeCreditImportError(f"cannot be read: {error}", file_name=file_name) from error
    if not raw.strip():
        raise HomeCreditImportError("the file is empty (no header line)", file_name=file_name)
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError as error:
        raise HomeCreditImportError(
            "the header is not UTF-8 text", file_name=file_name, line=1
        ) from error
    return [name.strip() for name in next(csv.reader([text]))]


def _check_header(header: list[str], *, table: schema.Table, file_name: str) -> None:
    known = set(table.column_names)
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise HomeCreditImportError(
            f"repeated {_columns_phrase(repeated)}", file_name=file_name, line=1
        )
    unknown = [name for name in header if name not in known]
    if unknown:
        raise HomeCreditImportError(
            f"unknown {_columns_phrase(unknown)} (not in the Kaggle {table.name} table)",
            file_name=file_name,
            line=1,
        )
    missing = [
        name
        for name in table.column_names
        if name not in header and name not in table.optional_columns
    ]
    if missing:
        raise HomeCreditImportError(
            f"missing {_columns_phrase(missing)}", file_name=file_name, line=1
        )


def _columns_phrase(names: list[str]) -> str:
    return ("column " if len(names) == 1 else "columns ") + ", ".join(names)


# --- Staging -----------------------------------------------------------------------------


def _required_columns(table: schema.Table) -> set[str]:
    """The Kaggle columns that identify a row or its parent: never empty."""
    required = set(table.natural_key or ())
    if table.parent is not None:
        required.add(table.parent[0])
    return required


def _staging_table_sql(table: schema.Table) -> str:
    required = _required_columns(table)
    columns = ",\n".join(
        f"{column.field_name} {SQL_TYPE_FOR_KIND[column.kind]}"
        + (" NOT NULL" if column.name in required else "")
        for column in table.columns
    )
    # row_no is filled in file order by the sequence: row n is line n + 1.
    return f"CREATE TEMP TABLE {STAGING_TABLE} (\nrow_no bigserial,\n{columns}\n) ON COMMIT DROP"


def _copy_rows(
    cursor,
    stream: BinaryIO,
    *,
    source: _SourceFile,
    header: list[str],
    started: float,
    say: Progress,
) -> int:
    """Stream the data lines of `stream` into the staging table; the rows copied."""
    file_name = source.path.name
    columns = ", ".join(source.table.column(name).field_name for name in header)
    sql = f"COPY {STAGING_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER false)"
    lines_sent = 0
    next_report = started + PROGRESS_EVERY_SECONDS
    try:
        with cursor.copy(sql) as copy:
            for chunk in _data_chunks(stream, file_name=file_name):
                copy.write(chunk)
                lines_sent += chunk.count(b"\n")
                now = time.perf_counter()
                if now >= next_report:
                    say(
                        f"{file_name}: {lines_sent:,} rows so far, "
                        f"{lines_sent / (now - started):,.0f} rows/s"
                    )
                    next_report = now + PROGRESS_EVERY_SECONDS
    except psycopg.Error as error:
        raise _copy_error(error, source=source, header=header) from error
    return cursor.rowcount


def _data_chunks(stream: BinaryIO, *, file_name: str) -> Iterator[bytes]:
    """The rest of `stream` in chunks, without blank lines at the very end.

    Editors often leave an empty last line; COPY would read it as a row of
    missing fields.
    """
    held_newlines = b""
    while True:
        try:
            chunk = stream.read(CHUNK_BYTES)
        except (OSError, EOFError) as error:  # a damaged or truncated .gz
            raise HomeCreditImportError(f"cannot be read: {error}", file_name=file_name) from error
        if not chunk:
            break
        body = chunk.rstrip(b"\r\n")
        if not body:
            held_newlines += chunk
            continue
        if held_newlines:
            yield held_newlines
        yield body
        held_newlines = chunk[len(body) :]
    if held_newlines:
        yield b"\r\n" if held_newlines.startswith(b"\r\n") else b"\n"


# Postgres' COPY error context: 'COPY staging, line 57, column amt_credit: "abc"'.
_CONTEXT = re.compile(r"line (?P<line>\d+)(?:, column (?P<column>\w+))?")
_MISSING_DATA = re.compile(r'missing data for column "(?P<column>\w+)"')


def _copy_error(
    error: psycopg.Error, *, source: _SourceFile, header: list[str]
) -> HomeCreditImportError:
    """Postgres' COPY error told in the file's terms (its line, the Kaggle column)."""
    file_name = source.path.name
    diag = error.diag
    context = _CONTEXT.search(diag.context or "")
    # COPY saw the data lines only: its line 1 is the file's line 2.
    line = int(context["line"]) + 1 if context else None
    field = (context["column"] if context else None) or diag.column_name
    column = _kaggle_name(field, source.table)
    value = _quoted_value(diag.context)
    primary = diag.message_primary or str(error)

    if isinstance(error, psycopg.errors.InvalidTextRepresentation) and column:
        kind = source.table.column(column).kind
        noun = "an integer" if kind == schema.INT else "a number"
        message = f"{value} is not {noun}"
    elif isinstance(error, psycopg.errors.NumericValueOutOfRange) and column:
        message = f"{value} is too large"
    elif isinstance(error, psycopg.errors.NotNullViolation):
        message = "empty, but this column identifies the row and must hold a value"
    elif isinstance(error, psycopg.errors.BadCopyFileFormat):
        column = None
        message, line = _describe_broken_line(primary, line, source=source, header=header)
    elif isinstance(
        error, psycopg.errors.CharacterNotInRepertoire | psycopg.errors.UntranslatableCharacter
    ):
        message = f"not valid UTF-8 text ({primary})"
    else:
        message = primary
    return HomeCreditImportError(message, file_name=file_name, line=line, column=column)


def _describe_broken_line(
    primary: str, line: int | None, *, source: _SourceFile, header: list[str]
) -> tuple[str, int | None]:
    if primary.startswith("extra data after last expected column"):
        return f"more fields than the {len(header)} columns of the header", line
    missing = _MISSING_DATA.search(primary)
    if missing:
        if line is not None and _line_is_blank(source.path, line):
            return "empty line", line
        column = _kaggle_name(missing["column"], source.table)
        return (
            f"fewer fields than the {len(header)} columns of the header (nothing for {column})",
            line,
        )
    if "unterminated CSV quoted field" in primary:
        # Postgres reports where the file ended; find where the quote opened.
        return "a quoted field is never closed", _line_of_unclosed_quote(source.path) or line
    return primary, line


def _kaggle_name(field_name: str | None, table: schema.Table) -> str | None:
    if not field_name:
        return None
    for column in table.columns:
        if column.field_name == field_name:
            return column.name
    return None


def _quoted_value(context: str | None) -> str:
    """The offending value as Postgres quoted it at the end of the context."""
    if context and context.endswith('"') and ': "' in context:
        return '"' + context.split(': "', 1)[1]
    return "the value"


def _text_lines(path: Path) -> Iterator[str]:
    with _open_binary(path) as stream:
        yield from io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")


def _line_is_blank(path: Path, line: int) -> bool:
    for number, text in enumerate(_text_lines(path), start=1):
        if number == line:
            return not text.strip()
    return False


def _line_of_unclosed_quote(path: Path) -> int | None:
    """The line where a quoted field opens and never closes (the error path only)."""
    inside_quotes = False
    opened_at = None
    for number, text in enumerate(_text_lines(path), start=1):
        if text.count('"') % 2:  # an odd count opens or closes a field spanning lines
            inside_quotes = not inside_quotes
            opened_at = number if inside_quotes else None
    return opened_at


# --- Checks after the copy -----------------------------------------------------------------


def _check_floats_are_finite(cursor, *, table: schema.Table, file_name: str) -> None:
    """Refuse NaN and infinities: Postgres reads them as numbers, Kaggle means none of them.

    x * 0 is 0 for every finite x and NaN otherwise, so one sum finds the rows.
    """
    floats = [c for c in table.columns if c.kind == schema.FLOAT]
    if not floats:
        return
    total = " + ".join(f"coalesce({c.field_name}, 0) * 0" for c in floats)
    cursor.execute(
        f"SELECT row_no, {', '.join(c.field_name for c in floats)} FROM {STAGING_TABLE} "
        f"WHERE ({total}) <> 0 ORDER BY row_no LIMIT 1"
    )
    bad = cursor.fetchone()
    if bad is None:
        return
    row_no, *values = bad
    for column, value in zip(floats, values, strict=True):
        if value is not None and not math.isfinite(value):
            raise HomeCreditImportError(
                f'"{value}" is not a usable number (leave the field empty for an unknown value)',
                file_name=file_name,
                line=row_no + 1,
                column=column.name,
            )


def _parent_clause(table: schema.Table) -> tuple[str, str] | None:
    """(parent key column, SQL condition "the parent row exists" on staging row s)."""
    if table.parent is None:
        return None
    column, parent_name = table.parent
    parent_table = MODEL_FOR_TABLE[parent_name]._meta.db_table
    field = table.column(column).field_name
    return column, f"EXISTS (SELECT 1 FROM {parent_table} p WHERE p.{field} = s.{field})"


def _count_orphans(cursor, *, table: schema.Table) -> int:
    clause = _parent_clause(table)
    if clause is None:
        return 0
    cursor.execute(f"SELECT count(*) FROM {STAGING_TABLE} s WHERE NOT {clause[1]}")
    return cursor.fetchone()[0]


def _orphans_error(
    cursor, *, table: schema.Table, file_name: str, orphans: int
) -> HomeCreditImportError:
    column, exists = _parent_clause(table)
    field = table.column(column).field_name
    cursor.execute(
        f"SELECT row_no, {field} FROM {STAGING_TABLE} s WHERE NOT {exists} ORDER BY row_no LIMIT 1"
    )
    row_no, parent_id = cursor.fetchone()
    one, many = _PARENT_NOUN[table.parent[1]]
    if orphans == 1:
        what = f"1 row refers to a {one} that is not in the database"
    else:
        what = f"{orphans:,} rows refer to {many} that are not in the database"
    return HomeCreditImportError(
        f"{what} (first: line {row_no + 1}, {column}={parent_id}). "
        f"Import their {many} first, or pass --skip-orphans to leave them out.",
        file_name=file_name,
    )


# --- Insert -------------------------------------------------------------------------------


def row_digest_sql(table: schema.Table, *, alias: str = "s") -> str:
    """SQL for the row digest of a keyless table: md5 of the row's Kaggle values as a uuid.

    The values, typed (so "48" and "48.0" hash alike) and in schema order, are
    rendered as one Postgres row literal, e.g. `(1803195,182943,-31,48,,Active,0,0)`:
    NULL is an empty field, an empty text is `""`, texts holding commas or
    quotes are quoted, so two different rows never render alike.
    """
    values = ", ".join(f"{alias}.{c.field_name}" for c in table.columns)
    return f"md5(ROW({values})::text)::uuid"


def _insert_new_rows(cursor, *, table: schema.Table, leave_out_orphans: bool) -> int:
    """Move the staged rows into the real table, skipping those already there."""
    target = MODEL_FOR_TABLE[table.name]._meta.db_table
    columns = [c.field_name for c in table.columns]
    source = STAGING_TABLE
    if table.natural_key is None:
        columns.append("row_digest")
        # OFFSET 0 keeps the subquery whole, so each digest is computed once.
        source = (
            f"(SELECT *, {row_digest_sql(table)} AS row_digest FROM {STAGING_TABLE} s OFFSET 0)"
        )
        key = ["row_digest"]
    else:
        key = [table.column(name).field_name for name in table.natural_key]
    values = [f"s.{name}" for name in columns]
    if table is schema.APPLICATION:
        columns += ["created_at", "updated_at"]
        values += ["now()", "now()"]
    # Rows already in the table are left out by one hash anti-join, much faster on a
    # re-import than letting ON CONFLICT probe the index row by row (0.23 s against
    # 0.8 s for application_test). ON CONFLICT DO NOTHING then skips the repeats
    # within the file: a fresh temp table is read in the order it was filled (never
    # in parallel), so of two rows with one key the first line wins.
    match = " AND ".join(f"t.{name} = s.{name}" for name in key)
    conditions = [f"NOT EXISTS (SELECT 1 FROM {target} t WHERE {match})"]
    if leave_out_orphans:
        conditions.append(_parent_clause(table)[1])
    cursor.execute(
        f"INSERT INTO {target} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source} s WHERE {' AND '.join(conditions)} "
        "ON CONFLICT DO NOTHING"
    )
    return cursor.rowcount


def _check_links_now(cursor, *, table: schema.Table, file_name: str) -> None:
    """Run the deferred foreign-key checks of this file's rows now, not at commit.

    They cost a lookup per row (a good part of the import of a history file):
    done here, they count in the file's time and progress, and a failure names
    the file. Then back to deferred, as Django expects (cf. check_constraints).
    """
    if table.parent is None:
        return
    try:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except IntegrityError as error:  # a parent deleted meanwhile by another session
        raise HomeCreditImportError(str(error).splitlines()[0], file_name=file_name) from error


@contextmanager
def _heartbeat(say: Progress, message: Callable[[float], str]) -> Iterator[None]:
    """Say `message(seconds so far)` every few seconds until the block ends.

    The block runs long SQL statements that tell nothing until they finish; the
    thread only prints, it never touches the database connection.
    """
    done = threading.Event()
    started = time.perf_counter()

    def beat() -> None:
        while not done.wait(PROGRESS_EVERY_SECONDS):
            say(message(time.perf_counter() - started))

    thread = threading.Thread(target=beat, name="import-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
