"""Project-level views: the home page that sends each role to its place (/healthz: health.py)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import PUBLIC, access_rule
from clients.models import Application


@require_GET
@never_cache
@access_rule(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its home page.

    Who: anyone. Anonymous -> the login page; advisors and supervisors -> the
    portfolio; risk staff -> the admin site (monitoring pages come later);
    clients -> their own record (a client portal comes later); integration
    accounts -> a page pointing to the API docs; a user without a role -> 403.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
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
    if user.has_perm("accounts.use_api"):
        return render(request, "creditscore/api_account.html")
    raise PermissionDenied
