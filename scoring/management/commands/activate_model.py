"""Make a registered model version the one that serves (rollback included).

Four eyes: only a version a second person approved (in the admin) may serve;
rolling back to a version approved before needs nothing more. `--emergency
--reason "..."` activates an unapproved version anyway, recorded with its
reason in the audit trail (the first model of a new installation, an incident).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from scoring.management.context import command_detail
from scoring.models import ModelVersion
from scoring.registry import ActivationRefused, model_version_activate


class Command(BaseCommand):
    help = (
        "Activate an approved model version; activating an older one is a rollback. "
        "An unapproved version needs --emergency with --reason."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("version", help="the version name shown by register_model")
        parser.add_argument(
            "--emergency",
            action="store_true",
            help="activate a version nobody approved yet (recorded, with --reason)",
        )
        parser.add_argument("--reason", default="", help="why (required with --emergency)")

    def handle(self, *args, version: str, emergency: bool, reason: str, **options) -> None:
        if emergency and len(reason.strip()) < 10:
            raise CommandError("--emergency needs --reason with at least 10 characters")
        try:
            activated = model_version_activate(
                version=version,
                emergency_reason=reason if emergency else "",
                detail=command_detail("activate_model"),
            )
        except ModelVersion.DoesNotExist:
            known = ", ".join(ModelVersion.objects.values_list("version", flat=True)) or "none"
            raise CommandError(f"no model version {version!r} (registered: {known})") from None
        except ActivationRefused as error:
            raise CommandError(str(error)) from None
        suffix = " (emergency: not approved yet)" if not activated.is_approved else ""
        self.stdout.write(f"model {activated.version} is now active{suffix}")
