"""On a fresh database: migrate, create the demo users, log in a few times (one failure).

    DATABASE_URL=... python tests/audit/fresh_database_logins.py PASSWORD

Run by tests/audit/test_fresh_database.py in a process of its own, with the
project's real commands and the real login page (Django's test client).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(password: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    call_command("create_demo_users", password=password, stdout=open("/dev/null", "w"))
    setup_test_environment()  # the test client's host name
    for username, attempt in [
        ("advisor", password),
        ("client", password),
        ("supervisor", "not-the-password"),
    ]:
        response = Client(REMOTE_ADDR="192.0.2.10").post(
            "/accounts/login/", {"username": username, "password": attempt}
        )
        print(username, response.status_code)


if __name__ == "__main__":
    main(sys.argv[1])
