"""The portfolio page: search, filters, sort, pagination, htmx updates and query counts."""

from __future__ import annotations

import pytest

from clients.models import Application
from dashboard.selectors import PORTFOLIO_PAGE_SIZE, PortfolioFilters, portfolio_queryset
from tests.dashboard.builders import build_portfolio, row_ids

pytestmark = pytest.mark.django_db

URL = "/clients/"


def mine(advisor, **filters) -> list[int]:
    """The expected ids, computed straight from the database."""
    return list(
        Application.objects.filter(advisor=advisor, **filters)
        .order_by("sk_id_curr")
        .values_list("sk_id_curr", flat=True)
    )


def test_first_page_holds_25_clients_in_id_order(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL)
    assert row_ids(response) == mine(advisor)[:PORTFOLIO_PAGE_SIZE]
    assert response.context["page_obj"].paginator.count == 60


def test_third_page_holds_the_last_10(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"page": 3})
    assert row_ids(response) == mine(advisor)[50:]


def test_page_beyond_the_last_shows_the_last_page(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"page": 99})
    assert row_ids(response) == mine(advisor)[50:]


def test_page_that_is_not_a_number_shows_the_first_page(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"page": "abc"})
    assert row_ids(response) == mine(advisor)[:PORTFOLIO_PAGE_SIZE]


def test_search_by_exact_client_id(advisor_client, many_clients):
    response = advisor_client.get(URL, {"q": "200042"})
    assert row_ids(response) == [200_042]


def test_search_by_id_prefix_finds_every_id_starting_with_it(advisor_client, many_clients):
    response = advisor_client.get(URL, {"q": "20001"})
    assert row_ids(response) == list(range(200_010, 200_020))


def test_search_by_id_never_shows_another_advisors_client(advisor_client, many_clients):
    response = advisor_client.get(URL, {"q": "300001"})
    assert row_ids(response) == []
    assert 'data-testid="no-results"' in response.content.decode()


def test_search_by_organisation_type(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"q": "school"})
    assert row_ids(response) == mine(advisor, organization_type="School")


def test_search_by_a_french_label_without_its_accents(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"q": "ecole"})
    assert row_ids(response) == mine(advisor, organization_type="School")


def test_search_by_a_word_that_matches_no_known_value_finds_nobody(advisor_client, many_clients):
    response = advisor_client.get(URL, {"q": "zzz"})
    assert row_ids(response) == []


def test_text_search_sends_known_values_not_a_pattern(advisor):
    filters = PortfolioFilters(q="retraité")
    sql = str(portfolio_queryset(user=advisor, filters=filters).query)
    assert "LIKE" not in sql.upper()
    assert "Pensioner" in sql


def test_search_by_the_french_label_of_an_income_type(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"q": "retraité"})
    assert row_ids(response) == mine(advisor, name_income_type="Pensioner")[:PORTFOLIO_PAGE_SIZE]
    assert response.context["page_obj"].paginator.count == len(
        mine(advisor, name_income_type="Pensioner")
    )


@pytest.mark.parametrize(
    ("param", "value", "field"),
    [
        ("contract_type", "Revolving loans", "name_contract_type"),
        ("gender", "F", "code_gender"),
        ("income_type", "State servant", "name_income_type"),
    ],
)
def test_each_filter_keeps_only_matching_clients(
    advisor_client, advisor, many_clients, param, value, field
):
    response = advisor_client.get(URL, {param: value})
    expected = mine(advisor, **{field: value})
    assert response.context["page_obj"].paginator.count == len(expected)
    assert row_ids(response) == expected[:PORTFOLIO_PAGE_SIZE]


def test_filters_combine(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"gender": "M", "contract_type": "Revolving loans"})
    assert row_ids(response) == mine(advisor, code_gender="M", name_contract_type="Revolving loans")


