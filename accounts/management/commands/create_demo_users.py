"""`manage.py create_demo_users`: the five demo logins, one per role."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand

from accounts.services import DEMO_ACCOUNTS, DEMO_PASSWORD_DEFAULT, demo_users_create


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo users advisor, supervisor, client, staff and integration. "
        "Password: --password, else $DEMO_PASSWORD, else the default printed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="Password of every demo user.")

    def handle(self, *args, **options) -> None:
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or ""
        if not password:
            password = DEMO_PASSWORD_DEFAULT
            self.stdout.write(
                self.style.WARNING(
                    f"DEMO_PASSWORD is not set: every demo user gets the password "
                    f"'{password}'. Do not use these accounts outside a demo."
                )
            )
        result = demo_users_create(password=password)
        self.stdout.write(render_logins(result, password=password))


def render_logins(result: dict, *, password: str) -> str:
    """The table of demo logins printed by this command and by `make demo`."""
    lines = [f"{'login':<12} {'password':<18} role"]
    for account in DEMO_ACCOUNTS:
        note = account.role.label
        if account.username == "advisor":
            note += f", portfolio of {result['portfolio_size']} clients"
        if account.username == "client":
            record = result["client_record"]
            note += f", client record {record}" if record else ", no client record yet"
        if account.username == "integration":
            note += ", API token below"
        lines.append(f"{account.username:<12} {password:<18} {note}")
    lines.append(f"integration API token: {result['token']}")
    lines.append(f"  (header: Authorization: Token {result['token']})")
    return "\n".join(lines)
