"""Writes on user accounts (HackSoft style: keyword-only, one transaction each)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, User, api_token_digest
from accounts.roles import Role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role | None = None,
    is_staff: bool = False,
    email: str = "",
) -> User:
    """Create a user, in the group of `role` when one is given."""
    user = User(username=username, email=email, is_staff=is_staff)
    user.set_password(password)
    user.full_clean()
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=str(role)))
    return user


@transaction.atomic
def user_role_set(*, user: User, role: Role) -> User:
    """Make `role` the user's only role (roles are groups, see accounts.roles)."""
    user.groups.set([Group.objects.get(name=str(role))])
    return user


# -- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User, lifetime: timedelta | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: the row (digest, prefix, expiry) and the key, shown only now.

    The key is 40 hexadecimal characters (160 random bits); the database keeps
    its SHA-256 and its first 8 characters, which name it in the admin site.
    """
    if lifetime is None:
        lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_digest=api_token_digest(key),
        created_at=now,
        expires_at=now + lifetime,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke one token (kept, with the time, for the record; refused from now on)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    """Revoke every usable token of `user`; returns how many."""
    return ApiToken.objects.filter(user=user).usable().update(revoked_at=timezone.now())


# A token's last use is written at most this often: not a database write per API call.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@dataclass(frozen=True)
class LoginRecordsPurged:
    access_logs: int
    access_attempts: int
    access_failure_logs: int


@transaction.atomic
def login_records_purge() -> LoginRecordsPurged:
    """Delete django-axes' records older than LOGIN_RECORDS_RETENTION_DAYS (default 90).

    Logins (AccessLog) and failures (AccessFailureLog) through axes' own handler,
    as `manage.py axes_reset_logs --age N` and `axes_reset_failure_logs` do; axes
    ages no AccessAttempt, so those whose last failure is older are deleted here. A
    lockout lasts minutes (AXES_COOLOFF_TIME): an attempt that old locks nobody.
    """
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    days = settings.LOGIN_RECORDS_RETENTION_DAYS
    # axes' handler deletes from `now - days` (inclusive): the attempts use the same cutoff.
    cutoff = timezone.now() - timedelta(days=days)
    access_logs = AxesProxyHandler.reset_logs(age_days=days)
    failure_logs = AxesProxyHandler.reset_failure_logs(age_days=days)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lte=cutoff).delete()
    return LoginRecordsPurged(
        access_logs=access_logs, access_attempts=attempts, access_failure_logs=failure_logs
    )
