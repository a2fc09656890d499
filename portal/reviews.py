"""Asking for a human review (GDPR art. 22(3)): the client's side.

* GET       /portal/review/            portal:review          where the client's request stands
* GET, POST /portal/review/new/        portal:review_request  the request form
* GET       /portal/review/<id>/       portal:review_detail   one of the client's requests

Who: the client, on their own application only (portal/access.py's PORTAL rule).
No URL names an application: the client's is the one their login is linked to,
so no id can reach another client's; a request id of another client is a 404.
The services (scoring/reviews.py) audit each step and e-mail the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

import formatting
from accounts.access import access_rule, signed_in_user
from clients.models import Application
from formatting.forms import LocalNumberField
from portal.access import PORTAL, get_own_application
from portal.page_context import portal_page_context
from scoring.models import Decision, ReviewRequest
from scoring.reviews import (
    CORRECTABLE_FACTS,
    ReviewAlreadyOpen,
    recorded_facts,
    review_changed_decision,
    review_fact_rows,
    review_latest_for_client,
    review_request_create,
    reviews_for_user,
)


def _get_application_for_client(user) -> Application:
    """The application the client's login is linked to (404 for a login linked to none yet)."""
    application = get_own_application(user)
    if application is None:
        raise Http404
    return application


class ReviewRequestForm(forms.Form):
    """What the client writes: a message, and the facts they say are wrong (each optional)."""

    message = forms.CharField(
        label=gettext_lazy("Why should a person look at your application again?"),
        max_length=ReviewRequest.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Your point of view, in your own words: what the decision missed, what has changed."
        ),
    )
    claimed_other = forms.CharField(
        label=gettext_lazy("Anything else that is wrong in your file"),
        required=False,
        max_length=ReviewRequest.CLAIMED_OTHER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, recorded: dict[str, float | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The template places them between the message and the free text.
        for fact in CORRECTABLE_FACTS:
            self.fields[fact.key.lower()] = LocalNumberField(
                label=str(fact.label),
                required=False,
                help_text=_("We have: %(value)s. Leave empty if this is right.")
                % {"value": fact.text(recorded[fact.key])},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[fact.key.lower()] for fact in CORRECTABLE_FACTS]

    def claimed(self) -> dict[str, float]:
        return {
            fact.key: self.cleaned_data[fact.key.lower()]
            for fact in CORRECTABLE_FACTS
            if self.cleaned_data.get(fact.key.lower()) is not None
        }

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, texts in error.message_dict.items():
            field = key.lower() if key.lower() in self.fields else None
            for text in texts:
                self.add_error(field, text)


STEPS = (
    ReviewRequest.Status.RECEIVED,
    ReviewRequest.Status.IN_REVIEW,
    ReviewRequest.Status.ANSWERED,
)


def _review_context(review: ReviewRequest) -> dict[str, Any]:
    reached = STEPS.index(review.status)
    return {
        "review": review,
        "steps": [
            {"label": step.label, "done": index <= reached, "current": index == reached}
            for index, step in enumerate(STEPS)
        ],
        "fact_rows": [
            row for row in review_fact_rows(review=review) if row.claimed or row.corrected_to
        ],
        "due": formatting.date(timezone.localdate(review.due_at)),
        "asked_on": formatting.date(timezone.localdate(review.created_at)),
        "answered_on": formatting.date(timezone.localdate(review.resolved_at))
        if review.resolved_at
        else "",
        "decision_changed": review_changed_decision(review),
    }


@dataclass(frozen=True)
class ReviewSummary:
    """Where the client's review request stands, in the sentences the home and the decision
    page show, with the link to the request's own page."""

    review: ReviewRequest
    is_open: bool
    status: str
    text: str
    decision_text: str
    url: str
    link_text: str


def _decision_after_answer(review: ReviewRequest) -> str:
    after = review.resolved_by
    if after is None:
        return ""
    granted = after.outcome == Decision.GRANTED
    if review_changed_decision(review):
        if granted:
            return _("The decision has changed: your credit is granted.")
        return _("The decision has changed: your credit is refused.")
    if granted:
        return _("The decision stands: your credit is granted.")
    return _("The decision stands: your credit is refused.")


def review_summary(*, application: Application) -> ReviewSummary | None:
    """The client's open request, else their last answered one (None: they never asked).

    Shown where the client looks first (home, decision page), so that they need not ask
    again to find out that a person is already looking at their file.
    """
    review = review_latest_for_client(application=application)
    if review is None:
        return None
    asked = formatting.date(timezone.localdate(review.created_at))
    due = formatting.date(timezone.localdate(review.due_at))
    if review.status == ReviewRequest.Status.RECEIVED:
        text = _(
            "You asked on %(asked)s. Your advisor will take it up and answer by %(due)s "
            "at the latest."
        ) % {"asked": asked, "due": due}
    elif review.status == ReviewRequest.Status.IN_REVIEW:
        started = review.review_started_at or review.created_at
        text = _(
            "You asked on %(asked)s. An advisor has been looking at your file again since "
            "%(started)s and will answer by %(due)s at the latest."
        ) % {"asked": asked, "started": formatting.date(timezone.localdate(started)), "due": due}
    else:
        answered = formatting.date(timezone.localdate(review.resolved_at or review.created_at))
        text = _("You asked on %(asked)s. We answered on %(answered)s.") % {
            "asked": asked,
            "answered": answered,
        }
    return ReviewSummary(
        review=review,
        is_open=review.is_open,
        status=str(review.get_status_display()),
        text=text,
        decision_text="" if review.is_open else _decision_after_answer(review),
        url=reverse("portal:review_detail", args=[review.pk]),
        link_text=_("Follow my request") if review.is_open else _("Read the answer"),
    )


def _form_page(
    request: HttpRequest, application: Application, form: ReviewRequestForm, status: int = 200
) -> HttpResponse:
    context = portal_page_context(request, active_nav="review", application=application, form=form)
    return render(request, "portal/review_request.html", context, status=status)


@require_GET
@access_rule(PORTAL)
def review_status(request: HttpRequest) -> HttpResponse:
    """Where the client's request stands (received, in review, answered), the answer and,
    where it changed, the new decision; the earlier requests; the way to ask.

    Who: the client (their own application only; anyone else 403).
    """
    application = get_own_application(request.user)
    reviews = (
        list(reviews_for_user(request.user).filter(application=application).order_by("-created_at"))
        if application is not None
        else []
    )
    latest = reviews[0] if reviews else None
    context = portal_page_context(
        request,
        active_nav="review",
        application=application,
        latest=_review_context(latest) if latest else None,
        earlier=[
            {"review": review, "asked_on": formatting.date(timezone.localdate(review.created_at))}
            for review in reviews[1:]
        ],
        can_ask=application is not None and (latest is None or not latest.is_open),
    )
    return render(request, "portal/review_status.html", context)


@require_http_methods(["GET", "POST"])
@access_rule(PORTAL)
def review_request(request: HttpRequest) -> HttpResponse:
    """The request form: a message, the facts the client says are wrong. One open at a time:
    with one open, GET goes back to its status and POST is refused (409).

    Who: the client (their own application only; anyone else 403). Whatever the form
    carries, the request is made on the client's own application.
    """
    application = _get_application_for_client(request.user)
    recorded = recorded_facts(application)
    has_open = application.review_requests.filter(status__in=ReviewRequest.OPEN_STATUSES).exists()
    if request.method == "GET":
        if has_open:
            messages.info(request, _("Your request is being handled: you can follow it here."))
            return redirect("portal:review")
        return _form_page(request, application, ReviewRequestForm(recorded=recorded))
    form = ReviewRequestForm(request.POST, recorded=recorded)
    status = 400
    if form.is_valid():
        try:
            review_request_create(
                application=application,
                requested_by=signed_in_user(request),
                message=form.cleaned_data["message"],
                claimed=form.claimed(),
                claimed_other=form.cleaned_data["claimed_other"],
                language=translation.get_language(),
            )
        except ReviewAlreadyOpen as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Your request has been sent. We have e-mailed you a confirmation."),
            )
            return redirect("portal:review")
    return _form_page(request, application, form, status=status)


@require_GET
@access_rule(PORTAL)
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """One of the client's requests, as sent, with its answer.

    Who: the client; another client's request is a 404 (whether it exists or not).
    """
    application = _get_application_for_client(request.user)
    review = get_object_or_404(
        reviews_for_user(request.user).filter(application=application), pk=review_id
    )
    context = portal_page_context(
        request, active_nav="review", application=application, **_review_context(review)
    )
    return render(request, "portal/review_detail.html", context)