def test_an_unknown_filter_value_is_ignored(advisor_client, advisor, many_clients):
    response = advisor_client.get(URL, {"gender": "Z", "sort": "nonsense"})
    assert response.status_code == 200
    assert row_ids(response) == mine(advisor)[:PORTFOLIO_PAGE_SIZE]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("-id", "sk_id_curr", True),
        ("income", "amt_income_total", False),
        ("-income", "amt_income_total", True),
        ("credit", "amt_credit", False),
        ("-credit", "amt_credit", True),
        ("age", "days_birth", True),  # youngest first: DAYS_BIRTH closest to zero
        ("-age", "days_birth", False),
    ],
)
def test_sorting(advisor_client, advisor, many_clients, sort, key, reverse):
    response = advisor_client.get(URL, {"sort": sort})
    rows = Application.objects.filter(advisor=advisor).values("sk_id_curr", key)
    expected = [r["sk_id_curr"] for r in sorted(rows, key=lambda r: r[key], reverse=reverse)]
    assert row_ids(response) == expected[:PORTFOLIO_PAGE_SIZE]


def test_sort_header_reverses_the_current_order_and_says_so(advisor_client, many_clients):
    body = advisor_client.get(URL, {"sort": "income", "gender": "F"}).content.decode()
    assert 'aria-sort="ascending"' in body
    # The income header now links to the reverse order, keeping the filter and dropping the page.
    assert (
        'href="?sort=-income&amp;gender=F"' in body or 'href="?gender=F&amp;sort=-income"' in body
    )


def test_pagination_links_keep_the_search(advisor_client, many_clients):
    body = advisor_client.get(URL, {"q": "2000", "page": 2}).content.decode()
    assert "q=2000&amp;page=3" in body
    assert 'aria-current="page"' in body


def test_htmx_request_gets_only_the_results(advisor_client, many_clients):
    response = advisor_client.get(URL, {"q": "200042"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-testid="portfolio-table"' in body
    # The form's hidden sort field follows the list (out-of-band swap).
    assert 'hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(advisor_client, many_clients):
    response = advisor_client.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_supervisor_unfiltered_count_is_exact_on_a_small_table(client, supervisor, many_clients):
    client.force_login(supervisor)
    response = client.get(URL)
    assert response.context["page_obj"].paginator.count == 70
    assert response.context["result"].count_is_estimate is False


def test_supervisor_unfiltered_count_is_an_estimate_on_a_large_table(
    client, supervisor, many_clients, monkeypatch
):
    monkeypatch.setattr("clients.selectors.portfolio._estimated_application_count", lambda: 300_123)
    client.force_login(supervisor)
    response = client.get(URL)
    assert response.context["page_obj"].paginator.count == 300_123
    assert response.context["result"].count_is_estimate is True
    # No "last page" link to a page the estimate may have invented.
    assert "page=12005" not in response.content.decode()


def test_supervisor_filtered_count_stays_exact_on_a_large_table(
    client, supervisor, many_clients, monkeypatch
):
    monkeypatch.setattr("clients.selectors.portfolio._estimated_application_count", lambda: 300_123)
    client.force_login(supervisor)
    response = client.get(URL, {"gender": "F"})
    assert (
        response.context["page_obj"].paginator.count
        == Application.objects.filter(code_gender="F").count()
    )


def test_id_search_uses_ranges_not_a_text_cast(advisor):
    sql = str(portfolio_queryset(user=advisor, filters=PortfolioFilters(q="1234")).query)
    assert "::text" not in sql and "LIKE" not in sql.upper()
    assert '"application"."sk_id_curr" >= 12340' in sql


@pytest.mark.parametrize("role_fixture", ["advisor", "supervisor"])
def test_portfolio_query_count_does_not_grow_with_the_clients(
    client, request, role_fixture, django_assert_max_num_queries
):
    user = request.getfixturevalue(role_fixture)
    advisor = request.getfixturevalue("advisor")
    build_portfolio(advisor, count=200)
    client.force_login(user)
    # session, user, permissions (2), count, page, the navbar's open reviews:
    # no query per row (the score, decision and review columns are joins and
    # subqueries of the page's query); the manual-review switch (its banner and column).
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"sort": "-income"})
    assert len(response.context["rows"]) == PORTFOLIO_PAGE_SIZE


def test_count_reads_no_join_so_a_filter_count_can_use_an_index(client, supervisor, many_clients):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"income_type": "Pensioner"})
    (count_sql,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "application"')
    ]
    assert "JOIN" not in count_sql.upper()
