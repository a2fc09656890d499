"""The advisor's side of a review request: the queue (due dates, overdue), a request's page
(the claims beside the recorded facts), taking it up, correcting the record, answering."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

import formatting
from clients.models import Application
from scoring.models import ReviewRequest
from scoring.reviews import review_request_create
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("dashboard:reviews")


@pytest.fixture
def review(application, client_user):
    return review_request_create(
        application=application,
        requested_by=client_user,
        message="My income is wrong: 42,000, not 202,500.",
        claimed={"AMT_INCOME_TOTAL": 42000, "TERM_MONTHS": 24},
        claimed_other="My employer's name is misspelt.",
        language="en",
    )


def page_of(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    return response.status_code, html.unescape(response.content.decode())


def url(name: str, review) -> str:
    return reverse(f"dashboard:{name}", args=[review.pk])


def test_the_queue_shows_each_requests_due_date_and_marks_the_overdue_ones(client, advisor, review):
    late = ReviewRequest.objects.create(
        application=ApplicationFactory(advisor=advisor),
        message="Asked long ago.",
        due_at=timezone.now() - timedelta(days=2),
    )
    status, body = page_of(client, advisor, QUEUE)
    assert status == 200
    rows = body.split('data-testid="review-row"')[1:]
    assert len(rows) == 2
    # The overdue one first, marked in words (not by colour alone).
    assert f"/reviews/{late.pk}/" in rows[0] and 'data-testid="review-overdue"' in rows[0]
    assert f"/reviews/{review.pk}/" in rows[1] and "review-overdue" not in rows[1]
    assert "3\u00a0facts said to be wrong" in rows[1]  # two figures and the free text
    assert "Received" in rows[1]
    assert "2\u00a0open requests</caption>" in body


def test_the_queue_says_the_due_date_in_words_as_it_says_when_it_was_asked(client, advisor, review):
    status, body = page_of(client, advisor, QUEUE)
    due = body.split('data-testid="review-due">')[1].split("<")[0]
    asked = body.split('data-testid="review-asked">')[1].split("<")[0]
    with translation.override("en"):
        due_day = formatting.date(timezone.localdate(review.due_at))
        asked_day = formatting.date(timezone.localdate(review.created_at))
    assert due == due_day  # "January\u00a05,\u00a02027", not "Jan 5, 2027"
    assert asked.startswith(f"{asked_day}, ")


def test_a_colleagues_client_is_neither_in_the_queue_nor_reachable_by_id(client, colleague, review):
    status, body = page_of(client, colleague, QUEUE)
    assert 'data-testid="no-reviews"' in body
    for name in ("review",):
        assert page_of(client, colleague, url(name, review))[0] == 404
    for name in ("review-take-up", "review-correct", "review-answer"):
        response = client.post(url(name, review), {"amt_income_total": "42000", "answer": "x"})
        assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.RECEIVED
    assert Application.objects.get(pk=review.application_id).amt_income_total == 202_500.0


@pytest.mark.parametrize("who", ["risk_staff", "client_user", "integration"])
def test_risk_staff_clients_and_machines_are_refused_the_request_pages(
    client, request, review, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("review", review)).status_code == 403
    response = client.post(url("review-correct", review), {"amt_income_total": "42000"})
    assert response.status_code == 403
    assert Application.objects.get(pk=review.application_id).amt_income_total == 202_500.0


def test_the_request_page_sets_the_claims_beside_the_recorded_facts(client, advisor, review):
    status, body = page_of(client, advisor, url("review", review))
    assert status == 200
    assert "My income is wrong: 42,000, not 202,500." in body
    assert "My employer's name is misspelt." in body
    income = body.split('data-testid="fact-AMT_INCOME_TOTAL"')[1].split("</tr>")[0]
    assert "€202,500" in income and "€42,000" in income
    term = body.split('data-testid="fact-TERM_MONTHS"')[1].split("</tr>")[0]
    assert "16\u00a0months" in term and "24\u00a0months" in term
    credit = body.split('data-testid="fact-AMT_CREDIT"')[1].split("</tr>")[0]
    assert "€406,598" in credit and "<strong>" not in credit
    assert review.due_at.strftime("%Y") in body.split('data-testid="review-due"')[1][:80]
    # The correction form starts from what the client claims.
    assert 'name="amt_income_total" value="42,000"' in body


def test_a_supervisor_handles_any_clients_request(client, supervisor, review):
    assert page_of(client, supervisor, url("review", review))[0] == 200
    assert client.post(url("review-take-up", review)).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.IN_REVIEW and review.reviewed_by == supervisor


def test_the_advisor_takes_up_corrects_and_answers(
    client, advisor, review, application, django_capture_on_commit_callbacks
):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("review-take-up", review)).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.IN_REVIEW

    response = client.post(url("review-correct", review), {"amt_income_total": "42,000"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.amt_income_total == 42000.0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("review-answer", review), {"answer": "You were right."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.ANSWERED and review.answer == "You were right."
    assert [email.subject for email in mail.outbox] == [
        "An advisor is reviewing your request",
        "Your request for a review has been answered",
    ]
    body = page_of(client, advisor, url("review", review))[1]
    assert "You were right." in body and 'data-testid="review-answer-form"' not in body
    assert "€202,500 → €42,000" in body


def test_a_wrong_correction_or_an_empty_answer_is_a_400_with_the_error(
    client, advisor, review, application
):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    response = client.post(url("review-correct", review), {"amt_income_total": "-3"})
    assert response.status_code == 400
    assert "amt_income_total" in response.context["correction_form"].errors
    response = client.post(url("review-correct", review), {"term_months": "many"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.amt_income_total == 202_500.0

    response = client.post(url("review-answer", review), {"answer": "   "})
    assert response.status_code == 400
    assert "answer" in response.context["answer_form"].errors
    review.refresh_from_db()
    assert review.status == ReviewRequest.Status.RECEIVED


def test_the_queue_and_the_request_page_write_the_moment_of_the_request_through_formatting(
    client, advisor, review
):
    with translation.override("en"):
        asked = formatting.moment(review.created_at)  # "December 5, 2026, 9:53 PM"
    assert "\u00a0" in asked
    queue = page_of(client, advisor, QUEUE)[1]
    assert queue.split('data-testid="review-asked">')[1].startswith(f"{asked}</td>")
    detail = page_of(client, advisor, url("review", review))[1]
    assert f">{asked}</dd>" in detail
