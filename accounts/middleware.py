"""Sessions: the idle timeout, and the second factor owed before any page.

Both run after Django's AuthenticationMiddleware and django-otp's OTPMiddleware
(settings' MIDDLEWARE), on the session's user; API calls with a token carry no
session and pass through.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import is_portal_client
from accounts.second_factor import Step, second_factor_step
from formatting import languages

LAST_ACTIVITY_KEY = "last_activity"
# The session is written at most this often just to move its last activity forward:
# a write per request would cost a database write per page and per htmx poll.
ACTIVITY_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log out a session that made no request for `SESSION_IDLE_TIMEOUT` seconds.

    The next request is then served as anonymous (pages send it to the login
    page), with a message saying why.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            timeout = settings.SESSION_IDLE_TIMEOUT
            if last is not None and now - last > timeout:
                logout(request)
                minutes = max(1, timeout // 60)
                messages.info(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)d minute without activity.",
                        "You were logged out after %(minutes)d minutes without activity.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
            elif last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# Views a user who still owes a code may reach: the pages that take it, logging in and
# out, the language switch, the health report and the password reset pages.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "two-factor-verify",
        "two-factor-setup",
        "set_language",
        "healthz",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "admin:login",
        "admin:logout",
    }
)


class SecondFactorMiddleware(MiddlewareMixin):
    """Before any other view: the code of the enrolled device, or the enrolment itself."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        step = second_factor_step(request)
        if step is None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Confirm your login with your one-time code first.")}, status=403
            )
        page = "two-factor-verify" if step is Step.VERIFY else "two-factor-setup"
        return redirect_to_login(request.get_full_path(), login_url=reverse(page))


# What a client may open outside /portal/: logging in and out, their password, the
# language switch, the home page (which sends them to /portal/), the health report.
# Not the admin site's login page: a client has no business there either.
CLIENT_OPEN_VIEWS = (OPEN_VIEWS - {"admin:login", "admin:logout"}) | {
    "home",
    "password_change",
    "password_change_done",
}


def portal_client_may_open(match) -> bool:
    """Whether a client's session may open the view `match` resolved (tests/test_url_roles.py
    reads it too)."""
    return match is not None and (
        match.namespace == "portal" or match.view_name in CLIENT_OPEN_VIEWS
    )


class PortalConfinementMiddleware(MiddlewareMixin):
    """A client's session reaches /portal/ and nothing else: every other page, the admin
    site and every /api/ endpoint answer 403 (JSON under /api/: creditscore/errors.py).

    The access rules of the dashboard and the API already leave clients out; this is the
    one place that says so for the whole site, including the pages a rule calls public
    (the API's docs) and the ones that would send a non-staff user to a login page (the
    admin site), so that a URL added tomorrow cannot open to clients by mistake.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not is_portal_client(request.user):
            return None
        if portal_client_may_open(request.resolver_match):
            return None
        if request.path_info.startswith("/api/"):
            # In the API's language (?lang=fr|en, else the request's: api/negotiation.py).
            requested = request.GET.get("lang")
            with translation.override(
                requested if requested in languages() else translation.get_language()
            ):
                response = JsonResponse(
                    {
                        "detail": _(
                            "Your role (client) has no access to the API: your file is in "
                            "your personal space, at /portal/."
                        )
                    },
                    status=403,
                )
                response["Content-Language"] = translation.get_language()
            return response
        raise PermissionDenied
