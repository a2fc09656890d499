"""Scoring a client from their page: "Score now", then its progress until done."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import access_rule
from clients.models import Application
from dashboard.access import (
    CLIENT_PAGES,
    SCORE_REQUEST,
    get_application_for_user,
    get_staff_application,
    is_htmx,
)
from dashboard.views.responses import client_url
from scoring.models import Score
from scoring.registry import NoActiveModel
from scoring.services import score_request


@require_POST
@access_rule(SCORE_REQUEST)
def score_now(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Ask the worker to score the client with the active model ("Score now").

    Who: holders of `clients.request_score` who see the client: advisors (their
    own clients) and supervisors (all). Idempotent: the same data and model give
    back the score already asked for. htmx gets the progress fragment (which
    polls /status); without JavaScript, a redirect back to the client.
    """
    application = get_application_for_user(request.user, sk_id_curr, fields=("sk_id_curr",))
    try:
        score = score_request(
            application=application, requested_by=request.user, channel=Score.Channel.DASHBOARD
        )
    except NoActiveModel:
        if is_htmx(request):
            return render(
                request,
                "dashboard/client_score_status.html",
                {"application": application, "no_model": True},
            )
        messages.error(request, _("Scoring is unavailable: no model is active."))
        return redirect(client_url(application, "decision-heading"))
    if not is_htmx(request):
        return redirect(client_url(application, "decision-heading"))
    score.refresh_from_db()  # a worker (or eager Celery) may be done already
    return _status_response(request, application, score)


@require_GET
@access_rule(CLIENT_PAGES)
def score_status(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Progress of the client's latest score; polled every second by htmx while it runs.

    Who: staff who see the client (advisors: their own clients; supervisors and
    risk staff: all). When the score is done or failed the response asks htmx to
    reload the page, which then shows the result (or the error).
    """
    application = get_staff_application(request, sk_id_curr)
    score = (
        Score.objects.filter(application=application)
        .only("id", "status", "error", "created_at")
        .order_by("-created_at")
        .first()
    )
    return _status_response(request, application, score)


def _status_response(request: HttpRequest, application: Application, score: Score | None):
    finished = score is None or score.status in (Score.Status.DONE, Score.Status.FAILED)
    response = render(
        request,
        "dashboard/client_score_status.html",
        {"application": application, "progress_score": score, "finished": finished},
    )
    if finished and is_htmx(request):
        response["HX-Refresh"] = "true"
    patch_vary_headers(response, ["HX-Request"])
    return response
