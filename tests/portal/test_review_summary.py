"""Where the client's review request stands, said on the home and the decision page (not only
behind the form's redirect): received, in review or answered, the due date, the link to it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

import formatting
from scoring.decisions import credit_decision_record
from scoring.models import ReviewRequest
from scoring.reviews import review_answer, review_request_create, review_start
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
DECISION = reverse("portal:decision")


def page(client, url: str, language: str = "en") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def summary_of(body: str) -> str:
    """The review summary's section of a page ("" when the page has none)."""
    if 'data-testid="review-summary"' not in body:
        return ""
    return body.split('data-testid="review-summary"')[1].split("</section>")[0]


def long_date(value, language: str) -> str:
    with translation.override(language):
        return formatting.date(timezone.localdate(value))


@pytest.fixture
def refused(application, advisor):
    return credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="refused",
        justification="No score: refused on the payslips.",
    )


@pytest.fixture
def request_sent(application, client_user, refused):
    return review_request_create(
        application=application, requested_by=client_user, message="Please look again."
    )


def test_a_client_who_never_asked_sees_no_review_summary(client_a, refused):
    assert summary_of(page(client_a, HOME)) == ""
    decision = page(client_a, DECISION)
    assert summary_of(decision) == ""
    assert 'data-testid="review-request-link"' in decision  # the way to ask, as before


@pytest.mark.parametrize("url", [HOME, DECISION])
def test_a_received_request_shows_its_status_due_date_and_link(client_a, request_sent, url):
    summary = summary_of(page(client_a, url))
    assert "My review request in progress" in summary
    assert ">Received<" in summary
    assert f"answer by {long_date(request_sent.due_at, 'en')} at the latest" in summary
    assert f'href="/portal/review/{request_sent.pk}/"' in summary
    assert "Follow my request" in summary


def test_the_summary_is_in_french_by_default(client_a, request_sent):
    summary = summary_of(page(client_a, HOME, language="fr"))
    assert ">Reçue<" in summary
    assert long_date(request_sent.due_at, "fr") in summary
    assert "Received" not in summary and "Follow my request" not in summary


def test_a_request_in_review_says_since_when(client_a, request_sent, advisor):
    review_start(review=request_sent, actor=advisor)
    request_sent.refresh_from_db()
    summary = summary_of(page(client_a, HOME))
    assert ">In review<" in summary
    assert f"since {long_date(request_sent.review_started_at, 'en')}" in summary


def test_with_a_request_open_the_decision_page_leads_to_it_not_to_the_form(client_a, request_sent):
    body = page(client_a, DECISION)
    assert 'data-testid="review-request-link"' not in body
    right = body.split('data-testid="decision-review-right"')[1].split("</section>")[0]
    assert 'data-testid="review-request-open"' in right
    assert f'href="/portal/review/{request_sent.pk}/"' in right


def test_an_answered_request_says_when_and_the_decision_in_force(client_a, request_sent, advisor):
    review_start(review=request_sent, actor=advisor)
    review_answer(review=request_sent, actor=advisor, answer="We checked: the decision stands.")
    request_sent.refresh_from_db()
    assert request_sent.status == ReviewRequest.Status.ANSWERED

    summary = summary_of(page(client_a, HOME))
    assert "My latest review request" in summary
    assert ">Answered<" in summary
    assert f"We answered on {long_date(request_sent.resolved_at, 'en')}" in summary
    assert "The decision stands: your credit is refused." in summary
    assert "Read the answer" in summary
    # Answered: the client may ask again from the decision page.
    assert 'data-testid="review-request-link"' in page(client_a, DECISION)


def test_a_client_never_sees_another_clients_request(client_a, application, colleague):
    from accounts.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(username="client-oscar", role=Role.CLIENT)
    theirs = review_request_create(
        application=ApplicationFactory(advisor=colleague, portal_user=other),
        requested_by=other,
        message="Please look at mine again.",
    )
    for url in (HOME, DECISION):
        body = page(client_a, url)
        assert summary_of(body) == ""
        assert f"/portal/review/{theirs.pk}/" not in body
