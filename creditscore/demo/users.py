"""The five demo logins, one per role, with a portfolio and a client record to show.

For `make demo` and `manage.py create_demo_users` only: never on a production
database (refused under the production settings). It lives at the top
(creditscore) because it reaches into every layer below: accounts and roles,
the client records (portfolios), API tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.services import api_token_issue, api_tokens_revoke, user_create, user_role_set
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


class DemoUsersRefused(Exception):
    """The demo logins (known names, one printed password) have no place in production."""


PRODUCTION_REFUSAL = (
    "refused: these are the production settings, and the demo users have known names and "
    "a printed password. Create real accounts instead (manage.py createsuperuser, then the "
    "admin site)."
)


@transaction.atomic
def demo_users_create(*, password: str, advisor_share: float = DEMO_ADVISOR_SHARE) -> dict:
    """Create the five demo accounts, or bring existing ones back to the demo state.

    Idempotent: a second call sets the passwords again and creates nothing twice.
    The integration account gets a fresh API token each time (the previous ones
    are revoked): the database keeps only digests, so the key printed must be
    a new one. Refused under the production settings (`DemoUsersRefused`).
    Returns {"users": {username: User}, "token": str, "client_record": int | None,
    "portfolio_size": int}.
    """
    if settings.IS_PRODUCTION:
        raise DemoUsersRefused(PRODUCTION_REFUSAL)
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

    # Back to the demo state: an authenticator enrolled during an earlier run is forgotten.
    TOTPDevice.objects.filter(user__in=users.values()).delete()
    advisor = users["advisor"]
    _demo_portfolio_fill(advisor=advisor, share=advisor_share)
    client_record = _demo_client_link(client=users["client"], advisor=advisor)
    api_tokens_revoke(user=users["integration"])
    _token, key = api_token_issue(user=users["integration"])
    return {
        "users": users,
        "token": key,
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


def render_logins(result: dict, *, password: str) -> str:
    """The table of demo logins printed by this command and by `make demo`."""
    lines = [f"{'login':<12} {'password':<18} role"]
    for account in DEMO_ACCOUNTS:
        note = account.role.label
        if account.username == "advisor":
            note += f", portfolio of {result['portfolio_size']} clients"
        if account.username == "client":
            record = result["client_record"]
            note += f", client record {record}" if record else ", no client record yet"
        if account.username == "integration":
            note += ", API token below"
        lines.append(f"{account.username:<12} {password:<18} {note}")
    lines.append(f"integration API token: {result['token']}")
    lines.append(f"  (header: Authorization: Token {result['token']})")
    lines.append("  (a new token at each run: the previous one is revoked)")
    return "\n".join(lines)
