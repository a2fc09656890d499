"""The four-eyes options the model commands share (register_model, train_model)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

MIN_REASON_LENGTH = 10


def add_governance_arguments(parser) -> None:
    parser.add_argument(
        "--by",
        default="",
        help="the user name of the person who trained or registered it (may not approve it)",
    )
    parser.add_argument(
        "--emergency",
        action="store_true",
        help="activate it without a second person's approval (recorded, with --reason)",
    )
    parser.add_argument("--reason", default="", help="why (required with --emergency)")


def registrant_of(options: dict[str, Any]):
    """The user named by --by, or None (the command's login names the registrant)."""
    username = options.get("by") or ""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--by: no user {username!r}")
    return user


def emergency_reason_of(options: dict[str, Any], *, activate: bool) -> str:
    if not options.get("emergency"):
        return ""
    reason = (options.get("reason") or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise CommandError(
            f"--emergency needs --reason with at least {MIN_REASON_LENGTH} characters"
        )
    return reason if activate else ""
