"""manage.py audit_prune: remove the audit events older than the retention period, sealed."""

from __future__ import annotations

import getpass
import socket

from django.core.management.base import BaseCommand, CommandError

from audit.checks import retention_days
from audit.retention import RetentionRefused, audit_events_prune


class Command(BaseCommand):
    help = (
        "Remove the audit events older than AUDIT_RETENTION_DAYS (default ten years, never "
        "under six months), after verifying their chain; record a checkpoint the remaining "
        "chain continues from, and an audit event saying who removed what."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed, remove nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        days = retention_days()
        try:
            result = audit_events_prune(
                retention_days=days,
                dry_run=dry_run,
                detail={
                    "command": "audit_prune",
                    "os_user": _login(),
                    "host": socket.gethostname(),
                },
            )
        except RetentionRefused as error:
            raise CommandError(f"Nothing removed: {error}.") from error
        older = f"older than {result.cutoff:%Y-%m-%d %H:%M} UTC ({days} days)"
        if result.removed == 0:
            self.stdout.write(f"No audit event {older}: nothing to remove.")
        elif dry_run:
            self.stdout.write(
                f"Would remove {result.removed} audit events {older}, "
                f"#{result.first_id} to #{result.last_id} (dry run: nothing removed)."
            )
        else:
            # Every removal is sealed in a checkpoint (audit.retention); said if not.
            checkpoint = result.checkpoint
            sealed = f"checkpoint #{checkpoint.pk}" if checkpoint is not None else "no checkpoint"
            self.stdout.write(
                f"Removed {result.removed} audit events {older}, #{result.first_id} to "
                f"#{result.last_id}; sealed in {sealed}."
            )


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
