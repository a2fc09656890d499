"""What a database superuser can do behind the application's back: change rows with triggers off."""

from __future__ import annotations

from django.db import connection


def with_triggers_disabled(
    sql: str, params: list | None = None, *, table: str = "audit_auditevent"
) -> None:
    """Run `sql` on `table` with its triggers disabled, as a superuser could.

    The tests connect as the `postgres` superuser. DISABLE TRIGGER is DDL, so it
    is undone with the test's transaction even if re-enabling were skipped.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        try:
            cursor.execute(sql, params or [])
        finally:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
