"""Score every application that the active model has not scored yet, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from scoring.registry import NoActiveModel
from scoring.services import applications_score_unscored


class Command(BaseCommand):
    help = (
        "Score, with the active model, every application without a current score by it "
        "(after an import or the activation of a new model). Runs in this process, in "
        "chunks; a second run has nothing to do."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=500, help="applications per model call"
        )
        parser.add_argument("--limit", type=int, help="score at most this many applications")

    def handle(self, *args, chunk_size: int, limit: int | None, **options) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        try:
            report = applications_score_unscored(
                chunk_size=chunk_size, limit=limit, progress=self.stdout.write
            )
        except NoActiveModel as error:
            raise CommandError(f"{error} (train_model or activate_model first)") from None
        self.stdout.write(
            f"model {report.model_version}: {report.scored:,} applications scored, "
            f"{report.failed:,} failed, in {report.seconds:.1f} s"
        )
