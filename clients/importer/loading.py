"""Moving the staged rows into the real table, and what the table costs while it fills.

Keeping indexes up to date row by row is most of the cost of a bulk insert.
Measured here (2 cores, PostgreSQL 15): into the empty application table and its
14 indexes, 195,000 rows took 4.6 s to insert, against 1.2 s without its
secondary indexes plus 1.4 s to build them afterwards; a random uuid under a
unique index (the monthly tables' former row digest) made the insert of a million
instalments 30 s instead of 6.5 s. Foreign keys cost one lookup per row when
they are checked (5.4 s per million rows), one join when a constraint is added
(0.7 s).

So a table that was empty when the run started (every row it will hold is this
run's) loses, while it fills, its secondary indexes and its unique constraints
other than the primary key, and gets them back rebuilt in one sort each; its
foreign keys to a parent that was empty too are dropped and added back, which
validates them in one join. Dropping an index takes an ACCESS EXCLUSIVE lock on
its table until the run commits, and dropping a foreign key the same lock on the
parent: pages reading those tables wait meanwhile. That is why it is done only
for tables that held nothing to read. Tables that held rows are filled with
their indexes in place.

A link to a parent table that held rows stays in place. A superuser's import
then checks it for all rows at once: it locks the parent rows the file refers
to (`lock_parents`, as the foreign key's own checks would), counts the orphans
against them, and switches the foreign key's row-by-row check off for the insert
(`row_checks_off`). Anyone else's import lets each row be checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from django.db import IntegrityError, OperationalError, transaction

from clients.models import MODEL_FOR_TABLE
from ml import schema

from .errors import HomeCreditImportError
from .staging import LOCKED_PARENTS, STAGING_TABLE, parent_clause, parent_of

# How long to wait for the lock that takes a table's indexes off (its readers finishing).
LOCK_TIMEOUT = "5s"


def db_table(table: schema.Table) -> str:
    return MODEL_FOR_TABLE[table.name]._meta.db_table


def quoted(name: str) -> str:
    """`name` as an SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def key_fields(table: schema.Table) -> list[str]:
    """The columns whose values identify a row of `table` in the database."""
    if table.natural_key is None:  # the monthly tables: the whole row (clients.models._row_once)
        return [c.field_name for c in table.columns]
    return [table.column(name).field_name for name in table.natural_key]


@dataclass
class Detached:
    """What was taken off a table while it fills, to be put back."""

    table: schema.Table
    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements
    # (ALTER TABLE … ADD CONSTRAINT … UNIQUE / CREATE UNIQUE INDEX, is the table's key)
    uniques: list[tuple[str, bool]] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)  # ALTER TABLE … ADD CONSTRAINT … FK
    # The primary key column and its largest value before the insert: rows above it are
    # this file's, in file order, should repeats of the key have to be removed.
    primary_key: str | None = None
    floor: int | None = None

    @property
    def key_detached(self) -> bool:
        return any(is_key for _, is_key in self.uniques)


def empty_tables(cursor) -> set[str]:
    """The Kaggle tables that hold no row (when the run starts)."""
    empty = set()
    for table in schema.TABLES:
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {db_table(table)})")
        if cursor.fetchone()[0]:
            empty.add(table.name)
    return empty


def fire_deferred_checks(cursor, *, file_name: str) -> None:
    """Run the deferred foreign-key checks pending now, not at commit.

    Done after each file: its checks count in its time and a failure names it,
    and a table with pending checks cannot have its indexes changed. Then back
    to deferred, as Django expects (cf. check_constraints).
    """
    try:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except IntegrityError as error:  # a parent deleted meanwhile by another session
        raise HomeCreditImportError(str(error).splitlines()[0], file_name=file_name) from error


