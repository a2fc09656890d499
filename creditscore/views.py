"""Project-level views: the home page that sends each role to its place (/healthz: health.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import AccessRule, access_rule, is_portal_client

# The home page sends each role to its own pages: it has nothing for anyone else
# (anonymous: the login page; signed in without a role: 403).
HOME = AccessRule(
    key="home",
    who="any signed-in user with a role (each is sent to the pages of that role)",
    permissions=(
        "clients.view_portfolio",
        "accounts.view_monitoring",
        "clients.view_own_application",
        "accounts.use_api",
    ),
)


@require_GET
@never_cache
@access_rule(HOME)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its home page.

    Who: `HOME`. Advisors and supervisors -> the portfolio; risk staff -> the
    admin site (monitoring pages come later); clients -> the client portal
    (/portal/); integration accounts -> a page pointing to the API docs.
    """
    user = request.user
    if user.has_perm("clients.view_portfolio"):
        return redirect("dashboard:portfolio")
    if user.has_perm("accounts.view_monitoring"):
        return redirect("admin:index")
    if is_portal_client(user):
        return redirect("portal:home")
    if user.has_perm("accounts.use_api"):
        return render(request, "creditscore/api_account.html")
    # A client login that also holds a staff permission: the portal does not take it.
    raise PermissionDenied
