"""Human review of a decision (GDPR art. 22(3)): the client asks, the advisor reviews and answers.

The life of a request: the client sends it (received), the advisor of the
application takes it up (in review), may correct the facts the client showed
to be wrong and re-score, records a decision on the client's page if it
changes, then answers in writing (answered). Each change of status is audited
and e-mails the client (`scoring.tasks.review_notify_task`, queued once the
change is committed). A request is due one month after it is received
(GDPR art. 12(3)).

Who may act: the client on their own application only (they ask); the advisor
in charge of the application or a supervisor (they review, correct, answer),
checked here as well as by the views: the services are the last line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import formatting
from accounts.models import AnyUser, User
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application
from ml.schema import DAYS_EMPLOYED_SENTINEL
from scoring.models import CreditDecision, ReviewRequest, Score
from scoring.queueing import task_send_on_commit

logger = logging.getLogger(__name__)

DAYS_PER_YEAR = 365.25
# Below this, "please review" says nothing an advisor can act on.
MIN_MESSAGE_LENGTH = 10


# ---------------------------------------------------------------------------
# The facts a client may say are wrong
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A fact of the application a client may contest and an advisor correct.

    `key` names it in the request's `claimed` and `corrections` (a Kaggle column,
    or TERM_MONTHS / YEARS_EMPLOYED, which are read from and written to columns);
    `low`-`high` bound what may be claimed; `unit` says how it is written.
    """

    key: str
    label: Promise
    unit: str  # "money", "months" or "years"
    low: float
    high: float
    whole: bool = False

    def text(self, value: float | None) -> str:
        if value is None:
            return _("not recorded")
        if self.unit == "money":
            return formatting.money(value)
        if self.unit == "months":
            return formatting.month_count(round(value))
        return formatting.year_count(round(value, 1))


CREDIT = "AMT_CREDIT"
TERM = "TERM_MONTHS"
INCOME = "AMT_INCOME_TOTAL"
YEARS_EMPLOYED = "YEARS_EMPLOYED"

CORRECTABLE_FACTS: tuple[Fact, ...] = (
    Fact(CREDIT, gettext_lazy("Loan amount"), "money", 1_000, 10_000_000),
    Fact(TERM, gettext_lazy("Term of the loan (months)"), "months", 3, 120, whole=True),
    Fact(INCOME, gettext_lazy("Annual income"), "money", 1_000, 100_000_000),
    Fact(YEARS_EMPLOYED, gettext_lazy("Years in current employment"), "years", 0, 60),
)
FACTS_BY_KEY = {fact.key: fact for fact in CORRECTABLE_FACTS}


def recorded_facts(application: Application) -> dict[str, float | None]:
    """The application's values of the correctable facts, as a person states them."""
    credit, annuity = application.amt_credit, application.amt_annuity
    days = application.days_employed
    employed = days is not None and days != DAYS_EMPLOYED_SENTINEL and days <= 0
    return {
        CREDIT: credit,
        # The term is credit / monthly instalment (see scoring/loan_terms.py).
        TERM: round(credit / annuity) if credit and annuity else None,
        INCOME: application.amt_income_total,
        YEARS_EMPLOYED: round(-days / DAYS_PER_YEAR, 1) if employed else None,
    }


def facts_clean(values: Mapping[str, object]) -> dict[str, float]:
    """The facts given (empty ones dropped), checked against their bounds.

    Raises ValidationError naming each wrong field; unknown keys are refused.
    """
    cleaned: dict[str, float] = {}
    errors: dict[str, str] = {}
    for key, raw in values.items():
        fact = FACTS_BY_KEY.get(key)
        if fact is None:
            errors[key] = _("This fact cannot be corrected here.")
            continue
        if raw is None or raw == "":
            continue
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[key] = _("Enter a number.")
            continue
        if not fact.low <= value <= fact.high:
            errors[key] = _("Enter a value between %(low)s and %(high)s.") % {
                "low": formatting.number(fact.low, 0),
                "high": formatting.number(fact.high, 0),
            }
            continue
        cleaned[key] = float(round(value)) if fact.whole else value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _columns_for(application: Application, facts: Mapping[str, float]) -> dict[str, Any]:
    """The application columns that state `facts` (the term and years become columns)."""
    columns: dict[str, Any] = {}
    recorded = recorded_facts(application)
    credit = facts.get(CREDIT, application.amt_credit)
    if CREDIT in facts:
        columns["amt_credit"] = credit
    if TERM in facts or (CREDIT in facts and recorded[TERM]):
        # A new amount keeps the term (the instalment follows), unless the term changes too.
        term = facts.get(TERM) or recorded[TERM]
        if credit and term:
            columns["amt_annuity"] = round(credit / term, 1)
    if INCOME in facts:
        columns["amt_income_total"] = facts[INCOME]
    if YEARS_EMPLOYED in facts:
        columns["days_employed"] = -round(facts[YEARS_EMPLOYED] * DAYS_PER_YEAR)
    return columns


