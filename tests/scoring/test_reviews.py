"""Human review of a decision: the services of scoring/reviews.py (the client asks, the advisor
takes it up, corrects, answers), their audit events, their e-mails and their refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from clients.models import Application
from scoring.decisions import credit_decision_record, open_reviews_for
from scoring.models import ReviewRequest, Score, one_month_after
from scoring.reviews import (
    ReviewAlreadyOpen,
    recorded_facts,
    review_answer,
    review_changed_decision,
    review_is_overdue,
    review_record_correct,
    review_request_create,
    review_start,
)
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
Status = ReviewRequest.Status


@pytest.fixture
def ask(application, client_user, django_capture_on_commit_callbacks):
    """`ask(**kwargs)`: the client's request, committed (its e-mail sent)."""

    def _ask(**kwargs):
        kwargs.setdefault("message", "My income is wrong: I earn more since March.")
        kwargs.setdefault("language", "fr")
        with django_capture_on_commit_callbacks(execute=True):
            return review_request_create(
                application=application, requested_by=client_user, **kwargs
            )

    return _ask


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# -- asking -------------------------------------------------------------------------------


def test_a_request_is_due_one_month_after_it_is_received(ask):
    before = timezone.now()
    review = ask()
    assert review.status == Status.RECEIVED
    assert one_month_after(before) <= review.due_at <= one_month_after(timezone.now())


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime(2026, 3, 15, 9, 30, tzinfo=UTC), datetime(2026, 4, 15, 9, 30, tzinfo=UTC)),
        (datetime(2026, 1, 31, 9, 30, tzinfo=UTC), datetime(2026, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2028, 1, 31, 9, 30, tzinfo=UTC), datetime(2028, 2, 29, 9, 30, tzinfo=UTC)),
        (datetime(2026, 12, 20, 9, 30, tzinfo=UTC), datetime(2027, 1, 20, 9, 30, tzinfo=UTC)),
    ],
)
def test_one_month_is_a_calendar_month_ending_on_the_last_day_of_a_shorter_one(received, due):
    assert one_month_after(received) == due


def test_a_request_past_its_due_date_and_unanswered_is_overdue(ask):
    review = ask()
    assert not review_is_overdue(review)
    assert review_is_overdue(review, now=review.due_at + timedelta(minutes=1))
    review.status = Status.ANSWERED
    assert not review_is_overdue(review, now=review.due_at + timedelta(days=10))


def test_the_request_keeps_the_claimed_facts_and_the_decision_in_force(ask, application, advisor):
    decision = credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="refused",
        justification="No score: refused on the payslips.",
    )
    review = ask(claimed={"AMT_INCOME_TOTAL": "42000", "TERM_MONTHS": 24.4, "AMT_CREDIT": ""})
    review.refresh_from_db()
    assert review.claimed == {"AMT_INCOME_TOTAL": 42000.0, "TERM_MONTHS": 24.0}
    assert review.decision_before == decision


def test_the_request_is_recorded_and_confirmed_to_the_client_by_email_in_their_language(
    ask, client_user
):
    from django.utils import translation

    with translation.override("fr"):
        review = ask()

    (event,) = events(Action.REVIEW_REQUESTED)
    assert event.detail["review"] == review.pk and event.actor_id == client_user.pk
    (email,) = mail.outbox
    assert email.to == [client_user.email]
    assert email.subject == "Nous avons bien reçu votre demande de réexamen"
    assert "/portal/review/" in email.body
    # Nothing of the request itself travels by e-mail.
    assert "income" not in email.body.lower()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"message": "   "}, "message"),
        ({"message": "too short"}, "message"),
        ({"message": "x" * (ReviewRequest.MESSAGE_MAX_LENGTH + 1)}, "message"),
        ({"claimed_other": "y" * (ReviewRequest.CLAIMED_OTHER_MAX_LENGTH + 1)}, "claimed_other"),
        ({"claimed": {"AMT_INCOME_TOTAL": -5}}, "AMT_INCOME_TOTAL"),
        ({"claimed": {"TERM_MONTHS": 600}}, "TERM_MONTHS"),
        ({"claimed": {"YEARS_EMPLOYED": "many"}}, "YEARS_EMPLOYED"),
        ({"claimed": {"CODE_GENDER": "M"}}, "CODE_GENDER"),
    ],
)
def test_a_request_out_of_bounds_is_refused_naming_the_field_and_nothing_is_kept(
    ask, kwargs, field
):
    with pytest.raises(ValidationError) as refused:
        ask(**kwargs)
    assert field in refused.value.message_dict
    assert not ReviewRequest.objects.exists()
    assert not events(Action.REVIEW_REQUESTED) and not mail.outbox


def test_the_longest_message_allowed_is_kept_whole(ask):
    review = ask(message="x" * ReviewRequest.MESSAGE_MAX_LENGTH)
    review.refresh_from_db()
    assert len(review.message) == ReviewRequest.MESSAGE_MAX_LENGTH


