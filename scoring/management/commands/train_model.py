"""Train the scoring model on the database's records, then register and activate it."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clients.frames import tables_for_applications
from ml.artifact import save_artifact
from ml.train import TrainingError, train_model
from scoring.management.context import command_detail
from scoring.management.governance import (
    add_governance_arguments,
    emergency_reason_of,
    registrant_of,
)
from scoring.registry import ActivationRefused, model_version_register


class Command(BaseCommand):
    help = (
        "Train on every application with a known outcome (TARGET) and its history, "
        "write the artifact, register it and (unless --no-activate) activate it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path, default=None, help="artifact directory")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--cost-fn", type=float, default=settings.COST_FALSE_NEGATIVE)
        parser.add_argument("--cost-fp", type=float, default=settings.COST_FALSE_POSITIVE)
        parser.add_argument(
            "--no-activate",
            action="store_true",
            help="only register (the default unless --emergency: a second person approves first)",
        )
        add_governance_arguments(parser)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        tables = tables_for_applications()
        applications = tables["application"]
        # Applications without an outcome (application_test, new requests)
        # cannot teach the model anything.
        tables["application"] = applications[applications["TARGET"].notna()].reset_index(drop=True)
        self.stdout.write(
            "read "
            + ", ".join(f"{name} {len(frame):,}" for name, frame in tables.items())
            + f" rows in {time.monotonic() - started:.1f}s"
        )
        try:
            result = train_model(
                tables,
                folds=options["folds"],
                seed=options["seed"],
                cost_fn=options["cost_fn"],
                cost_fp=options["cost_fp"],
                progress=lambda message: self.stdout.write(message),
            )
        except TrainingError as error:
            raise CommandError(str(error)) from error
        out = options["out"] or Path(settings.MODEL_ARTIFACTS_DIR) / time.strftime("%Y%m%d-%H%M%S")
        save_artifact(result, out)
        # Four eyes: a new version serves once a second person approved it, unless an
        # emergency reason is given (recorded in the audit trail).
        activate = bool(options["emergency"]) and not options["no_activate"]
        try:
            version = model_version_register(
                artifact_dir=out,
                activate=activate,
                registered_by=registrant_of(options),
                emergency_reason=emergency_reason_of(options, activate=activate),
                detail=command_detail("train_model"),
            )
        except ActivationRefused as error:  # pragma: no cover - emergency always activates
            raise CommandError(str(error)) from None
        state = (
            "active" if version.is_active else "registered, waiting for a second person's approval"
        )
        self.stdout.write(
            f"model {version.version} written to {out} and {state} "
            f"(threshold {version.threshold:.4f}, {time.monotonic() - started:.0f}s in all)"
        )
