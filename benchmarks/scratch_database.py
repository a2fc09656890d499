"""A throwaway database for the benchmarks that need Django, on the server of DATABASE_URL.

Import it before Django (`use_scratch_database(NAME)` sets DATABASE_URL and
the settings Django reads at start-up), then run the benchmark inside
`scratch_database(NAME)`, which creates the database and drops it at the end,
also on error. It never touches another database of the server.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditscore")


def database_url(name: str) -> str:
    """The URL of database `name` on the server of DATABASE_URL."""
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


def use_scratch_database(name: str) -> None:
    """Point Django at database `name` (call before Django loads its settings)."""
    sys.path.insert(0, str(REPO))
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditscore.settings.local")
    # DEBUG keeps every query's SQL in memory: not what a benchmark should measure.
    os.environ["DJANGO_DEBUG"] = "False"


def _drop(admin, name: str) -> None:
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def scratch_database(name: str, *, keep: bool = False) -> Iterator[None]:
    """Database `name`, created empty (dropped first if a run left it), dropped at the end."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        _drop(admin, name)
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"Database {name} kept.")
        else:
            with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
                _drop(admin, name)
