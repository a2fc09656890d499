"""The advisor dashboard: the portfolio and a client's page.

Each view says who may use it (decorators, plus a "Who:" line), and every
record goes through the scoping rule in `clients.selectors`. The sections
that need a score (decision, explanation, what-if, population) get their
context from `scoring.client_page`; their actions live in `scoring.views`
and `explanations.views`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from accounts.access import user_has_dashboard_access
from clients import selectors
from clients.forms import PortfolioFilterForm
from clients.models import Application
from scoring.client_page import client_page_context, parse_top


def dashboard_access_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for a logged-in user holding none of the dashboard permissions."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not user_has_dashboard_access(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _get_application_for_user(
    user, sk_id_curr: int, *, fields: tuple[str, ...] = ()
) -> Application:
    """The application if `user` may see it: 404 if not (existing or not), 403 without any role."""
    return selectors.application_get_for_user(user=user, sk_id_curr=sk_id_curr, fields=fields)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


@require_GET
@login_required
@permission_required("clients.view_portfolio", raise_exception=True)
def portfolio(request: HttpRequest) -> HttpResponse:
    """The list of clients, searchable, filterable, sortable and paginated.

    Who: advisors (the clients of their own portfolio) and supervisors (every client).
    """
    form = PortfolioFilterForm(request.GET or None)
    filters = form.filters()
    result = selectors.portfolio_page(
        user=request.user, filters=filters, page_number=request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "page_obj": result.page,
        "rows": result.rows,
        "sees_all_clients": request.user.has_perm("clients.view_all_applications"),
        "sort": filters.sort,
        "is_htmx": _is_htmx(request),
        "active_nav": "portfolio",
    }
    # htmx asks for the results only when the form changes or a page link is followed.
    template = "partials/portfolio_results.html" if context["is_htmx"] else "clients/portfolio.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
@dashboard_access_required
def client_detail(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """A client's file: key facts, credit history, and the decision sections once scored.

    Who: the client's advisor, supervisors and other holders of
    `clients.view_all_applications`, and the client themself (their own record only).
    Anyone else gets 404, whether the record exists or not.
    """
    application = _get_application_for_user(
        request.user, sk_id_curr, fields=selectors.CLIENT_FACT_COLUMNS
    )
    client_file = selectors.client_file_get(application=application)
    is_own_record = application.portal_user_id == request.user.pk
    context = {
        "client_file": client_file,
        "application": client_file.application,
        "score": None,
        "explanation": None,
        "is_own_record": is_own_record,
    }
    # The decision, explanation, population and what-if sections (scoring/client_page.py).
    context.update(
        client_page_context(
            user=request.user,
            application=application,
            is_own_record=is_own_record,
            top=parse_top(request.GET.get("top")),
        )
    )
    return render(request, "clients/detail.html", context)
