"""Who may call what: the API's access rules, in terms of the permissions of `accounts/roles.py`.

Each view declares its rule (`access_rule = ...`, or `access_rules` by HTTP
method) and `FollowsAccessRule`, the API's one permission class, enforces it: a
view that declares none is closed. Views never test group names; which roles
hold a permission is `accounts.roles.ROLE_PERMISSIONS`. Which *records* a
user reaches is decided separately by `Application.objects.for_user(user)`
(404 outside one's scope).

    role         view apps  write apps  request score  predict  model card  token
    integration  all        yes         yes            yes      yes         yes
    supervisor   all        -           yes            yes      yes         -
    advisor      portfolio  -           yes            yes      yes         -
    staff        all        -           -              -        yes         -
    client       -          -           -              -        -           -

Clients have no API: their place is the portal, which shows a decision only once a
person took it (the API's scores are the model's raw output). Their session gets 403
on every /api/ URL (accounts.middleware.PortalConfinementMiddleware).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.access import PUBLIC, AccessRule
from accounts.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

USE_API = "accounts.use_api"
VIEW_MONITORING = "accounts.view_monitoring"
REQUEST_SCORE = "clients.request_score"
VIEW_ALL_APPLICATIONS = "clients.view_all_applications"
VIEW_PORTFOLIO = "clients.view_portfolio"

VIEW_APPLICATIONS = AccessRule(
    key="api.view-applications",
    who="advisors (their portfolio), supervisors, risk staff and integrations (all)",
    permissions=(VIEW_PORTFOLIO, VIEW_ALL_APPLICATIONS),
    scoped=True,
    refusal=_("Your role cannot see client applications."),
)
WRITE_APPLICATIONS = AccessRule(
    key="api.write-applications",
    who="integration accounts: application data comes from the partner systems",
    permissions=(USE_API,),
    scoped=True,
    refusal=_("Only integration accounts (accounts.use_api) can create or change applications."),
)
SCORE_REQUEST = AccessRule(
    key="api.request-score",
    who="advisors (their portfolio), supervisors and integrations (all)",
    permissions=(REQUEST_SCORE,),
    scoped=True,
    refusal=_("Your role cannot ask for a score (clients.request_score)."),
)
PREDICT = AccessRule(
    key="api.predict",
    who="whoever may ask for a score may also simulate one (nothing is stored)",
    permissions=(REQUEST_SCORE,),
    refusal=_("Your role cannot ask for a prediction (clients.request_score)."),
)
VIEW_MODEL_CARD = AccessRule(
    key="api.model-card",
    who="every role but clients: staff and advisors need to know what the model is",
    permissions=(USE_API, VIEW_PORTFOLIO, VIEW_ALL_APPLICATIONS, VIEW_MONITORING),
    refusal=_("Your role cannot see the model card."),
)
HOLD_TOKEN = AccessRule(
    key="api.token",
    who="integration accounts: people use their session",
    permissions=(USE_API,),
    refusal=_("API tokens are for integration accounts (accounts.use_api)."),
)
# Obtaining a token: anyone may try with a username and password.
OBTAIN_TOKEN = AccessRule(key="api.token-obtain", who="anyone (username + password)", public=True)
# The OpenAPI schema and its Swagger UI describe the API, not its data.
API_DOCS = PUBLIC


def rule_for(view, method: str) -> AccessRule | None:
    """The rule `view` declares for `method` (None: it declares none)."""
    rules = getattr(view, "access_rules", None)
    if rules:
        # HEAD and OPTIONS (DRF's metadata) read what GET reads.
        if method in ("HEAD", "OPTIONS"):
            method = "GET"
        return rules.get(method) or rules.get("*")
    return getattr(view, "access_rule", None)


class FollowsAccessRule(BasePermission):
    """Lets a request in when the view's access rule allows its user; closed without a rule."""

    message: StrOrPromise = _("Your role does not allow this.")

    def has_permission(self, request, view) -> bool:
        rule = rule_for(view, request.method)
        if rule is None:
            return False
        if not rule.allows(request.user):
            self.message = rule.refusal
            return False
        return True


def request_user(request: Request) -> User:
    """The account behind a request that a rule other than PUBLIC let in.

    Such a rule admits signed-in users only: an anonymous caller here means the
    view's rule is public, and is refused as not signed in rather than served.
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