@dataclass(frozen=True)
class FactRow:
    """One line of the table that sets what the client claims beside what is recorded."""

    key: str
    label: str
    recorded: str
    claimed: str | None
    corrected_from: str | None
    corrected_to: str | None


def review_fact_rows(*, review: ReviewRequest) -> list[FactRow]:
    """Every correctable fact: recorded now, claimed by the client, corrected by the advisor."""
    recorded = recorded_facts(review.application)
    rows = []
    for fact in CORRECTABLE_FACTS:
        claimed = review.claimed.get(fact.key)
        correction = review.corrections.get(fact.key)
        rows.append(
            FactRow(
                key=fact.key,
                label=str(fact.label),
                recorded=fact.text(recorded[fact.key]),
                claimed=fact.text(claimed) if claimed is not None else None,
                corrected_from=fact.text(correction["before"]) if correction else None,
                corrected_to=fact.text(correction["after"]) if correction else None,
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------


def reviews_for_user(user: AnyUser) -> QuerySet[ReviewRequest]:
    """The review requests on the applications `user` sees (a client: their own only)."""
    return ReviewRequest.objects.filter(
        application__in=Application.objects.for_user(user).values("pk")
    ).select_related("application", "decision_before", "resolved_by")


def review_latest_for_client(*, application: Application) -> ReviewRequest | None:
    """The client's latest request: the open one if any, else the last answered."""
    return (
        ReviewRequest.objects.filter(application=application)
        .select_related("decision_before", "resolved_by")
        .order_by("-created_at")
        .first()
    )


def review_is_overdue(review: ReviewRequest, *, now: datetime | None = None) -> bool:
    return review.is_open and review.due_at < (now or timezone.now())


def review_changed_decision(review: ReviewRequest) -> bool:
    """Whether the decision in force after the answer differs from the one before the request."""
    after = review.resolved_by
    if after is None:
        return False
    before = review.decision_before
    return before is None or before.outcome != after.outcome


def _latest_decision(application_id: int) -> CreditDecision | None:
    return (
        CreditDecision.objects.filter(application_id=application_id).order_by("-created_at").first()
    )


# ---------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------


class ReviewAlreadyOpen(ValidationError):
    """The client has a request waiting for an answer: one at a time."""


@transaction.atomic
def review_request_create(
    *,
    application: Application,
    requested_by: User | None,
    message: str,
    claimed: Mapping[str, object] | None = None,
    claimed_other: str = "",
    language: str | None = None,
) -> ReviewRequest:
    """The client asks a person to review the decision on their application.

    The caller has checked that `requested_by` is the client of `application`.
    Refused (ValidationError naming the field) when the message is empty, too
    short or too long, a claimed fact is out of bounds, or a request is already
    open (ReviewAlreadyOpen).
    """
    message = message.strip()
    claimed_other = claimed_other.strip()
    errors: dict[str, list[str]] = {}
    if len(message) < MIN_MESSAGE_LENGTH:
        errors["message"] = [
            _("Tell us in a few words (at least %(count)d characters) what should be reviewed.")
            % {"count": MIN_MESSAGE_LENGTH}
        ]
    elif len(message) > ReviewRequest.MESSAGE_MAX_LENGTH:
        errors["message"] = [
            _("Keep your message to %(count)d characters at most.")
            % {"count": ReviewRequest.MESSAGE_MAX_LENGTH}
        ]
    if len(claimed_other) > ReviewRequest.CLAIMED_OTHER_MAX_LENGTH:
        errors["claimed_other"] = [
            _("Keep this to %(count)d characters at most.")
            % {"count": ReviewRequest.CLAIMED_OTHER_MAX_LENGTH}
        ]
    try:
        facts = facts_clean(claimed or {})
    except ValidationError as error:
        errors.update(error.message_dict)
        facts = {}
    if errors:
        raise ValidationError(errors)
    # One request at a time: the row lock orders two submissions of the same client, and
    # the database's unique constraint backs it up.
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk").first()
    if ReviewRequest.objects.filter(
        application=application, status__in=ReviewRequest.OPEN_STATUSES
    ).exists():
        raise ReviewAlreadyOpen(
            _("You already have a review request waiting for an answer."), code="already_open"
        )
    try:
        with transaction.atomic():
            review = ReviewRequest.objects.create(
                application=application,
                requested_by=requested_by,
                message=message,
                claimed=facts,
                claimed_other=claimed_other,
                language=formatting.normalise_language(language or translation.get_language()),
                decision_before=_latest_decision(application.pk),
            )
    except IntegrityError as error:
        raise ReviewAlreadyOpen(
            _("You already have a review request waiting for an answer."), code="already_open"
        ) from error
    audit_event_record(
        actor=requested_by,
        action=AuditEvent.Action.REVIEW_REQUESTED,
        application_id=application.pk,
        detail={
            "review": review.pk,
            "message_length": len(message),
            "claimed": facts,
            "claimed_other": bool(claimed_other),
            "due_at": review.due_at.isoformat(),
        },
    )
    _notify_on_commit(review, ReviewRequest.Status.RECEIVED)
    return review


def _check_may_review(*, review: ReviewRequest, actor: AnyUser) -> None:
    """The advisor in charge of the application, or a supervisor; anyone else: PermissionDenied."""
    if not (
        actor is not None
        and actor.has_perm("clients.record_decision")
        and Application.objects.for_user(actor).filter(pk=review.application_id).exists()
    ):
        raise PermissionDenied


def _locked(review: ReviewRequest) -> ReviewRequest:
    return ReviewRequest.objects.select_for_update().select_related("application").get(pk=review.pk)


def _status_change(*, review: ReviewRequest, actor: AnyUser, after: str, **fields: Any) -> None:
    before = review.status
    review.status = after
    for name, value in fields.items():
        setattr(review, name, value)
    review.save(update_fields=["status", *fields])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.REVIEW_STATUS_CHANGED,
        application_id=review.application_id,
        detail={"review": review.pk, "before": before, "after": after},
    )
    _notify_on_commit(review, after)


def _refuse_if_answered(review: ReviewRequest) -> None:
    if not review.is_open:
        raise ValidationError(_("This request has been answered already."), code="answered")


@transaction.atomic
def review_start(*, review: ReviewRequest, actor: AnyUser) -> ReviewRequest:
    """The advisor takes the request up: received -> in review (already in review: unchanged)."""
    _check_may_review(review=review, actor=actor)
    review = _locked(review)
    _refuse_if_answered(review)
    if review.status == ReviewRequest.Status.RECEIVED:
        _status_change(
            review=review,
            actor=actor,
            after=ReviewRequest.Status.IN_REVIEW,
            reviewed_by=actor,
            review_started_at=timezone.now(),
        )
    return review


@transaction.atomic
def review_record_correct(
    *, review: ReviewRequest, actor: AnyUser, values: Mapping[str, object], rescore: bool = True
) -> dict[str, dict[str, float | None]]:
    """Correct the application's facts the review found wrong, audited before and after.

    Only the advisor of the application or a supervisor (PermissionDenied otherwise),
    while the request is open. Takes the request up if it was not yet. With
    `rescore`, the application is scored again by the active model once the
    correction is committed (when a model is active). Returns what changed.
    """
    _check_may_review(review=review, actor=actor)
    facts = facts_clean(values)
    review = _locked(review)
    _refuse_if_answered(review)
    application = Application.objects.select_for_update().get(pk=review.application_id)
    recorded = recorded_facts(application)
    facts = {key: value for key, value in facts.items() if value != recorded[key]}
    if not facts:
        return {}
    columns = _columns_for(application, facts)
    column_changes = {
        name.upper(): {"before": getattr(application, name), "after": value}
        for name, value in columns.items()
    }
    for name, value in columns.items():
        setattr(application, name, value)
    application.save(update_fields=[*columns, "updated_at"])
    changes = {key: {"before": recorded[key], "after": value} for key, value in facts.items()}
    # A fact corrected twice keeps its first "before": the value the client contested.
    merged = dict(review.corrections)
    for key, change in changes.items():
        first = merged.get(key)
        merged[key] = {"before": (first or change)["before"], "after": change["after"]}
    review.corrections = merged
    review.save(update_fields=["corrections"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.RECORD_CORRECTED,
        application_id=application.pk,
        detail={"review": review.pk, "changes": column_changes, "facts": changes},
    )
    if review.status == ReviewRequest.Status.RECEIVED:
        _status_change(
            review=review,
            actor=actor,
            after=ReviewRequest.Status.IN_REVIEW,
            reviewed_by=actor,
            review_started_at=timezone.now(),
        )
    if rescore:
        _rescore(application=application, actor=actor)
    return changes


def _rescore(*, application: Application, actor: AnyUser) -> Score | None:
    from scoring.registry import NoActiveModel
    from scoring.services import score_request

    try:
        return score_request(
            application=application, requested_by=actor, channel=Score.Channel.DASHBOARD
        )
    except NoActiveModel:
        logger.warning("no active model: application %s not re-scored", application.pk)
        return None


@transaction.atomic
def review_answer(*, review: ReviewRequest, actor: AnyUser, answer: str) -> ReviewRequest:
    """The advisor answers in writing: the request is closed (answered), the client told.

    The decision in force now is kept with the answer: when a decision was recorded
    after the request and differs from the one before, the client reads the new one.
    """
    _check_may_review(review=review, actor=actor)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer the client will read.")]})
    if len(answer) > ReviewRequest.ANSWER_MAX_LENGTH:
        raise ValidationError(
            {
                "answer": [
                    _("Keep the answer to %(count)d characters at most.")
                    % {"count": ReviewRequest.ANSWER_MAX_LENGTH}
                ]
            }
        )
    review = _locked(review)
    _refuse_if_answered(review)
    decision = _latest_decision(review.application_id)
    _status_change(
        review=review,
        actor=actor,
        after=ReviewRequest.Status.ANSWERED,
        answer=answer,
        resolved_by=decision,
        resolved_at=timezone.now(),
        reviewed_by=review.reviewed_by or actor,
        review_started_at=review.review_started_at or timezone.now(),
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.REVIEW_ANSWERED,
        application_id=review.application_id,
        detail={
            "review": review.pk,
            "answer_length": len(answer),
            "decision": decision.pk if decision else None,
            "decision_changed": review_changed_decision(review),
            "corrected": sorted(review.corrections),
        },
    )
    return review


# ---------------------------------------------------------------------------
# E-mails to the client
# ---------------------------------------------------------------------------


def _notify_on_commit(review: ReviewRequest, status: str) -> None:
    from scoring.tasks import review_notify_task

    task_send_on_commit(review_notify_task, review.pk, str(status))


SUBJECTS: dict[str, Callable[[], str]] = {
    ReviewRequest.Status.RECEIVED: lambda: _("We have received your request for a review"),
    ReviewRequest.Status.IN_REVIEW: lambda: _("An advisor is reviewing your request"),
    ReviewRequest.Status.ANSWERED: lambda: _("Your request for a review has been answered"),
}


def review_notify_client(*, review_id: int, status: str) -> bool:
    """E-mail the client that their request reached `status`, in the language they wrote in.

    The e-mail says what happened and where to read more: never the answer itself,
    nor figures (an e-mail may be read by someone else). False when the client has
    no e-mail address.
    """
    review = ReviewRequest.objects.select_related("requested_by", "application").get(pk=review_id)
    user = review.requested_by or review.application.portal_user
    if user is None or not user.email:
        logger.warning("review %s: the client has no e-mail address", review_id)
        return False
    with translation.override(review.language):
        context = {
            "review": review,
            "status": status,
            "name": user.get_full_name() or user.get_username(),
            "due": formatting.date(timezone.localdate(review.due_at)),
            "link": settings.SITE_URL.rstrip("/") + reverse("portal:review"),
        }
        subject = SUBJECTS[status]()
        body = render_to_string("scoring/email/review_status.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
