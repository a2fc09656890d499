"""manage.py audit_verify: walk the audit trail's hash chain; non-zero exit on the first break."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.verify import Anchor, audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check that no audit event was edited, deleted or inserted behind the application's "
        "back: recompute every event's hash along the chain. Exits 0 on an intact trail, "
        "1 naming the first broken event. Prints the head (last id and hash): keep it "
        "elsewhere and pass it later as --anchor to detect events cut from the end."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="an event's id and hash printed by an earlier run, which must still be there",
        )

    def handle(self, *args, anchor: list[str], **options):
        try:
            anchors = [Anchor.parse(text) for text in anchor]
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = audit_chain_verify(anchors=anchors)
        if not report.ok:
            where = f"event #{report.broken_id}: " if report.broken_id is not None else ""
            raise CommandError(
                f"Audit trail BROKEN at {where}{report.problem} "
                f"({report.checked} events before it verified, chained from {report.start})."
            )
        if report.checked == 0:
            self.stdout.write(f"Audit trail intact: no event (chained from {report.start}).")
            return
        self.stdout.write(
            f"Audit trail intact: {report.checked} events, #{report.first_id} to "
            f"#{report.last_id}, chained from {report.start}.\n"
            f"Head: {report.last_id}:{report.head_hash}"
        )
