"""The review queue and a review request's page: clients who asked for a person to review.

The advisor reads what the client wrote and the facts they say are wrong beside
the recorded ones, takes the request up, may correct the record (the client is
scored again), records a decision on the client's page if it changes, and
answers in writing. Every step is a service of scoring/reviews.py (audited, the
client e-mailed).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

import formatting
from accounts.access import access_rule
from dashboard.access import PORTFOLIO, REVIEW_HANDLE
from dashboard.forms import ReviewAnswerForm, ReviewCorrectionForm
from scoring.decisions import open_reviews_for
from scoring.models import ReviewRequest
from scoring.reviews import (
    review_answer,
    review_changed_decision,
    review_fact_rows,
    review_is_overdue,
    review_record_correct,
    review_start,
    reviews_for_user,
)
from scoring.selectors import credit_decisions_for, current_scores

REVIEWS_PAGE_SIZE = 25


@require_GET
@access_rule(PORTFOLIO)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Clients waiting for a review, the earliest due first; overdue requests stand out.

    Who: advisors (requests of their own clients) and supervisors (all clients);
    anyone else gets 403. Each row links to the request's page.
    """
    paginator = Paginator(open_reviews_for(request.user), REVIEWS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    reviews = list(page.object_list)
    current = current_scores(application_ids=[review.application_id for review in reviews])
    now = timezone.now()
    rows = [
        {
            "review": review,
            "score": current.get(review.application_id),
            "overdue": review_is_overdue(review, now=now),
            "due": formatting.date(timezone.localdate(review.due_at)),
            "claims": len(review.claimed) + bool(review.claimed_other),
        }
        for review in reviews
    ]
    return render(
        request,
        "dashboard/reviews.html",
        {"rows": rows, "page_obj": page, "active_nav": "reviews"},
    )


def _get_review_for_user(user, review_id: int) -> ReviewRequest:
    """The request if it is on a client `user` sees (404 otherwise, whether it exists or not)."""
    return get_object_or_404(reviews_for_user(user), pk=review_id)


def _review_page(
    request: HttpRequest,
    review: ReviewRequest,
    *,
    correction_form: ReviewCorrectionForm | None = None,
    answer_form: ReviewAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = review.application
    context = {
        "review": review,
        "application": application,
        "fact_rows": review_fact_rows(review=review),
        "overdue": review_is_overdue(review),
        "due": formatting.date(timezone.localdate(review.due_at)),
        "score": current_scores(application_ids=[application.pk]).get(application.pk),
        "credit_decisions": credit_decisions_for(application=application, limit=5),
        "decision_changed": review_changed_decision(review),
        "correction_form": correction_form or ReviewCorrectionForm(claimed=review.claimed),
        "answer_form": answer_form or ReviewAnswerForm(),
        "active_nav": "reviews",
    }
    return render(request, "dashboard/review_detail.html", context, status=status)


@require_GET
@access_rule(REVIEW_HANDLE)
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """One request: the message, the facts claimed beside the recorded ones, the due date,
    and the advisor's actions (take up, correct, answer).

    Who: the advisor of the client and supervisors; a request on another advisor's
    client is a 404, risk staff and clients get 403.
    """
    return _review_page(request, _get_review_for_user(request.user, review_id))


def _back_to(review: ReviewRequest, anchor: str = "") -> HttpResponse:
    url = reverse("dashboard:review", args=[review.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@access_rule(REVIEW_HANDLE)
def review_take_up(request: HttpRequest, review_id: int) -> HttpResponse:
    """Take the request up (received -> in review: the client is told). Who: as review_detail."""
    review = _get_review_for_user(request.user, review_id)
    try:
        review_start(review=review, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are reviewing this request; the client has been told."))
    return _back_to(review)


@require_POST
@access_rule(REVIEW_HANDLE)
def review_correct(request: HttpRequest, review_id: int) -> HttpResponse:
    """Correct the client's record (audited before/after) and score it again.

    Who: as review_detail. A wrong value is a 400 with the error next to its field.
    """
    review = _get_review_for_user(request.user, review_id)
    form = ReviewCorrectionForm(request.POST, claimed=review.claimed)
    if form.is_valid():
        try:
            changes = review_record_correct(review=review, actor=request.user, values=form.values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if changes:
                messages.success(
                    request,
                    _("Record corrected (%(count)d facts); the client is being scored again.")
                    % {"count": len(changes)},
                )
            else:
                messages.info(request, _("These values are the recorded ones: nothing changed."))
            return _back_to(review, "correction-heading")
    review.refresh_from_db()
    return _review_page(request, review, correction_form=form, status=400)


@require_POST
@access_rule(REVIEW_HANDLE)
def review_answer_send(request: HttpRequest, review_id: int) -> HttpResponse:
    """Answer the client in writing: the request is closed, the client told.

    Who: as review_detail. An empty or too long answer is a 400 with the error.
    """
    review = _get_review_for_user(request.user, review_id)
    form = ReviewAnswerForm(request.POST)
    if form.is_valid():
        try:
            review_answer(review=review, actor=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Answer sent; the client has been told by e-mail."))
            return _back_to(review)
    review.refresh_from_db()
    return _review_page(request, review, answer_form=form, status=400)
