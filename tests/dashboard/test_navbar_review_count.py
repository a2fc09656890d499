"""The navbar shows how many review requests wait, counted in the reader's own scope."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from scoring.models import ReviewRequest
from tests.dashboard.builders import build_portfolio

pytestmark = pytest.mark.django_db

URL = "/clients/"


@pytest.fixture
def reviews(advisor, colleague):
    mine = build_portfolio(advisor, count=5)
    theirs = build_portfolio(colleague, count=5, first_id=300_000)
    for application in mine[:2] + theirs[:3]:
        ReviewRequest.objects.create(application=application, message="Please look again.")
    ReviewRequest.objects.create(
        application=mine[4], status=ReviewRequest.Status.ANSWERED, resolved_at=timezone.now()
    )


def badge(response) -> str | None:
    match = re.search(r'data-testid="nav-review-count">(\d+)<', response.content.decode())
    return match.group(1) if match else None


def test_an_advisor_sees_the_open_requests_of_their_own_clients_only(client, advisor, reviews):
    client.force_login(advisor)
    assert badge(client.get(URL)) == "2"


def test_a_supervisor_sees_every_open_request(client, supervisor, reviews):
    client.force_login(supervisor)
    assert badge(client.get(URL)) == "5"


def test_no_badge_when_nothing_waits(client, advisor, colleague):
    build_portfolio(advisor, count=2)
    client.force_login(advisor)
    response = client.get(URL)
    assert response.status_code == 200
    assert badge(response) is None


def test_a_client_has_no_review_queue_in_the_navbar(client, client_user, application, reviews):
    client.force_login(client_user)
    body = client.get("/portal/").content.decode()
    assert "nav-reviews" not in body and "nav-review-count" not in body


def test_the_count_says_what_it_counts_to_screen_readers(client, advisor, reviews):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    assert (
        '2<span class="visually-hidden"> open requests</span>' in client.get(URL).content.decode()
    )


def test_htmx_fragments_do_not_count(client, advisor, reviews, django_assert_max_num_queries):
    client.force_login(advisor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(URL, headers={"HX-Request": "true"})
    assert not any("scoring_reviewrequest" in q["sql"] and "COUNT(" in q["sql"] for q in queries)
