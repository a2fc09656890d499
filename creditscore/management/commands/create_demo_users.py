"""`manage.py create_demo_users`: the five demo logins, one per role."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand

from creditscore.demo.users import DEMO_PASSWORD_DEFAULT, demo_users_create, render_logins


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
