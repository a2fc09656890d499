"""Register a trained artifact directory as a model version."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ml.artifact import ArtifactError
from scoring.management.context import command_detail
from scoring.registry import model_version_register


class Command(BaseCommand):
    help = "Register a model artifact (verified by hash) and optionally activate it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("artifact_dir", type=Path)
        parser.add_argument("--activate", action="store_true", help="serve it from now on")

    def handle(self, *args, artifact_dir: Path, activate: bool, **options) -> None:
        try:
            version = model_version_register(
                artifact_dir=artifact_dir,
                activate=activate,
                detail=command_detail("register_model"),
            )
        except ArtifactError as error:
            raise CommandError(str(error)) from error
        state = "active" if version.is_active else "registered, not active"
        self.stdout.write(f"model {version.version} ({state}); threshold {version.threshold:.4f}")
