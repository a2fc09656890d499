"""The fast path: a file COPYed straight into its table, when that table is empty.

The staging path (staging.py) COPYs every file into a temporary table, checks
it there, then INSERTs it into the real table: every row is written twice.
Measured here (2 cores, PostgreSQL 15, one run): for a million bureau rows the
typed COPY into staging took 1.8 s and the INSERT 1.6 s, against 1.6 s for a
COPY straight into the table with its secondary indexes off.

So a file bound for a table that holds nothing yet (the first load of the Kaggle
data, a new database) goes straight in, inside a savepoint, and is checked where
it landed with the same set-based queries: numbers that are not finite, keys
left empty, links to parents that do not exist. Anything the fast path cannot
vouch for (a bad value COPY refuses, a repeated key, a NaN, an orphan) rolls the
savepoint back and the file takes the staging path, which names the line and
column as before or skips what it was told to skip. The guarantees stay those
of the run: one transaction, nothing half-imported, every bad value named.

The monthly tables take it too: their key is the whole row (clients.models._row_once),
an index rebuilt after the COPY like any other; rows repeated within the file are
removed then, the first line kept (`loading.reattach`), as for a repeated key.

Not taken (the staging path is): a table that holds rows (a re-import must skip
what is there), files that need the text path or carry columns left out (a
pandas index, unknown columns), and a link to a parent that held rows when the
importer may not check it itself (not a superuser: each row is then checked by
the foreign key, as on the staging path).
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from django.db import DatabaseError, transaction

from ml import schema

from . import loading, staging, stream
from .dialect import ColumnPlan, Dialect
from .files import SourceFile
from .loading import Detached, db_table, lock_parents, quoted, row_checks_off

Progress = Callable[[str], None]


class _TakeStagingPath(Exception):
    """The rows copied cannot be vouched for here: the staging path reads the file again."""


def can_copy_directly(
    *, source: SourceFile, dialect: Dialect, plan: ColumnPlan, detached: Detached | None
) -> bool:
    """Whether the file may go straight into its table (see the module's docstring)."""
    return (
        detached is not None
        and dialect.copy_null is not None
        and all(kaggle is not None for kaggle in plan.kaggle)
    )


def copy_into_empty_table(
    cursor,
    *,
    source: SourceFile,
    dialect: Dialect,
    plan: ColumnPlan,
    detached: Detached,
    superuser: bool,
    started: float,
    say: Progress,
) -> int | None:
    """COPY the file into its (empty) table and check the rows there.

    Returns the rows copied, or None when the file must take the staging path
    (nothing of this attempt is kept then).
    """
    table = source.table
    target = db_table(table)
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {target})")
    if cursor.fetchone()[0]:  # an earlier file of the run filled it: repeats must be skipped
        return None
    link_kept = table.parent is not None and not detached.foreign_keys
    if link_kept and not superuser:
        return None
    try:
        with transaction.atomic():
            key_back = _key_off(cursor, table)
            watch = stream.NotFiniteWatch()
            with row_checks_off(cursor, table, allowed=superuser):
                rows = staging.copy_rows(
                    cursor,
                    staging.copy_sql(target, plan, dialect, null=dialect.copy_null or ""),
                    source=source,
                    dialect=dialect,
                    started=started,
                    say=say,
                    inspect=watch,
                )
                _check_rows(cursor, table=table, link_kept=link_kept, maybe_not_finite=watch.seen)
            for statement in key_back:  # a repeated key fails here: the staging path skips it
                cursor.execute(statement)
    except _TakeStagingPath as reason:
        say(f"{source.name}: {reason}; reading it again through the staging table")
        return None
    except (DatabaseError, psycopg.Error):
        # A value COPY refused, a repeated key: the staging path meets it again and
        # names its line and column, or skips the repeats.
        return None
    return rows


