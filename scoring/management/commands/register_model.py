"""Register a trained artifact directory as a model version."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ml.artifact import ArtifactError
from scoring.management.context import command_detail
from scoring.management.governance import (
    add_governance_arguments,
    emergency_reason_of,
    registrant_of,
)
from scoring.registry import ActivationRefused, model_version_activate, model_version_register


class Command(BaseCommand):
    help = "Register a model artifact (verified by hash) and optionally activate it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("artifact_dir", type=Path)
        parser.add_argument(
            "--activate",
            action="store_true",
            help="serve it from now on: only with --emergency (a second person approves first)",
        )
        add_governance_arguments(parser)

    def handle(self, *args, artifact_dir: Path, activate: bool, **options) -> None:
        emergency_reason = emergency_reason_of(options, activate=activate)
        detail = command_detail("register_model")
        try:
            version = model_version_register(
                artifact_dir=artifact_dir, registered_by=registrant_of(options), detail=detail
            )
        except ArtifactError as error:
            raise CommandError(str(error)) from error
        if activate:
            # Its own transaction: a refused activation leaves the registration in place.
            try:
                version = model_version_activate(
                    version=version.version, emergency_reason=emergency_reason, detail=detail
                )
            except ActivationRefused as error:
                raise CommandError(f"registered, not activated: {error}") from None
        state = "active" if version.is_active else "registered, not active"
        self.stdout.write(f"model {version.version} ({state}); threshold {version.threshold:.4f}")
