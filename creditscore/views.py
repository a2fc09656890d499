"""Project-level views: the home page that sends each role to its place (/healthz: health.py)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import PUBLIC, access_rule, is_portal_client


@require_GET
@never_cache
@access_rule(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its home page.

    Who: anyone. Anonymous -> the login page; advisors and supervisors -> the
    portfolio; risk staff -> the admin site (monitoring pages come later);
    clients -> the client portal (/portal/); integration
    accounts -> a page pointing to the API docs; a user without a role -> 403.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.has_perm("clients.view_portfolio"):
        return redirect("dashboard:portfolio")
    if user.has_perm("accounts.view_monitoring"):
        return redirect("admin:index")
    if is_portal_client(user):
        return redirect("portal:home")
    if user.has_perm("accounts.use_api"):
        return render(request, "creditscore/api_account.html")
    raise PermissionDenied
