"""The portfolio's score columns and filters: decision, risk band, pending review, risk sort."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard.selectors import PortfolioFilters
from scoring.models import CreditDecision, ReviewRequest
from tests.dashboard.builders import (
    add_current_score,
    build_portfolio,
    model_version_row,
    row_ids,
)

pytestmark = pytest.mark.django_db

URL = "/clients/"

# Probabilities of the first clients of `advisor` (ids 200000...), threshold 0.10:
# the rest of the 30 clients is never scored.
PROBABILITIES = {
    200_000: 0.01,  # very low, granted
    200_001: 0.024,  # very low, granted
    200_002: 0.025,  # low (bounds are inclusive below), granted
    200_003: 0.07,  # moderate, granted
    200_004: 0.10,  # high, refused (at the threshold: refused)
    200_005: 0.15,  # high, refused
    200_006: 0.20,  # very high, refused
    200_007: 0.55,  # very high, refused
}


@pytest.fixture
def version():
    return model_version_row(active=True, threshold=0.10)


@pytest.fixture
def scored_portfolio(advisor, colleague, version):
    """30 clients of `advisor` (8 scored), 10 of `colleague` (all scored, all refused)."""
    mine = build_portfolio(advisor, count=30)
    theirs = build_portfolio(colleague, count=10, first_id=300_000)
    by_id = {application.pk: application for application in mine}
    for sk_id, probability in PROBABILITIES.items():
        add_current_score(by_id[sk_id], probability=probability, model_version=version)
    for application in theirs:
        add_current_score(application, probability=0.9, model_version=version)
    return mine


def test_decision_filter_refused_lists_only_the_advisors_refused_clients(
    advisor_client, scored_portfolio
):
    response = advisor_client.get(URL, {"decision": "refused"})
    assert row_ids(response) == [200_004, 200_005, 200_006, 200_007]


def test_decision_filter_granted_lists_only_granted_clients(advisor_client, scored_portfolio):
    response = advisor_client.get(URL, {"decision": "granted"})
    assert row_ids(response) == [200_000, 200_001, 200_002, 200_003]


def test_decision_filter_not_scored_lists_clients_without_a_score(advisor_client, scored_portfolio):
    response = advisor_client.get(URL, {"decision": "not_scored"})
    assert response.context["page_obj"].paginator.count == 22
    assert 200_008 in row_ids(response) and not set(row_ids(response)) & set(PROBABILITIES)


def test_a_failed_or_pending_score_leaves_a_client_not_scored(
    advisor_client, scored_portfolio, version
):
    from scoring.models import Score

    Score.objects.create(
        application=scored_portfolio[10], model_version=version, input_digest="x", status="failed"
    )
    response = advisor_client.get(URL, {"decision": "not_scored"})
    assert 200_010 in row_ids(response)


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("very_low", [200_000, 200_001]),
        ("low", [200_002]),
        ("moderate", [200_003]),
        ("high", [200_004, 200_005]),
        ("very_high", [200_006, 200_007]),
    ],
)
def test_risk_band_filter_reads_the_probability_with_inclusive_lower_bounds(
    advisor_client, scored_portfolio, band, expected
):
    assert row_ids(advisor_client.get(URL, {"risk_band": band})) == expected


def test_risk_band_and_decision_filters_combine(advisor_client, scored_portfolio):
    response = advisor_client.get(URL, {"risk_band": "very_high", "decision": "granted"})
    assert row_ids(response) == []
    assert response.context["filters"].is_filtered


def test_only_the_current_score_counts_not_an_older_one(advisor_client, scored_portfolio, version):
    # 200_007 was refused at 55%; a newer score (changed data) grants it at 3%.
    add_current_score(scored_portfolio[7], probability=0.03, model_version=version)
    assert 200_007 not in row_ids(advisor_client.get(URL, {"decision": "refused"}))
    assert 200_007 in row_ids(advisor_client.get(URL, {"risk_band": "low"}))


def test_pending_review_filter_lists_clients_with_an_open_request_only(
    advisor_client, scored_portfolio
):
    ReviewRequest.objects.create(application=scored_portfolio[5], message="please")
    ReviewRequest.objects.create(
        application=scored_portfolio[6],
        message="done",
        status=ReviewRequest.Status.ANSWERED,
        resolved_at=timezone.now(),
    )
    response = advisor_client.get(URL, {"pending_review": "on"})
    assert row_ids(response) == [200_005]


def test_a_colleagues_pending_review_never_shows_in_my_portfolio(
    advisor_client, scored_portfolio, colleague
):
    from clients.models import Application

    ReviewRequest.objects.create(application=Application.objects.get(pk=300_001))
    assert row_ids(advisor_client.get(URL, {"pending_review": "on"})) == []


def test_unknown_filter_values_are_ignored(advisor_client, scored_portfolio):
    response = advisor_client.get(URL, {"decision": "maybe", "risk_band": "extreme"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 30


def test_riskiest_first_puts_the_highest_probability_first_and_unscored_last(
    advisor_client, scored_portfolio
):
    response = advisor_client.get(URL, {"sort": "-risk"})
    assert row_ids(response)[:8] == [
        200_007,
        200_006,
        200_005,
        200_004,
        200_003,
        200_002,
        200_001,
        200_000,
    ]
    assert row_ids(response)[8] == 200_008  # then the unscored, by id


def test_lowest_risk_first_also_puts_unscored_last(advisor_client, scored_portfolio):
    response = advisor_client.get(URL, {"sort": "risk", "page": 2})
    assert row_ids(response)[-1] == 200_029  # unscored, by id, after every scored client
    first_page = row_ids(advisor_client.get(URL, {"sort": "risk"}))
    assert first_page[:3] == [200_000, 200_001, 200_002]


def test_a_row_shows_the_decision_probability_and_risk_band(advisor_client, scored_portfolio):
    body = advisor_client.get(URL, {"decision": "refused"}, HTTP_ACCEPT_LANGUAGE="en").content
    text = body.decode()
    assert "Refused" in text
    assert "55.0%" in text
    assert "Risk: Very high (20% or more)" in text
    assert "earlier model" not in text


def test_a_row_in_french_speaks_french(client, advisor, scored_portfolio):
    client.force_login(advisor)
    client.cookies["django_language"] = "fr"
    text = client.get(URL, {"decision": "refused"}).content.decode()
    assert "Refusé" in text
    assert "55,0\u202f%" in text
    assert "Risque : Très élevé (20\u202f% ou plus)" in text


def test_a_score_of_an_inactive_model_is_marked_as_earlier(advisor_client, scored_portfolio):
    model_version_row(active=False)  # the registry grows
    from scoring.models import ModelVersion

    ModelVersion.objects.filter(is_active=True).update(is_active=False)
    newer = model_version_row(active=True)
    add_current_score(scored_portfolio[0], probability=0.01, model_version=newer)
    text = advisor_client.get(URL, {"decision": "refused"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert "earlier model" in text.decode()


def test_a_row_shows_the_final_decision_and_an_override(advisor_client, scored_portfolio, advisor):
    CreditDecision.objects.create(
        application=scored_portfolio[4],
        outcome="granted",
        model_decision="refused",
        is_override=True,
        justification="Stable income confirmed by payslips.",
        decided_by=advisor,
    )
    ReviewRequest.objects.create(application=scored_portfolio[5])
    response = advisor_client.get(URL, {"decision": "refused"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = {row["sk_id_curr"]: row for row in response.context["rows"]}
    assert rows[200_004]["final_outcome"] == "granted" and rows[200_004]["final_is_override"]
    assert rows[200_005]["has_open_review"] and not rows[200_004]["has_open_review"]
    text = response.content.decode()
    assert "Final: granted" in text and "(override)" in text
    assert text.count('data-testid="row-review"') == 1


def test_score_columns_cost_no_query_per_row(
    client, supervisor, advisor, version, django_assert_max_num_queries
):
    for application in build_portfolio(advisor, count=60):
        add_current_score(application, probability=0.3, model_version=version)
        ReviewRequest.objects.create(application=application)
    client.force_login(supervisor)
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"sort": "-risk", "decision": "refused", "pending_review": "1"})
    assert len(response.context["rows"]) == 25


def test_counting_a_plain_list_does_not_join_the_scores(client, supervisor, scored_portfolio):
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"gender": "F"})
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "application"')
    ]
    assert len(counts) == 1 and "scoring_score" not in counts[0]


@pytest.mark.parametrize("sort", ["-risk", "risk"])
def test_risk_ordered_pages_match_the_single_query_order_at_every_boundary(
    advisor, scored_portfolio, sort, django_assert_max_num_queries
):
    """Every slice of the two-part list equals the same slice of the one-query order."""
    from dashboard.selectors import RiskOrderedRows, portfolio_queryset

    filters = PortfolioFilters(sort=sort)
    reference = [row["sk_id_curr"] for row in portfolio_queryset(user=advisor, filters=filters)]
    rows = RiskOrderedRows(user=advisor, filters=filters)
    assert len(rows) == 30
    for start in range(0, 31, 3):
        for size in (1, 5, 25):
            with django_assert_max_num_queries(3):
                got = [row["sk_id_curr"] for row in rows[start : start + size]]
            assert got == reference[start : start + size], (start, size)


def test_a_page_among_the_scored_clients_costs_one_query(advisor, scored_portfolio):
    from dashboard.selectors import RiskOrderedRows

    filters = PortfolioFilters(sort="-risk")
    rows = RiskOrderedRows(user=advisor, filters=filters)
    with CaptureQueriesContext(connection) as queries:
        page = rows[0:5]
    assert [row["sk_id_curr"] for row in page] == [200_007, 200_006, 200_005, 200_004, 200_003]
    assert len(queries.captured_queries) == 1
    assert "INNER JOIN" in queries.captured_queries[0]["sql"]


def test_the_first_click_on_the_risk_header_sorts_the_riskiest_first(
    advisor_client, scored_portfolio
):
    body = advisor_client.get(URL).content.decode()
    header = body.split("Décision et risque")[0].rsplit("<a ", 1)[1]
    assert "sort=-risk" in header
    # Once sorted that way, the header offers the other direction.
    body = advisor_client.get(URL, {"sort": "-risk"}).content.decode()
    header = body.split("Décision et risque")[0].rsplit("<th ", 1)[1]
    assert 'aria-sort="descending"' in header and "sort=risk" in header


def test_awaiting_decision_lists_clients_without_a_final_decision(
    advisor_client, scored_portfolio, advisor
):
    for application in scored_portfolio[1:]:
        CreditDecision.objects.create(
            application=application, outcome="granted", model_decision="granted", decided_by=advisor
        )
    response = advisor_client.get(URL, {"awaiting_decision": "on"})
    assert row_ids(response) == [200_000]
    assert response.context["filters"].is_filtered


def test_awaiting_decision_combines_with_the_model_decision(
    advisor_client, scored_portfolio, advisor
):
    CreditDecision.objects.create(
        application=scored_portfolio[7], outcome="refused", model_decision="refused",
        decided_by=advisor,
    )  # fmt: skip
    response = advisor_client.get(URL, {"decision": "refused", "awaiting_decision": "on"})
    assert row_ids(response) == [200_004, 200_005, 200_006]
