"""Searching and paging client records: what a list of clients reads of their own data.

The advisor's portfolio (dashboard/selectors.py) adds what it knows of their
scores and decisions; the search, the filters on the client's data, the
orderings on its columns and the cheap count are here, for any list of
client records.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from clients import field_descriptions
from clients.field_descriptions import LANGUAGES
from clients.models import Application

# The columns of a portfolio row.
PORTFOLIO_COLUMNS = (
    "sk_id_curr",
    "name_contract_type",
    "code_gender",
    "name_income_type",
    "amt_income_total",
    "amt_credit",
    "days_birth",
)

# Sort key of the query string -> ORDER BY on the client's own columns. The
# client id breaks ties so that pages never overlap; each ordering has a
# matching index (see the migrations `clients.0002_portfolio_indexes` and
# `0003_portfolio_filter_indexes`). Age ascending = the youngest first, i.e.
# DAYS_BIRTH (a negative number of days) descending.
CLIENT_SORTS: dict[str, tuple[str, ...]] = {
    "id": ("sk_id_curr",),
    "-id": ("-sk_id_curr",),
    "income": ("amt_income_total", "sk_id_curr"),
    "-income": ("-amt_income_total", "-sk_id_curr"),
    "credit": ("amt_credit", "sk_id_curr"),
    "-credit": ("-amt_credit", "-sk_id_curr"),
    "age": ("-days_birth", "-sk_id_curr"),
    "-age": ("days_birth", "sk_id_curr"),
}

# Kaggle ids have 6 digits; generated ones may be longer. A numeric search
# matches ids that start with the digits typed, up to this many digits.
_MAX_ID_DIGITS = 12

# Above this many visible clients an unfiltered list shows the planner's
# estimate of the row count instead of running COUNT(*) on every page view.
ESTIMATED_COUNT_ABOVE = 100_000


def applications_filter(
    queryset: QuerySet[Application],
    *,
    q: str = "",
    contract_type: str = "",
    gender: str = "",
    income_type: str = "",
) -> QuerySet[Application]:
    """`queryset` restricted to the clients matching a search and the filters on their data.

    `q`: digits search the client id (those ids or ids starting with them),
    words the income type, employer type and occupation (see `_text_query`).
    """
    q = q.strip()
    if q:
        queryset = queryset.filter(_id_prefix_query(q) if q.isdigit() else _text_query(q))
    if contract_type:
        queryset = queryset.filter(name_contract_type=contract_type)
    if gender:
        queryset = queryset.filter(code_gender=gender)
    if income_type:
        queryset = queryset.filter(name_income_type=income_type)
    return queryset


def _id_prefix_query(digits: str) -> Q:
    """Ids equal to `digits` or starting with them, as index-friendly ranges.

    "1234" -> 1234, or 12340..12349, or 123400..123499, ... A LIKE on the id
    cast to text would scan the whole table.
    """
    query = Q(sk_id_curr=int(digits))
    if digits.startswith("0"):
        return query
    low = int(digits)
    for extra in range(1, _MAX_ID_DIGITS - len(digits) + 1):
        scale = 10**extra
        query |= Q(sk_id_curr__gte=low * scale, sk_id_curr__lt=(low + 1) * scale)
    return query


# Kaggle has no names: a word searches these categorical columns.
TEXT_SEARCH_COLUMNS = ("NAME_INCOME_TYPE", "ORGANIZATION_TYPE", "OCCUPATION_TYPE")


def _fold(text: str) -> str:
    """Lower case without accents, so that "ecole" finds "École"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _text_query(text: str) -> Q:
    """Clients whose income type, employer type or occupation matches `text`.

    The words are matched here, against the known Kaggle values and their
    labels in every language (clients/column_wording.py), and the
    database gets `column IN (...)`: an ILIKE over three text columns would
    read and compare every row of the table (300k for a supervisor).
    """
    needle = _fold(text)
    query = Q(pk__in=[])
    for column in TEXT_SEARCH_COLUMNS:
        matching = [
            value
            for value in field_descriptions.known_values(column)
            if any(
                needle in _fold(candidate)
                for candidate in (
                    value,
                    *(field_descriptions.value_label(column, value, lang) for lang in LANGUAGES),
                )
            )
        ]
        if matching:
            query |= Q(**{f"{column.lower()}__in": matching})
    return query


def _estimated_application_count() -> int:
    """The planner's estimate of the rows of `application` (pg_class.reltuples)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [Application._meta.db_table],
        )
        row = cursor.fetchone()
    return max(int(row[0]) if row else 0, 0)


class PortfolioPaginator(Paginator):
    """A Paginator that counts cheaply.

    `count_queryset` is counted instead of the rows: the same matches without
    the advisor's join and the ordering, so that counting one filter value is
    an index-only scan. With `estimate=True` (an unfiltered list of every
    client) the count comes from the planner's statistics when they say the
    table is large: an exact COUNT(*) over hundreds of thousands of rows on
    every page view costs more than the page itself. `count_is_estimate`
    tells the template to say "about".
    """

    def __init__(
        self,
        *args: Any,
        count_queryset: QuerySet | None = None,
        estimate: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._count_queryset = count_queryset
        self._estimate = estimate
        self.count_is_estimate = False

    @cached_property
    def count(self) -> int:
        if self._estimate:
            estimated = _estimated_application_count()
            if estimated > ESTIMATED_COUNT_ABOVE:
                self.count_is_estimate = True
                return estimated
        if self._count_queryset is not None:
            return self._count_queryset.count()
        return super().count
