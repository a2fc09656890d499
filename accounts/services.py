"""Writes on user accounts (HackSoft style: keyword-only, one transaction each)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.roles import Role
from clients.models import Application
from clients.services import applications_assign_advisor

DEMO_PASSWORD_DEFAULT = "demo-pret-2026"
# Half of the clients go to the demo advisor: enough to fill the screens, and the
# other half shows that an advisor does not see everyone.
DEMO_ADVISOR_SHARE = 0.5


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    is_staff: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("advisor", Role.ADVISOR),
    DemoAccount("supervisor", Role.SUPERVISOR),
    DemoAccount("client", Role.CLIENT),
    DemoAccount("staff", Role.STAFF, is_staff=True),
    DemoAccount("integration", Role.INTEGRATION),
)


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


@transaction.atomic
def demo_users_create(*, password: str, advisor_share: float = DEMO_ADVISOR_SHARE) -> dict:
    """Create the five demo accounts, or bring existing ones back to the demo state.

    Idempotent: a second call sets the passwords again and creates nothing twice
    (the integration token is kept, so a partner's configuration keeps working).
    Returns {"users": {username: User}, "token": str, "client_record": int | None,
    "portfolio_size": int}.
    """
    # Hashed once for the five accounts: a hash costs about a second by design, and
    # these accounts share one password anyway (printed by the demo).
    encoded_password = make_password(password)
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create(
                username=account.username,
                password=password,
                role=account.role,
                is_staff=account.is_staff,
                email=f"{account.username}@demo.invalid",
            )
        else:
            user.password = encoded_password
            user.is_staff = account.is_staff
            user.is_active = True
            user.save(update_fields=["password", "is_staff", "is_active"])
            user_role_set(user=user, role=account.role)
        users[account.username] = user

    advisor = users["advisor"]
    _demo_portfolio_fill(advisor=advisor, share=advisor_share)
    client_record = _demo_client_link(client=users["client"], advisor=advisor)
    token, _ = Token.objects.get_or_create(user=users["integration"])
    return {
        "users": users,
        "token": token.key,
        "client_record": client_record,
        "portfolio_size": Application.objects.filter(advisor=advisor).count(),
    }


def _demo_portfolio_fill(*, advisor: User, share: float) -> None:
    """Give the advisor `share` of all clients, topping up with unassigned ones only."""
    wanted = math.ceil(Application.objects.count() * share)
    missing = wanted - Application.objects.filter(advisor=advisor).count()
    if missing <= 0:
        return
    free_ids = Application.objects.filter(advisor__isnull=True).values_list("pk", flat=True)
    applications_assign_advisor(advisor=advisor, application_ids=free_ids[:missing])


def _demo_client_link(*, client: User, advisor: User) -> int | None:
    """Link the demo client to a real record of the advisor's portfolio (kept once linked)."""
    linked = Application.objects.filter(portal_user=client).first()
    if linked is not None:
        return linked.pk
    record = Application.objects.filter(advisor=advisor, portal_user__isnull=True).first()
    if record is None:
        record = Application.objects.filter(portal_user__isnull=True).first()
    if record is None:
        return None
    record.portal_user = client
    record.save(update_fields=["portal_user", "updated_at"])
    return record.pk