def is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def lock_parents(cursor, table: schema.Table, *, rows_of: str = STAGING_TABLE) -> str:
    """Lock the parent rows the rows of `rows_of` refer to, as the foreign key's checks would.

    FOR KEY SHARE: nobody may delete them (or change their key) until the run
    commits; reading and updating them stay free. Their keys go into a temporary
    table, against which the orphans are counted and left out: a row is imported
    only if its parent is locked. Returns that table's name.
    """
    column, parent_name = parent_of(table)
    field_name = table.column(column).field_name
    parent = MODEL_FOR_TABLE[parent_name]._meta.db_table
    cursor.execute(f"DROP TABLE IF EXISTS {LOCKED_PARENTS}")
    cursor.execute(
        f"CREATE TEMP TABLE {LOCKED_PARENTS} ON COMMIT DROP AS SELECT p.{field_name} "
        f"FROM {parent} p WHERE p.{field_name} IN (SELECT s.{field_name} FROM {rows_of} s) "
        "FOR KEY SHARE OF p"
    )
    return LOCKED_PARENTS


# The trigger that checks a foreign key on each inserted row, with the constraint's
# referenced table and columns.
_ROW_CHECKS_SQL = """
SELECT t.tgname, c.confrelid::regclass::text,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) AS k(attnum)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
FROM pg_trigger t
JOIN pg_constraint c ON c.oid = t.tgconstraint
WHERE t.tgrelid = %s::regclass AND t.tgenabled <> 'D'
  AND t.tgfoid = 'pg_catalog."RI_FKey_check_ins"'::regproc
ORDER BY t.tgname
"""


def imported_columns(table: schema.Table) -> set[str]:
    """The columns of `table` an import writes (any other keeps its default: no advisor…)."""
    return {c.field_name for c in table.columns} | {"created_at", "updated_at"}


@contextmanager
def row_checks_off(cursor, table: schema.Table, *, allowed: bool) -> Iterator[None]:
    """Switch off, for the insert, the foreign-key checks the import has made itself.

    A foreign key checks each inserted row with one lookup of its parent (3 s per
    million rows idle, 10 s loaded here), where the import has already checked
    them all in one join (the orphan count) and locked the parents (`lock_parents`).
    The check of a link to a Kaggle parent is switched off, and that of a link the
    import never fills (the advisor, the portal user: empty); any other stays.
    The switch is part of the run's transaction: nobody else ever sees the
    triggers off, and a failed run leaves them as they were. It needs a
    superuser (as `pg_restore --disable-triggers`); otherwise the rows are
    checked one by one.
    """
    if not allowed:
        yield
        return
    name = db_table(table)
    inserted = imported_columns(table)
    parent = None
    if table.parent is not None:
        parent = (
            MODEL_FOR_TABLE[table.parent[1]]._meta.db_table,
            [table.column(table.parent[0]).field_name],
        )
    cursor.execute(_ROW_CHECKS_SQL, [name])
    switched = []
    for trigger, referenced, columns in cursor.fetchall():
        if (referenced, columns) == parent or not set(columns) & inserted:
            cursor.execute(f"ALTER TABLE {name} DISABLE TRIGGER {quoted(trigger)}")
            switched.append(trigger)
    try:
        yield
    finally:
        for trigger in switched:
            cursor.execute(f"ALTER TABLE {name} ENABLE TRIGGER {quoted(trigger)}")


_INDEXES_SQL = r"""
SELECT ci.relname, pg_get_indexdef(i.indexrelid), con.conname, con.contype,
       pg_get_constraintdef(con.oid), i.indisunique, i.indisprimary,
       ARRAY(SELECT a.attname::text
             FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord),
       EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid),
       -- The columns a partial index's predicate names (by word match: a name too many
       -- only takes the index off), NULL for a whole index.
       (SELECT array_agg(a.attname::text)
        FROM (SELECT pg_get_expr(i.indpred, i.indrelid) AS text OFFSET 0) predicate
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0
        WHERE predicate.text ~ ('\m' || a.attname || '\M'))
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
LEFT JOIN pg_constraint con
       ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      AND con.contype IN ('p', 'u', 'x')
WHERE i.indrelid = %s::regclass
ORDER BY ci.relname
"""


