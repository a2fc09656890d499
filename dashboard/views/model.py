"""The model's page: what drives the active model overall, and its figures.

* GET /model/    the client facts by their share of the model's effect, the
                 features it leans on most, version, dates, quality, and its card

The global importance used to be repeated on every client's page; it says
nothing about one client, so it lives here, linked from the client page and
the navbar.

Who: advisors, supervisors and risk staff (`dashboard.access.MODEL_PAGE`);
a client or an integration account gets 403, an anonymous visitor the login page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import access_rule
from dashboard import page_context
from dashboard.access import MODEL_PAGE
from scoring.selectors import active_model_version_get


@require_GET
@access_rule(MODEL_PAGE)
def model_overview(request: HttpRequest) -> HttpResponse:
    """The active model: its importance by client fact, its figures, its card.

    Who: see the module docstring. Without an active model the page says so.
    """
    version = active_model_version_get()
    context = {"active_nav": "model", "version": None}
    if version is not None:
        context.update(page_context.model_page_context(version))
    return render(request, "dashboard/model.html", context)
