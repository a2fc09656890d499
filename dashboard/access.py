"""Who may use the advisor dashboard, and finding the client a request names within its scope.

Every view says who may use it (decorators, plus a "Who:" line in its
docstring) and finds its client through `get_application_for_user`: a client
outside one's scope is a 404 whether it exists or not, a user without any
dashboard role gets 403, an anonymous one the login page (`login_required`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.access import (
    DASHBOARD_PERMISSIONS,
    AccessRule,
    sees_decision_support,
    user_has_dashboard_access,
)
from clients.models import Application
from clients.selectors.client_file import application_get_for_user

# The rules of the advisor's pages (declared on each view with `accounts.access.access_rule`).
# A client's own record is still open to the client (DASHBOARD_PERMISSIONS); the decision
# support sections then answer 403 to them (`get_staff_application`).
CLIENT_PAGES = AccessRule(
    key="dashboard.client",
    who=(
        "advisors (their portfolio), supervisors and risk staff (every client), "
        "the client (own record; decision support answers 403)"
    ),
    permissions=DASHBOARD_PERMISSIONS,
    scoped=True,
)
PORTFOLIO = AccessRule(
    key="dashboard.portfolio",
    who="advisors (their portfolio) and supervisors (every client)",
    permissions=("clients.view_portfolio",),
    scoped=True,
)
SCORE_REQUEST = AccessRule(
    key="dashboard.score",
    who="advisors (their portfolio) and supervisors (every client)",
    permissions=DASHBOARD_PERMISSIONS,
    requires=("clients.request_score",),
    scoped=True,
)
# The model's page: what drives the model overall, its figures. Everyone who reads scores
# (advisors, supervisors, risk staff); not clients, nor integration accounts (machines: the
# API's model card is theirs).
MODEL_PAGE = AccessRule(
    key="dashboard.model",
    who="advisors, supervisors and risk staff",
    permissions=("clients.view_portfolio", "accounts.view_monitoring"),
)
DECISION_RECORD = AccessRule(
    key="dashboard.decision",
    who="advisors (their portfolio) and supervisors (every client)",
    permissions=DASHBOARD_PERMISSIONS,
    requires=("clients.record_decision",),
    scoped=True,
)
# A client's review request: read, taken up, corrected and answered by whoever may decide
# for the client (their advisor; supervisors); a request on another advisor's client is a 404.
REVIEW_HANDLE = AccessRule(
    key="dashboard.review",
    who="advisors (requests of their portfolio) and supervisors (every request)",
    permissions=("clients.view_portfolio",),
    requires=("clients.record_decision",),
    scoped=True,
)


def get_application_for_user(user, sk_id_curr: int, *, fields: tuple[str, ...] = ()) -> Application:
    """The application if `user` may see it: 404 if not (existing or not), 403 without any role."""
    if not user_has_dashboard_access(user):
        raise PermissionDenied
    return application_get_for_user(user=user, sk_id_curr=sk_id_curr, fields=fields)


def get_staff_application(
    request: HttpRequest, sk_id_curr: int, fields: tuple[str, ...] = ("sk_id_curr",)
) -> Application:
    """The client if the user sees it (404 otherwise) and is staff (403 for the client themself)."""
    application = get_application_for_user(request.user, sk_id_curr, fields=fields)
    if not sees_decision_support(request.user):
        raise PermissionDenied
    return application


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request swapping a fragment (not the restoration of a page from history)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


# Inviting the client to the portal: whoever manages the client (their advisor, supervisors).
CLIENT_INVITE = AccessRule(
    key="dashboard.invite",
    who="advisors (their portfolio) and supervisors (every client)",
    permissions=("clients.view_portfolio",),
    scoped=True,
)
