"""Against a fresh database: demo users, a few logins (one failed), the trail holds them,
refuses UPDATE and DELETE, and audit_verify catches a superuser's edit with triggers off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditscore")

pytestmark = pytest.mark.slow


def url_of(name: str) -> str:
    return urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}"))


@pytest.fixture
def fresh_database():
    name = f"test_audit_fresh_{os.getpid()}"
    with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url_of(name)
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.test",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def test_a_fresh_database_records_logins_refuses_changes_and_detects_an_edit(fresh_database):
    logins = run(["tests/audit/fresh_database_logins.py", "demo-pass-2026"], fresh_database)
    assert logins.returncode == 0, logins.stderr[-3000:]
    # A login redirects; a failed one shows the form again.
    assert logins.stdout.split("\n")[:3] == ["advisor 302", "client 302", "supervisor 200"]

    with psycopg.connect(fresh_database, autocommit=True) as db:
        rows = db.execute(
            "SELECT id, action, actor_username, client_address FROM audit_auditevent ORDER BY id"
        ).fetchall()
        logins_seen = [(action, name) for _, action, name, _ in rows if action.startswith("login")]
        assert logins_seen == [
            ("login.succeeded", "advisor"),
            ("login.succeeded", "client"),
            ("login.failed", "supervisor"),
        ]
        assert {address for *_, address in rows if address} == {"192.0.2.10"}
        first = rows[0][0]
        for statement in (
            "UPDATE audit_auditevent SET actor_username = 'mallory' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="Cannot update or delete"):
                db.execute(statement, [first])

        intact = run(["manage.py", "audit_verify"], fresh_database)
        assert intact.returncode == 0, intact.stderr
        assert "Audit trail intact" in intact.stdout

        # A superuser switches the triggers off and rewrites who logged in.
        db.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        db.execute("UPDATE audit_auditevent SET actor_username = 'mallory' WHERE id = %s", [first])
        db.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")

    broken = run(["manage.py", "audit_verify"], fresh_database)
    assert broken.returncode != 0
    assert f"BROKEN at event #{first}: event #{first} was altered" in broken.stderr