def test_the_database_refuses_a_text_longer_than_its_bound(application):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRequest.objects.create(
            application=application, message="x" * (ReviewRequest.MESSAGE_MAX_LENGTH + 1)
        )


def test_a_client_has_one_open_request_and_may_ask_again_once_it_is_answered(ask, advisor):
    first = ask()
    with pytest.raises(ReviewAlreadyOpen):
        ask(message="A second request while the first is open.")
    review_answer(review=first, actor=advisor, answer="We checked: the decision stands.")

    second = ask(message="Another question, months later.")
    assert second.pk != first.pk and second.status == Status.RECEIVED


def test_the_database_keeps_one_open_request_per_application(application):
    ReviewRequest.objects.create(application=application, message="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRequest.objects.create(
            application=application, message="second", status=Status.IN_REVIEW
        )


@pytest.mark.parametrize(
    "change",
    [
        {"message": "Something else entirely."},
        {"claimed": {"AMT_INCOME_TOTAL": 99999.0}},
        {"claimed_other": "edited"},
        {"due_at": datetime(2030, 1, 1, tzinfo=UTC)},
    ],
)
def test_a_request_cannot_be_edited_once_sent(ask, change):
    review = ask(claimed={"AMT_INCOME_TOTAL": 42000})
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        ReviewRequest.objects.filter(pk=review.pk).update(**change)
    review.refresh_from_db()
    assert review.message.startswith("My income is wrong")
    assert review.claimed == {"AMT_INCOME_TOTAL": 42000.0}


# -- the advisor's side -------------------------------------------------------------------


def test_the_request_reaches_the_queue_of_the_clients_advisor_and_no_colleagues(
    ask, advisor, colleague, supervisor, client_user
):
    ApplicationFactory(advisor=colleague)
    review = ask()
    assert list(open_reviews_for(advisor)) == [review]
    assert list(open_reviews_for(colleague)) == []
    assert list(open_reviews_for(supervisor)) == [review]
    assert list(open_reviews_for(client_user)) == [review]  # the client's own, in their space


def test_the_queue_puts_the_earliest_due_first(advisor, client_user):
    late, early = ApplicationFactory(advisor=advisor), ApplicationFactory(advisor=advisor)
    now = timezone.now()
    ReviewRequest.objects.create(application=late, message="late", due_at=now + timedelta(days=20))
    ReviewRequest.objects.create(application=early, message="early", due_at=now - timedelta(days=1))
    assert [review.message for review in open_reviews_for(advisor)] == ["early", "late"]


def test_taking_a_request_up_puts_it_in_review_audited_and_emailed(
    ask, advisor, django_capture_on_commit_callbacks
):
    review = ask()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_start(review=review, actor=advisor)
    review.refresh_from_db()
    assert (review.status, review.reviewed_by) == (Status.IN_REVIEW, advisor)
    (event,) = events(Action.REVIEW_STATUS_CHANGED)
    assert event.detail == {"review": review.pk, "before": "received", "after": "in_review"}
    assert event.actor_id == advisor.pk
    (email,) = mail.outbox
    assert email.subject == "Un conseiller examine votre demande"


@pytest.mark.parametrize("who", ["colleague", "client_user", "risk_staff", "integration"])
def test_only_the_clients_advisor_or_a_supervisor_handles_the_request(ask, request, who):
    review = ask()
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        review_start(review=review, actor=actor)
    with pytest.raises(PermissionDenied):
        review_record_correct(review=review, actor=actor, values={"AMT_INCOME_TOTAL": 42000})
    with pytest.raises(PermissionDenied):
        review_answer(review=review, actor=actor, answer="Not mine to answer.")
    review.refresh_from_db()
    assert review.status == Status.RECEIVED and review.corrections == {}
    assert Application.objects.get(pk=review.application_id).amt_income_total == 202_500.0
    assert not events(Action.RECORD_CORRECTED)


def test_the_advisor_corrects_the_record_audited_with_the_values_before_and_after(
    ask, advisor, application
):
    review = ask(claimed={"AMT_INCOME_TOTAL": 42000, "YEARS_EMPLOYED": 6})

    changes = review_record_correct(
        review=review,
        actor=advisor,
        values={"AMT_INCOME_TOTAL": 42000, "YEARS_EMPLOYED": 6, "AMT_CREDIT": 406_597.5},
        rescore=False,
    )

    application.refresh_from_db()
    assert application.amt_income_total == 42000.0
    assert application.days_employed == -2192  # 6 years
    assert application.amt_credit == 406_597.5  # the recorded value: no change
    assert changes == {
        "AMT_INCOME_TOTAL": {"before": 202_500.0, "after": 42000.0},
        "YEARS_EMPLOYED": {"before": 1.7, "after": 6.0},
    }
    (event,) = events(Action.RECORD_CORRECTED)
    assert event.actor_id == advisor.pk and event.application_id == application.pk
    assert event.detail["review"] == review.pk
    assert event.detail["changes"] == {
        "AMT_INCOME_TOTAL": {"before": 202_500.0, "after": 42000.0},
        "DAYS_EMPLOYED": {"before": -637, "after": -2192},
    }
    review.refresh_from_db()
    assert review.corrections == changes
    # Correcting is reviewing: the request is taken up if it was not.
    assert review.status == Status.IN_REVIEW


