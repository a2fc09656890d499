"""The portfolio: the advisor's clients, searchable, filterable, sortable and paginated."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from accounts.access import access_rule
from dashboard.access import PORTFOLIO, is_htmx
from dashboard.forms import PortfolioFilterForm
from dashboard.selectors import portfolio_page


@require_GET
@access_rule(PORTFOLIO)
def portfolio(request: HttpRequest) -> HttpResponse:
    """The list of clients, searchable, filterable, sortable and paginated.

    Who: advisors (the clients of their own portfolio) and supervisors (every client).
    """
    form = PortfolioFilterForm(request.GET or None)
    filters = form.filters()
    result = portfolio_page(user=request.user, filters=filters, page_number=request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "page_obj": result.page,
        "rows": result.rows,
        "sees_all_clients": request.user.has_perm("clients.view_all_applications"),
        "sort": filters.sort,
        "is_htmx": is_htmx(request),
        "active_nav": "portfolio",
    }
    # htmx asks for the results only when the form changes or a page link is followed.
    template = (
        "dashboard/portfolio_results.html" if context["is_htmx"] else "dashboard/portfolio.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
