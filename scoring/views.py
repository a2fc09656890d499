"""The advisor's scoring actions on a client's page, and the review queue.

URLs (scoring/urls.py), all under the client they act on:

* POST /clients/<id>/score             ask for a score ("Score now")
* GET  /clients/<id>/score/status      progress of the latest score (htmx polling)
* POST /clients/<id>/what-if           re-score with other loan terms, nothing saved
* GET  /clients/<id>/counterfactual    the smallest change turning a refusal into a grant
* POST /clients/<id>/decision          record the final decision
* GET  /reviews/                       the open review requests of the clients one sees

Every view says who may use it ("Who: ...") and finds the client through the
scoping rule (`clients.views._get_application_for_user`): a client outside
one's scope is a 404 whether it exists or not, a user without any dashboard
role gets 403, an anonymous one the login page. htmx requests get the
fragment they swap; the same URLs work without JavaScript (full pages or a
redirect back to the client).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import sees_decision_support
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application
from clients.views import _get_application_for_user, _is_htmx, dashboard_access_required
from scoring import dashboard
from scoring.counterfactual import counterfactual
from scoring.decisions import credit_decision_record, open_reviews_for
from scoring.forms import CreditDecisionForm, WhatIfForm
from scoring.loan_terms import InvalidChange
from scoring.models import Score
from scoring.registry import NoActiveModel
from scoring.selectors import score_latest_done
from scoring.services import score_request
from scoring.what_if import what_if

REVIEWS_PAGE_SIZE = 25
# Changed factors listed under a what-if result.
WHAT_IF_FACTORS = 5
_LOAN_FIELDS = ("sk_id_curr", "amt_credit", "amt_annuity", "amt_goods_price")


def _client_url(application: Application, anchor: str = "") -> str:
    url = reverse("clients:detail", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def get_staff_application(request: HttpRequest, sk_id_curr: int, fields=("sk_id_curr",)):
    """The client if the user sees it (404 otherwise) and is staff (403 for the client themself)."""
    application = _get_application_for_user(request.user, sk_id_curr, fields=fields)
    if not sees_decision_support(request.user):
        raise PermissionDenied
    return application


def render_fragment_or_page(
    request: HttpRequest, template: str, context: dict, *, title: str, status: int = 200
) -> HttpResponse:
    """The fragment for htmx; the same fragment in a full page otherwise (no JavaScript)."""
    if _is_htmx(request):
        response = render(request, template, context, status=status)
    else:
        page = {**context, "fragment": template, "page_title": title}
        response = render(request, "scoring/fragment_page.html", page, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- Scoring --------------------------------------------------------------------


@require_POST
@login_required
@dashboard_access_required
@permission_required("clients.request_score", raise_exception=True)
def score_now(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Ask the worker to score the client with the active model ("Score now").

    Who: holders of `clients.request_score` who see the client: advisors (their
    own clients) and supervisors (all). Idempotent: the same data and model give
    back the score already asked for. htmx gets the progress fragment (which
    polls /status); without JavaScript, a redirect back to the client.
    """
    application = _get_application_for_user(request.user, sk_id_curr, fields=("sk_id_curr",))
    try:
        score = score_request(
            application=application, requested_by=request.user, channel=Score.Channel.DASHBOARD
        )
    except NoActiveModel:
        if _is_htmx(request):
            return render(
                request,
                "partials/score_status.html",
                {"application": application, "no_model": True},
            )
        messages.error(request, _("Scoring is unavailable: no model is active."))
        return redirect(_client_url(application, "decision-heading"))
    if not _is_htmx(request):
        return redirect(_client_url(application, "decision-heading"))
    score.refresh_from_db()  # a worker (or eager Celery) may be done already
    return _status_response(request, application, score)


@require_GET
@login_required
@dashboard_access_required
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
        "partials/score_status.html",
        {"application": application, "progress_score": score, "finished": finished},
    )
    if finished and _is_htmx(request):
        response["HX-Refresh"] = "true"
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- What-if and counterfactual ----------------------------------------------------


