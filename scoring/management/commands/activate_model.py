"""Make a registered model version the one that serves (rollback included)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from scoring.management.context import command_detail
from scoring.models import ModelVersion
from scoring.registry import model_version_activate


class Command(BaseCommand):
    help = "Activate a registered model version; activating an older one is a rollback."

    def add_arguments(self, parser) -> None:
        parser.add_argument("version", help="the version name shown by register_model")

    def handle(self, *args, version: str, **options) -> None:
        try:
            activated = model_version_activate(
                version=version, detail=command_detail("activate_model")
            )
        except ModelVersion.DoesNotExist:
            known = ", ".join(ModelVersion.objects.values_list("version", flat=True)) or "none"
            raise CommandError(f"no model version {version!r} (registered: {known})") from None
        self.stdout.write(f"model {activated.version} is now active")