def within_lock_timeout(cursor, statements: list[str]) -> bool:
    """Run `statements`, which take locks, waiting at most LOCK_TIMEOUT for each lock.

    False, with nothing of them kept, when a lock was not had in time. The run's
    own lock timeout is the same afterwards either way.
    """
    cursor.execute("SELECT current_setting('lock_timeout')")
    (lock_timeout,) = cursor.fetchone()
    try:
        with transaction.atomic():
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            for statement in statements:
                cursor.execute(statement)
    except OperationalError as error:
        if not isinstance(error.__cause__, psycopg.errors.LockNotAvailable):
            raise
        return False
    finally:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
    return True


def detach(cursor, table: schema.Table, *, empty_at_start: set[str]) -> Detached | None:
    """Take indexes (and links) off `table` for a bulk load, if it was empty at the start."""
    if table.name not in empty_at_start:
        return None
    name = db_table(table)
    # Someone reading the (empty) table would make the import wait for them: after a few
    # seconds it loads the table with its indexes instead.
    if not within_lock_timeout(cursor, [f"LOCK TABLE {name} IN ACCESS EXCLUSIVE MODE"]):
        return None
    detached = Detached(table=table)
    key = set(key_fields(table))
    filled = imported_columns(table)
    cursor.execute(_INDEXES_SQL, [name])
    for (
        index,
        definition,
        constraint,
        kind,
        constraint_def,
        unique,
        primary,
        columns,
        referenced,
        predicate_columns,
    ) in cursor.fetchall():
        if primary:
            detached.primary_key = columns[0] if len(columns) == 1 else None
            handed_out = detached.primary_key is not None and _handed_out(cursor, name, columns[0])
            if handed_out and not referenced:
                # An id the database hands out (the monthly tables') is unique by construction:
                # its index is built after the load, which cannot fail. Kept up to date
                # row by row it cost a COPY of a million instalments 0.9 s (here, psql),
                # against 0.4 s to build it afterwards. A Kaggle key stays in place: it
                # is what stops a repeated key during the COPY, and foreign keys need it.
                cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {quoted(constraint)}")
                detached.uniques.append(
                    (
                        f"ALTER TABLE {name} ADD CONSTRAINT {quoted(constraint)} {constraint_def}",
                        False,
                    )
                )
            continue
        if kind == "x" or referenced:  # exclusion constraints, targets of foreign keys: kept
            continue
        if predicate_columns and not set(predicate_columns) & filled:
            # A partial index on rows the import never makes (the clients an advisor
            # has): kept, each imported row costs it one test of its predicate, where
            # rebuilding it would read the whole table (0.12 s each for 195,000 clients).
            continue
        if kind == "u":
            cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {quoted(constraint)}")
            detached.uniques.append(
                (
                    f"ALTER TABLE {name} ADD CONSTRAINT {quoted(constraint)} {constraint_def}",
                    set(columns) == key,
                )
            )
        else:
            cursor.execute(f"DROP INDEX {quoted(index)}")
            if unique:
                detached.uniques.append((definition, set(columns) == key))
            else:
                detached.indexes.append(definition)
    if table.parent is not None and table.parent[1] in empty_at_start:
        parent = MODEL_FOR_TABLE[table.parent[1]]._meta.db_table
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' AND confrelid = %s::regclass "
            "ORDER BY conname",
            [name, parent],
        )
        for constraint, constraint_def in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {quoted(constraint)}")
            detached.foreign_keys.append(
                f"ALTER TABLE {name} ADD CONSTRAINT {quoted(constraint)} {constraint_def}"
            )
    if detached.key_detached and detached.primary_key is not None:
        cursor.execute(f"SELECT max({detached.primary_key}) FROM {name}")
        detached.floor = cursor.fetchone()[0]
    return detached


def _handed_out(cursor, table: str, column: str) -> bool:
    """Whether `column` of `table` is an identity column (its values come from a sequence)."""
    cursor.execute(
        "SELECT attidentity <> '' FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
        [table, column],
    )
    return bool(cursor.fetchone()[0])


