"""Project-level views: the home page that sends each role to its place (/healthz: health.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import AccessRule, access_rule
from clients.models import Application

# The home page sends each role to its own pages: it has nothing for anyone else.
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

    Who: `HOME` (anonymous -> the login page, a user without a role -> 403, by
    the rule); advisors and supervisors -> the
    portfolio; risk staff -> the admin site (monitoring pages come later);
    clients -> their own record (a client portal comes later); integration
    accounts (the rule's last permission) -> a page pointing to the API docs.
    """
    user = request.user
    if user.has_perm("clients.view_portfolio"):
        return redirect("dashboard:portfolio")
    if user.has_perm("accounts.view_monitoring"):
        return redirect("admin:index")
    if user.has_perm("clients.view_own_application"):
        own_id = (
            Application.objects.for_user(user)
            .filter(portal_user=user)
            .values_list("sk_id_curr", flat=True)
            .first()
        )
        if own_id is not None:
            return redirect("dashboard:client", sk_id_curr=own_id)
        return render(request, "creditscore/no_record.html")
    return render(request, "creditscore/api_account.html")
