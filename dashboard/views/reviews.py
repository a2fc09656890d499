"""The review queue: clients who asked for a person to review their decision."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import access_rule
from dashboard.access import PORTFOLIO
from scoring.decisions import open_reviews_for
from scoring.selectors import current_scores

REVIEWS_PAGE_SIZE = 25


@require_GET
@access_rule(PORTFOLIO)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Clients who asked for a person to review their decision, oldest request first.

    Who: advisors (requests of their own clients) and supervisors (all clients);
    anyone else gets 403. Each row links to the client's page, where recording
    a decision resolves the request.
    """
    paginator = Paginator(open_reviews_for(request.user), REVIEWS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    reviews = list(page.object_list)
    current = current_scores(application_ids=[review.application_id for review in reviews])
    rows = [{"review": review, "score": current.get(review.application_id)} for review in reviews]
    return render(
        request,
        "dashboard/reviews.html",
        {"rows": rows, "page_obj": page, "active_nav": "reviews"},
    )