def reattach(cursor, detached: Detached, *, file_name: str) -> int:
    """Put back what `detach` took; the rows removed as repeats of a key (first line kept)."""
    for statement in detached.indexes:
        cursor.execute(statement)
    removed = 0
    for statement, is_key in detached.uniques:
        try:
            with transaction.atomic():
                cursor.execute(statement)
        except IntegrityError as error:
            if not is_key or detached.primary_key is None:
                raise HomeCreditImportError(
                    str(error).splitlines()[0], file_name=file_name
                ) from error
            # Rows repeated within the file: the inserted ones above the first of each.
            removed = _remove_repeats(cursor, detached)
            cursor.execute(statement)
    for statement in detached.foreign_keys:
        try:
            cursor.execute(statement)
        except IntegrityError as error:  # a parent deleted meanwhile by another session
            raise HomeCreditImportError(str(error).splitlines()[0], file_name=file_name) from error
    return removed


def _remove_repeats(cursor, detached: Detached) -> int:
    name = db_table(detached.table)
    pk = detached.primary_key
    key = ", ".join(key_fields(detached.table))
    floor = detached.floor if detached.floor is not None else -(2**63)
    cursor.execute(
        f"DELETE FROM {name} WHERE {pk} IN (SELECT {pk} FROM (SELECT {pk}, row_number() OVER "
        f"(PARTITION BY {key} ORDER BY {pk}) AS repeat FROM {name} WHERE {pk} > %s) r "
        "WHERE repeat > 1)",
        [floor],
    )
    return cursor.rowcount


def insert_new_rows(
    cursor,
    *,
    table: schema.Table,
    nan_as_missing: bool,
    leave_out_orphans: bool,
    parents: str | None = None,
) -> int:
    """Move the staged rows into the real table, skipping those already there."""
    target = db_table(table)
    columns = [c.field_name for c in table.columns]
    values = [
        f"nullif(s.{c.field_name}, 'NaN') AS {c.field_name}"
        if nan_as_missing and c.kind == schema.FLOAT
        else f"s.{c.field_name}"
        for c in table.columns
    ]
    staged = f"SELECT {', '.join(values)} FROM {STAGING_TABLE} s"
    source = f"({staged}) s"
    # created_at and updated_at of the application table: the database's default (now()).
    selected = [f"s.{name}" for name in columns]
    conditions = []
    if leave_out_orphans:
        conditions.append(parent_clause(table, parents=parents)[1])
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {target})")
    holds_rows = cursor.fetchone()[0]
    if holds_rows and table.natural_key is not None:
        # Rows already in the table are left out by one hash anti-join, much faster on a
        # re-import than letting ON CONFLICT probe the index row by row (0.23 s against
        # 0.8 s for application_test).
        match = " AND ".join(f"t.{name} = s.{name}" for name in key_fields(table))
        conditions.append(f"NOT EXISTS (SELECT 1 FROM {target} t WHERE {match})")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = f"SELECT {', '.join(selected)} FROM {source}{where}"
    if holds_rows and table.natural_key is None:
        # A monthly table's key is the whole row, empty values counting as equal: EXCEPT
        # compares rows just so (where `=` in an anti-join would never match an empty
        # value), and leaves out the rows repeated within the file as well. Only the rows of
        # the file's clients can match: the index, which leads with the client, finds them.
        client = table.column(parent_of(table)[0]).field_name
        rows += (
            f" EXCEPT SELECT {', '.join(columns)} FROM {target} "
            f"WHERE {client} IN (SELECT {client} FROM {STAGING_TABLE})"
        )
    insert = f"INSERT INTO {target} ({', '.join(columns)}) {rows}"
    try:
        # A plain INSERT first: ON CONFLICT makes every row a speculative insertion (an
        # index probe and one more WAL record each), twice the time of the insert here.
        with transaction.atomic():
            cursor.execute(insert)
        return cursor.rowcount
    except IntegrityError as error:
        if not isinstance(error.__cause__, psycopg.errors.UniqueViolation):
            raise
    # A key repeated within the file (or inserted meanwhile by another session):
    # ON CONFLICT DO NOTHING skips the repeats. A fresh temp table is read in the
    # order it was filled (never in parallel), so of two rows with one key the first
    # line wins. (When the key's index is off, `reattach` removes the repeats, keeping
    # the first line too.)
    cursor.execute(f"{insert} ON CONFLICT DO NOTHING")
    return cursor.rowcount
