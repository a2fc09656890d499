"""Who may use the advisor dashboard, and finding the client a request names within its scope.

Every view says who may use it (decorators, plus a "Who:" line in its
docstring) and finds its client through `get_application_for_user`: a client
outside one's scope is a 404 whether it exists or not, a user without any
dashboard role gets 403, an anonymous one the login page (`login_required`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.access import sees_decision_support, user_has_dashboard_access
from clients.models import Application
from clients.selectors.client_file import application_get_for_user


def dashboard_access_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for a logged-in user holding none of the dashboard permissions."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not user_has_dashboard_access(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


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