@require_POST
@login_required
@dashboard_access_required
def what_if_simulate(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Re-score the client with other loan terms; nothing is saved.

    Who: staff who see the client (advisors: their own clients; supervisors and
    risk staff: all); not the client. Invalid values come back next to their
    field (status 200 for htmx, which swaps the panel; 400 for a plain POST).
    """
    application = get_staff_application(request, sk_id_curr, fields=_LOAN_FIELDS)
    form = WhatIfForm(request.POST, current=WhatIfForm.current_of(application))
    result = None
    if form.is_valid():
        try:
            result = what_if(
                application=application,
                changes=form.changes(),
                language=dashboard.language(),
                top=WHAT_IF_FACTORS,
            )
        except InvalidChange as error:
            form.add_service_error(error)
        except NoActiveModel:
            form.add_error(None, _("Scoring is unavailable: no model is active."))
    if result is not None:
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.EXPLANATION_VIEWED,
            application_id=application.pk,
            model_version=result["model_version"],
            detail={"view": "what_if", "changes": result["changes"]},
        )
    context = {
        "application": application,
        "what_if_form": form,
        "what_if": result,
        "what_if_view": _what_if_view(result) if result else None,
    }
    status = 200 if result is not None or _is_htmx(request) else 400
    return render_fragment_or_page(
        request, "partials/what_if_panel.html", context, title=_("What if"), status=status
    )


def _what_if_view(result: dict) -> dict:
    before, after = result["before"], result["after"]
    return {
        "before_percent": dashboard.percent(before["probability"]),
        "after_percent": dashboard.percent(after["probability"]),
        "before_label": dashboard.decision_label(before["decision"]),
        "after_label": dashboard.decision_label(after["decision"]),
        "delta_points": dashboard.points(result["delta"]),
        "direction": "up" if result["delta"] > 0 else ("down" if result["delta"] < 0 else "same"),
        "threshold_percent": dashboard.percent(result["threshold"]),
        "sentence": dashboard.decision_sentence(
            probability=after["probability"],
            threshold=result["threshold"],
            decision=after["decision"],
        ),
    }


@require_GET
@login_required
@dashboard_access_required
def counterfactual_suggestion(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """The smallest change of amount and/or term that would turn a refusal into a grant.

    Who: staff who see the client (advisors: their own clients; supervisors and
    risk staff: all); not the client. Loaded by htmx once the page is shown (a
    whole grid of scenarios is scored), or followed as a link without JavaScript.
    """
    application = get_staff_application(request, sk_id_curr, fields=_LOAN_FIELDS)
    try:
        result = counterfactual(application=application, language=dashboard.language())
    except NoActiveModel:
        result = None
    context = {"application": application, "counterfactual": result}
    if result is not None and result["suggestion"] is not None:
        suggestion = result["suggestion"]
        context["suggestion_sentence"] = _(
            "%(reason)s Probability of default %(probability)s, under the threshold of "
            "%(threshold)s."
        ) % {
            "reason": result["reason"],
            "probability": dashboard.percent(suggestion["probability"]),
            "threshold": dashboard.percent(result["threshold"]),
        }
        # The other ways to a grant: the amount alone, the term alone (when they differ).
        context["alternative_sentences"] = [
            _("%(reason)s Probability of default %(probability)s.")
            % {
                "reason": alternative["reason"],
                "probability": dashboard.percent(alternative["probability"]),
            }
            for alternative in result["alternatives"]
        ]
        # The suggestion as what-if fields, so that the advisor can run it and see its factors.
        context["suggestion_fields"] = {
            form_field: suggestion["changes"][service_field]
            for form_field, service_field in (
                ("amt_credit", "AMT_CREDIT"),
                ("amt_goods_price", "AMT_GOODS_PRICE"),
                ("term_months", "TERM_MONTHS"),
            )
            if service_field in suggestion["changes"]
        }
    return render_fragment_or_page(
        request,
        "partials/counterfactual.html",
        context,
        title=_("What would change the decision"),
    )


# -- The decision workflow -----------------------------------------------------------


@require_POST
@login_required
@dashboard_access_required
@permission_required("clients.record_decision", raise_exception=True)
def decision_record(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Record the final decision on the client: follow the model or override it.

    Who: holders of `clients.record_decision` who see the client: advisors
    (their own clients) and supervisors (all). An override needs a written
    justification: refused with 400 and the error next to the field otherwise.
    The service writes the audit event and resolves open review requests.
    """
    application = _get_application_for_user(request.user, sk_id_curr, fields=("sk_id_curr",))
    score = score_latest_done(application=application)
    model_decision = score.decision if score else ""
    form = CreditDecisionForm(request.POST, model_decision=model_decision)
    if form.is_valid():
        try:
            decision = credit_decision_record(
                application=application,
                decided_by=request.user,
                outcome=form.cleaned_data["outcome"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = dashboard.decision_label(decision.outcome)
            if decision.is_override:
                text = _("Decision recorded: %(outcome)s, overriding the model.")
            else:
                text = _("Decision recorded: %(outcome)s, as the model proposed.")
            messages.success(request, text % {"outcome": label})
            return redirect(_client_url(application, "final-decision-heading"))
    context = {
        "application": application,
        "decision_form": form,
        "model_decision": model_decision,
        "model_decision_label": dashboard.decision_label(model_decision),
        "score": score,
    }
    return render(request, "scoring/decision_form.html", context, status=400)


@require_GET
@login_required
@permission_required("clients.view_portfolio", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Clients who asked for a person to review their decision, oldest request first.

    Who: advisors (requests of their own clients) and supervisors (all clients);
    anyone else gets 403. Each row links to the client's page, where recording
    a decision resolves the request.
    """
    paginator = Paginator(open_reviews_for(request.user), REVIEWS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    reviews = list(page.object_list)
    current = _current_scores(application_ids=[review.application_id for review in reviews])
    rows = [{"review": review, "score": current.get(review.application_id)} for review in reviews]
    return render(
        request,
        "scoring/review_queue.html",
        {"rows": rows, "page_obj": page, "active_nav": "reviews"},
    )


def _current_scores(*, application_ids: list[int]) -> dict[int, dict[str, object]]:
    """The current score (decision, probability) of each application, in one query."""
    rows = Score.objects.filter(application_id__in=application_ids, is_current=True).values(
        "application_id", "decision", "probability"
    )
    return {row["application_id"]: row for row in rows}