_REFERENCES_SQL = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass ORDER BY conname
"""


def _key_off(cursor, table: schema.Table) -> list[str]:
    """Take the Kaggle key (primary key) of `table` off for the COPY; what puts it back.

    The keys of bureau.csv come in no order: kept up to date row by row, its
    key made the COPY of a million rows 4.3-4.9 s instead of 2.0-2.8 s (psql,
    loaded machine), where building it afterwards took 0.55-0.7 s. It is put
    back inside the savepoint: a key repeated in the file fails there, and the
    file takes the staging path, as when the COPY met the repeat.

    Only where every foreign key to that key comes from a Kaggle table (bureau,
    referred to by bureau_balance; previous_application): those tables are
    empty, as their parent is, and their links are put back with the key. The
    application's key stays: the scores and decisions refer to it. An identity
    key (the monthly tables) is already off (`loading.detach`).
    """
    target = db_table(table)
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'p'",
        [target],
    )
    key = cursor.fetchone()
    if key is None:
        return []
    cursor.execute(_REFERENCES_SQL, [target])
    references = cursor.fetchall()
    kaggle = {db_table(t) for t in schema.TABLES}
    if any(referring not in kaggle for referring, _, _ in references):
        return []
    off = [
        f"ALTER TABLE {referring} DROP CONSTRAINT {quoted(name)}"
        for referring, name, _ in references
    ]
    off.append(f"ALTER TABLE {target} DROP CONSTRAINT {quoted(key[0])}")
    back = [f"ALTER TABLE {target} ADD CONSTRAINT {quoted(key[0])} {key[1]}"]
    back += [
        f"ALTER TABLE {referring} ADD CONSTRAINT {quoted(name)} {definition}"
        for referring, name, definition in references
    ]
    # Dropping a link locks the table it comes from: wait for its readers a few seconds at
    # most, then keep the key.
    return back if loading.within_lock_timeout(cursor, off) else []


def _nullable(cursor, target: str, columns: list[str]) -> list[str]:
    """The `columns` of `target` that may hold NULL."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attname = ANY(%s) "
        "AND NOT attnotnull",
        [target, columns],
    )
    nullable = {name for (name,) in cursor.fetchall()}
    return [column for column in columns if column in nullable]


def _check_rows(cursor, *, table: schema.Table, link_kept: bool, maybe_not_finite: bool) -> None:
    """What COPY did not check, for every row at once; raises _TakeStagingPath if any fails."""
    target = db_table(table)
    counts = []
    floats = [c.field_name for c in table.columns if c.kind == schema.FLOAT]
    if maybe_not_finite and floats:
        counts.append(f"count(*) FILTER (WHERE {staging.not_finite(floats)})")
    # Keys the table itself lets be empty (COPY refused the others already).
    keys = _nullable(cursor, target, [table.column(n).field_name for n in table.natural_key or ()])
    if keys:
        empty = " OR ".join(f"s.{key} IS NULL" for key in keys)
        counts.append(f"count(*) FILTER (WHERE {empty})")
    if counts:
        cursor.execute(f"SELECT {', '.join(counts)} FROM {target} s")
        found = list(cursor.fetchone())
        if maybe_not_finite and floats and found.pop(0):
            raise _TakeStagingPath("numbers that are not finite (NaN, infinity)")
        if keys and found.pop(0):
            raise _TakeStagingPath("a row without its key")
    if table.parent is not None and _orphans(cursor, table=table, link_kept=link_kept):
        raise _TakeStagingPath("rows whose parent is not in the database")


def _orphans(cursor, *, table: schema.Table, link_kept: bool) -> int:
    """The rows copied whose parent row does not exist (or is not locked, if the link was kept)."""
    staging.gather_parent_keys(cursor, table, rows_of=db_table(table))
    # A kept link was switched off for the COPY: its parents are locked now, as the
    # foreign key's checks would have done, and the rows are checked against them.
    parents = lock_parents(cursor, table, rows_of=staging.PARENT_KEYS) if link_kept else None
    return staging.count_orphans(cursor, table, parents=parents)
