"""Who may use which part of the product: the permission checks every user interface shares.

Roles and their permissions are one table (accounts/roles.py); the checks
below read permissions only, never group names. Which records a user sees
is another rule, `Application.objects.for_user(user)` (clients/models.py).
"""

from __future__ import annotations

# Any one of these lets a user into the advisor dashboard (the scoping rule then
# decides which records they see). Advisors and supervisors (portfolio), risk
# staff (monitoring: they read client pages too), clients (their own record).
# `clients.view_all_applications` alone widens the scope of whoever is let in but
# lets no one in: integration accounts hold it for the API and are machines, with
# no business in the pages.
DASHBOARD_PERMISSIONS = (
    "clients.view_portfolio",
    "accounts.view_monitoring",
    "clients.view_own_application",
)


def user_has_dashboard_access(user) -> bool:
    """Whether `user` may open the dashboard at all (which records is another matter)."""
    return (
        user.is_authenticated
        and user.is_active
        and any(user.has_perm(permission) for permission in DASHBOARD_PERMISSIONS)
    )


def sees_decision_support(user) -> bool:
    """Staff who may read scores, explanations and the population tools of a client they see.

    Advisors and supervisors (`view_portfolio`), risk staff
    (`view_all_applications`); not a client, who holds `view_own_application` only.
    """
    return user.has_perm("clients.view_portfolio") or user.has_perm("clients.view_all_applications")
