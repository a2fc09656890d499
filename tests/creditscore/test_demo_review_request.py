"""`make demo` puts one review request in the demo advisor's queue, from a login-less client."""

from __future__ import annotations

import pytest

from creditscore.demo.reviews import demo_review_request_ensure
from scoring.decisions import open_reviews_for
from scoring.models import ReviewRequest
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_advisor_finds_one_request_with_a_claimed_income_and_a_rerun_adds_none(
    advisor, colleague, application
):
    others = [ApplicationFactory(advisor=advisor) for _ in range(2)]
    ApplicationFactory(advisor=colleague)

    first = demo_review_request_ensure(advisor=advisor)
    again = demo_review_request_ensure(advisor=advisor)

    assert first == again and ReviewRequest.objects.count() == 1
    review = ReviewRequest.objects.get()
    # Not the demo client's own record: they stay free to ask and follow their request.
    assert review.application == others[0] and review.application != application
    assert review.claimed["AMT_INCOME_TOTAL"] > others[0].amt_income_total
    assert list(open_reviews_for(advisor)) == [review]
    assert not open_reviews_for(colleague).exists()


def test_no_client_without_a_login_means_no_demo_request(advisor, application):
    assert demo_review_request_ensure(advisor=advisor) is None
    assert not ReviewRequest.objects.exists()
