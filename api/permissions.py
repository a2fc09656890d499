"""Who may call what, in terms of the permissions of `accounts/roles.py`.

Views never test group names: each class below asks for one or more
permissions, and `accounts.roles.ROLE_PERMISSIONS` says which roles hold
them. Which *records* a user reaches is decided separately by
`Application.objects.for_user(user)` (404 outside one's scope).

    role         view apps  write apps  request score  predict  model card  token
    integration  all        yes         yes            yes      yes         yes
    supervisor   all        -           yes            yes      yes         -
    advisor      portfolio  -           yes            yes      yes         -
    staff        all        -           -              -        yes         -
    client       own        -           -              -        -           -
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

USE_API = "accounts.use_api"
VIEW_MONITORING = "accounts.view_monitoring"
REQUEST_SCORE = "clients.request_score"
VIEW_ALL_APPLICATIONS = "clients.view_all_applications"
VIEW_PORTFOLIO = "clients.view_portfolio"
VIEW_OWN_APPLICATION = "clients.view_own_application"


class HasAnyPermission(BasePermission):
    """Allowed when the authenticated user holds at least one of `permissions`."""

    permissions: tuple[str, ...] = ()
    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        return self.has_user_permission(request.user)

    def has_user_permission(self, user) -> bool:
        return bool(
            user
            and user.is_authenticated
            and any(user.has_perm(permission) for permission in self.permissions)
        )


class CanViewApplications(HasAnyPermission):
    """Advisors (their portfolio), supervisors, staff and integrations (all), clients (own)."""

    permissions = (VIEW_PORTFOLIO, VIEW_ALL_APPLICATIONS, VIEW_OWN_APPLICATION)
    message = "Your role cannot see client applications."


class CanWriteApplications(HasAnyPermission):
    """Integration accounts: application data comes from the partner systems."""

    permissions = (USE_API,)
    message = "Only integration accounts (accounts.use_api) can create or change applications."


class CanRequestScore(HasAnyPermission):
    """Advisors, supervisors and integrations (clients.request_score)."""

    permissions = (REQUEST_SCORE,)
    message = "Your role cannot ask for a score (clients.request_score)."


class CanPredict(HasAnyPermission):
    """Whoever may ask for a score may also simulate one (nothing is stored)."""

    permissions = (REQUEST_SCORE,)
    message = "Your role cannot ask for a prediction (clients.request_score)."


class CanViewModelCard(HasAnyPermission):
    """Every role but clients: staff and advisors need to know what the model is."""

    permissions = (USE_API, VIEW_PORTFOLIO, VIEW_ALL_APPLICATIONS, VIEW_MONITORING)
    message = "Your role cannot see the model card."


class CanHoldToken(HasAnyPermission):
    """Tokens are for integration accounts; people use their session."""

    permissions = (USE_API,)
    message = "API tokens are for integration accounts (accounts.use_api)."
