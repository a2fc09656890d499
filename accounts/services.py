"""Writes on user accounts (HackSoft style: keyword-only, one transaction each)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
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