def test_a_new_term_sets_the_instalment_and_a_new_amount_keeps_the_term(ask, advisor, application):
    review = ask()
    term = recorded_facts(application)["TERM_MONTHS"]
    review_record_correct(
        review=review, actor=advisor, values={"AMT_CREDIT": 300_000}, rescore=False
    )
    application.refresh_from_db()
    assert recorded_facts(application)["TERM_MONTHS"] == term
    review_record_correct(review=review, actor=advisor, values={"TERM_MONTHS": 24}, rescore=False)
    application.refresh_from_db()
    assert application.amt_annuity == 12_500.0
    review.refresh_from_db()
    # A fact corrected twice keeps the value the client contested as its "before".
    assert review.corrections["AMT_CREDIT"] == {"before": 406_597.5, "after": 300_000.0}


def test_a_correction_out_of_bounds_is_refused_and_changes_nothing(ask, advisor, application):
    review = ask()
    with pytest.raises(ValidationError) as refused:
        review_record_correct(review=review, actor=advisor, values={"AMT_INCOME_TOTAL": 1e12})
    assert "AMT_INCOME_TOTAL" in refused.value.message_dict
    application.refresh_from_db()
    assert application.amt_income_total == 202_500.0 and not events(Action.RECORD_CORRECTED)


def test_a_corrected_record_is_scored_again(
    ask, advisor, application, active_model_version, score_now, django_capture_on_commit_callbacks
):
    first = score_now(application)
    review = ask()
    with django_capture_on_commit_callbacks(execute=True):
        review_record_correct(review=review, actor=advisor, values={"AMT_INCOME_TOTAL": 42000})
    current = Score.objects.get(application=application, is_current=True)
    assert current.pk != first.pk and current.status == Score.Status.DONE
    assert current.requested_by == advisor


def test_the_answer_closes_the_request_tells_the_client_and_keeps_the_new_decision(
    ask, advisor, application, django_capture_on_commit_callbacks
):
    refused = credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="refused",
        justification="No score: refused on the payslips.",
    )
    review = ask(claimed={"AMT_INCOME_TOTAL": 42000})
    review_record_correct(
        review=review, actor=advisor, values={"AMT_INCOME_TOTAL": 42000}, rescore=False
    )
    granted = credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="granted",
        justification="Income corrected to 42,000: the payments fit.",
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        review_answer(review=review, actor=advisor, answer="  Your income was wrong: corrected.  ")

    review.refresh_from_db()
    assert review.status == Status.ANSWERED and review.answer == "Your income was wrong: corrected."
    assert review.resolved_at is not None
    assert (review.decision_before, review.resolved_by) == (refused, granted)
    assert review_changed_decision(review)
    (answered,) = events(Action.REVIEW_ANSWERED)
    assert answered.detail == {
        "review": review.pk,
        "answer_length": len("Your income was wrong: corrected."),
        "decision": granted.pk,
        "decision_changed": True,
        "corrected": ["AMT_INCOME_TOTAL"],
    }
    assert [e.detail["after"] for e in events(Action.REVIEW_STATUS_CHANGED)] == [
        "in_review",
        "answered",
    ]
    (email,) = mail.outbox
    assert email.subject == "Votre demande de réexamen a reçu une réponse"
    assert "corrected" not in email.body  # the answer is read in the client's space


def test_an_answer_without_a_new_decision_says_the_decision_stands(ask, advisor, application):
    credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="refused",
        justification="No score: refused on the payslips.",
    )
    review = ask()
    review_answer(review=review, actor=advisor, answer="We checked everything again.")
    review.refresh_from_db()
    assert review.resolved_by == review.decision_before and not review_changed_decision(review)


def test_an_empty_answer_is_refused_and_an_answered_request_cannot_be_answered_again(ask, advisor):
    review = ask()
    with pytest.raises(ValidationError) as refused:
        review_answer(review=review, actor=advisor, answer="   ")
    assert "answer" in refused.value.message_dict
    review_answer(review=review, actor=advisor, answer="Checked.")
    with pytest.raises(ValidationError):
        review_answer(review=review, actor=advisor, answer="Checked again.")
    with pytest.raises(ValidationError):
        review_record_correct(review=review, actor=advisor, values={"AMT_INCOME_TOTAL": 42000})
    assert len(events(Action.REVIEW_ANSWERED)) == 1


def test_a_client_without_an_email_address_gets_no_email_and_loses_nothing(
    ask, client_user, advisor
):
    client_user.email = ""
    client_user.save()
    review = ask()
    review_start(review=review, actor=advisor)
    assert not mail.outbox and ReviewRequest.objects.get().status == Status.IN_REVIEW
