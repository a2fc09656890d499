"""`manage.py create_demo_users`: the five demo logins, one per role."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from creditscore.demo.users import (
    DEMO_PASSWORD_DEFAULT,
    PRODUCTION_REFUSAL,
    DemoUsersRefused,
    demo_users_create,
    render_logins,
)


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo users advisor, supervisor, client, staff and integration. "
        "Password: --password, else $DEMO_PASSWORD, else the default printed. "
        "Refused under the production settings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="Password of every demo user.")

    def handle(self, *args, **options) -> None:
        if settings.IS_PRODUCTION:
            # Before anything is printed or asked: nothing of the demo on production.
            raise CommandError(PRODUCTION_REFUSAL)
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or ""
        if not password:
            password = DEMO_PASSWORD_DEFAULT
            self.stdout.write(
                self.style.WARNING(
                    f"DEMO_PASSWORD is not set: every demo user gets the password "
                    f"'{password}'. Do not use these accounts outside a demo."
                )
            )
        try:
            result = demo_users_create(password=password)
        except DemoUsersRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(render_logins(result, password=password))
