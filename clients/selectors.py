"""Reads of the advisor dashboard: the portfolio list and a client's file.

Every read starts from `Application.objects.for_user(user)`, the one scoping
rule of the project, so a view cannot forget it. Rows are fetched with
`values()` restricted to the columns a page shows: a Kaggle application has
122 columns, and a page of 25 full model instances would be mostly waste.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.functional import cached_property

from clients import field_descriptions
from clients.field_descriptions import LANGUAGES
from clients.models import (
    Application,
    Bureau,
    CreditCardBalance,
    InstallmentsPayment,
    PosCashBalance,
    PreviousApplication,
)
from scoring.models import CreditDecision, Decision, ReviewRequest, Score
from scoring.risk_bands import RISK_BANDS_BY_KEY

# Any one of these lets a user into the dashboard (the scoping rule then
# decides which records they see); see accounts/roles.py. Advisors and
# supervisors (portfolio), risk staff (monitoring: they read client pages
# too), clients (their own record). `clients.view_all_applications` alone
# widens the scope of whoever is let in but lets no one in: integration
# accounts hold it for the API and are machines, with no business in the pages.
DASHBOARD_PERMISSIONS = (
    "clients.view_portfolio",
    "accounts.view_monitoring",
    "clients.view_own_application",
)

PORTFOLIO_PAGE_SIZE = 25

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

# What a row shows of the client's current score (see `portfolio_queryset`).
PORTFOLIO_SCORE_COLUMNS = (
    "current_score__decision",
    "current_score__probability",
    "current_score__model_version__is_active",
)

# Sort key of the query string -> ORDER BY. The client id breaks ties so that
# pages never overlap; each ordering has a matching index (see the migrations
# `clients.0002_portfolio_indexes`, `0003_portfolio_filter_indexes` and
# `scoring.0004_current_score`). Age ascending = the youngest first, i.e.
# DAYS_BIRTH (a negative number of days) descending. Risk: clients never
# scored come last either way.
PORTFOLIO_SORTS: dict[str, tuple[str, ...]] = {
    "id": ("sk_id_curr",),
    "-id": ("-sk_id_curr",),
    "income": ("amt_income_total", "sk_id_curr"),
    "-income": ("-amt_income_total", "-sk_id_curr"),
    "credit": ("amt_credit", "sk_id_curr"),
    "-credit": ("-amt_credit", "-sk_id_curr"),
    "age": ("-days_birth", "-sk_id_curr"),
    "-age": ("days_birth", "sk_id_curr"),
    # Portfolio pages sorted by risk go through `RiskOrderedRows`; these two
    # orders are what it returns, in one query (scored clients, then the rest).
    "risk": (F("current_score__probability").asc(nulls_last=True), "sk_id_curr"),
    "-risk": (F("current_score__probability").desc(nulls_last=True), "sk_id_curr"),
}
RISK_SORTS = ("risk", "-risk")
DEFAULT_SORT = "id"

# Kaggle ids have 6 digits; generated ones may be longer. A numeric search
# matches ids that start with the digits typed, up to this many digits.
_MAX_ID_DIGITS = 12

# Above this many visible clients an unfiltered list shows the planner's
# estimate of the row count instead of running COUNT(*) on every page view.
ESTIMATED_COUNT_ABOVE = 100_000


def user_has_dashboard_access(user) -> bool:
    """Whether `user` may open the dashboard at all (which records is another matter)."""
    return (
        user.is_authenticated
        and user.is_active
        and any(user.has_perm(permission) for permission in DASHBOARD_PERMISSIONS)
    )


def applications_for_user(user) -> QuerySet[Application]:
    """Every application `user` may see (the project's scoping rule)."""
    return Application.objects.for_user(user)


def application_get_for_user(*, user, sk_id_curr: int, fields: tuple[str, ...] = ()) -> Application:
    """The application `sk_id_curr` if `user` may see it.

    Raises PermissionDenied when `user` has no dashboard permission at all,
    and Http404 both when the record does not exist and when it exists but
    is outside the user's scope: the answer must not tell the two apart.
    `fields` restricts the columns loaded (all when empty).
    """
    if not user_has_dashboard_access(user):
        raise PermissionDenied
    queryset = applications_for_user(user).select_related("advisor")
    if fields:
        queryset = queryset.only(
            *fields, "advisor__username", "advisor__first_name", "advisor__last_name"
        )
    try:
        return queryset.get(pk=sk_id_curr)
    except Application.DoesNotExist:
        raise Http404("No such client.") from None


# -- Portfolio ----------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioFilters:
    """What the advisor asked for; every field optional."""

    q: str = ""
    contract_type: str = ""
    gender: str = ""
    income_type: str = ""
    decision: str = ""  # a Decision value, or NOT_SCORED
    risk_band: str = ""  # a key of scoring.risk_bands.RISK_BANDS
    pending_review: bool = False
    awaiting_decision: bool = False  # no final decision recorded by a person yet
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.contract_type
            or self.gender
            or self.income_type
            or self.decision
            or self.risk_band
            or self.pending_review
            or self.awaiting_decision
        )


# The decision filter's value for clients without a successful score.
NOT_SCORED = "not_scored"


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


def _open_review_exists() -> Exists:
    return Exists(
        ReviewRequest.objects.filter(application=OuterRef("pk"), status=ReviewRequest.Status.OPEN)
    )


def _not_scored() -> Exists:
    # NOT EXISTS rather than "the joined score IS NULL": Postgres plans it as an
    # anti-join with a sound row estimate (the IS NULL form was planned as one
    # row, then nested loops over 30,000).
    return ~Exists(Score.objects.filter(application=OuterRef("pk"), is_current=True))


def portfolio_matches(
    *, user, filters: PortfolioFilters, scored: bool | None = None
) -> QuerySet[Application]:
    """The applications of the portfolio that match `filters` (no ordering, no columns).

    `current_score` is the client's current score (scoring.Score.is_current,
    at most one per client): a join that Django adds only when a filter, a
    sort or a column uses it, so a plain list or count does not pay for it.
    Every condition on it goes into one `filter()` call: Django joins a
    multi-valued relation again for each call. `scored` keeps only the
    clients with (True) or without (False) a current score.
    """
    queryset = applications_for_user(user).annotate(
        current_score=FilteredRelation("scores", condition=Q(scores__is_current=True))
    )
    q = filters.q.strip()
    if q:
        queryset = queryset.filter(_id_prefix_query(q) if q.isdigit() else _text_query(q))
    if filters.contract_type:
        queryset = queryset.filter(name_contract_type=filters.contract_type)
    if filters.gender:
        queryset = queryset.filter(code_gender=filters.gender)
    if filters.income_type:
        queryset = queryset.filter(name_income_type=filters.income_type)
    on_score = Q()
    if filters.decision in Decision.values:
        on_score &= Q(current_score__decision=filters.decision)
    band = RISK_BANDS_BY_KEY.get(filters.risk_band)
    if band is not None:
        on_score &= Q(current_score__probability__gte=band.lower)
        if band.upper is not None:
            on_score &= Q(current_score__probability__lt=band.upper)
    if scored:
        on_score &= Q(current_score__id__isnull=False)
    if on_score:
        queryset = queryset.filter(on_score)
    if filters.decision == NOT_SCORED or scored is False:
        queryset = queryset.filter(_not_scored())
    if filters.pending_review:
        queryset = queryset.filter(_open_review_exists())
    if filters.awaiting_decision:
        queryset = queryset.filter(
            ~Exists(CreditDecision.objects.filter(application=OuterRef("pk")))
        )
    return queryset


def portfolio_queryset(*, user, filters: PortfolioFilters, scored: bool | None = None) -> QuerySet:
    """The portfolio rows as dicts: PORTFOLIO_COLUMNS, the current score and the review state.

    Supervisors also get the advisor. The latest final decision and the open
    review are subqueries in the SELECT list: Postgres runs them for the 25
    rows of the page only, after the LIMIT. `scored` as in `portfolio_matches`.
    """
    columns = [*PORTFOLIO_COLUMNS, *PORTFOLIO_SCORE_COLUMNS]
    if user.has_perm("clients.view_all_applications"):
        columns.append("advisor__username")
    latest_decision = CreditDecision.objects.filter(application=OuterRef("pk")).order_by(
        "-created_at"
    )
    ordering = PORTFOLIO_SORTS.get(filters.sort, PORTFOLIO_SORTS[DEFAULT_SORT])
    return (
        portfolio_matches(user=user, filters=filters, scored=scored)
        .annotate(
            has_open_review=_open_review_exists(),
            final_outcome=Subquery(latest_decision.values("outcome")[:1]),
            final_is_override=Subquery(latest_decision.values("is_override")[:1]),
        )
        .order_by(*ordering)
        .values(*columns, "has_open_review", "final_outcome", "final_is_override")
    )


class RiskOrderedRows:
    """The rows of a portfolio sorted by risk, as a sliceable list for the Paginator.

    Clients are ordered by the probability of their current score, those
    never scored last (by id). In one query that is a LEFT JOIN sorted on a
    column of the joined table: Postgres must join and sort every client
    (300 ms for 300,000, more for a deep page). Here the scored clients come
    from an inner join read in the order of the index `score_current_risk`
    (a page costs its offset plus 25 index entries) and the unscored ones
    from an anti-join by id. A page that lies wholly among the scored clients
    costs one query; the one that crosses into the unscored ones two; a page
    past them a count of the scored clients as well.
    """

    def __init__(self, *, user, filters: PortfolioFilters) -> None:
        descending = filters.sort == "-risk"
        probability = "-current_score__probability" if descending else "current_score__probability"
        # Ascending, the index is read backwards and ties (equal probabilities)
        # are put in id order by an incremental sort of the few rows concerned.
        self._scored = portfolio_queryset(user=user, filters=filters, scored=True).order_by(
            probability, "sk_id_curr"
        )
        # A filter on the decision or the risk band keeps scored clients only.
        only_scored = filters.decision in Decision.values or filters.risk_band in RISK_BANDS_BY_KEY
        self._unscored = (
            None
            if only_scored
            else portfolio_queryset(user=user, filters=filters, scored=False).order_by("sk_id_curr")
        )
        self._all = portfolio_matches(user=user, filters=filters)

    def count(self) -> int:
        return self._all.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("RiskOrderedRows supports plain slices only")
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return []
        rows = list(self._scored[start:stop])
        if len(rows) == stop - start or self._unscored is None:
            return rows
        # The scored clients end on this page (or before it).
        scored_count = start + len(rows) if rows else self._scored.count()
        offset = max(start - scored_count, 0)
        return rows + list(self._unscored[offset : offset + (stop - start) - len(rows)])


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
        self, *args, count_queryset: QuerySet | None = None, estimate: bool = False, **kwargs
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


@dataclass
class PortfolioPage:
    page: Page
    paginator: PortfolioPaginator
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count_is_estimate(self) -> bool:
        return self.paginator.count_is_estimate


def portfolio_page(
    *, user, filters: PortfolioFilters, page_number: str | int | None
) -> PortfolioPage:
    """One page of the portfolio of `user` (every client for supervisors)."""
    sees_everything = user.has_perm("clients.view_all_applications")
    rows = (
        RiskOrderedRows(user=user, filters=filters)
        if filters.sort in RISK_SORTS
        else portfolio_queryset(user=user, filters=filters)
    )
    paginator = PortfolioPaginator(
        rows,
        PORTFOLIO_PAGE_SIZE,
        count_queryset=portfolio_matches(user=user, filters=filters),
        estimate=sees_everything and not filters.is_filtered,
    )
    page = paginator.get_page(page_number)
    return PortfolioPage(page=page, paginator=paginator, rows=list(page.object_list))


# -- A client's file ------------------------------------------------------------

# Application columns shown on the client page.
CLIENT_FACT_COLUMNS = (
    "sk_id_curr",
    "name_contract_type",
    "code_gender",
    "days_birth",
    "cnt_children",
    "cnt_fam_members",
    "name_family_status",
    "name_housing_type",
    "name_education_type",
    "name_income_type",
    "occupation_type",
    "organization_type",
    "days_employed",
    "amt_income_total",
    "amt_credit",
    "amt_annuity",
    "amt_goods_price",
    "flag_own_car",
    "flag_own_realty",
    "ext_source_1",
    "ext_source_2",
    "ext_source_3",
    "advisor",
    "portal_user",
)

# History tables are shown in full up to this many rows; beyond, the most recent.
HISTORY_ROWS_SHOWN = 100
LATE_INSTALMENTS_SHOWN = 50


@dataclass
class Rows:
    """Up to `shown` rows of a history table and whether more exist."""

    rows: list[dict[str, Any]]
    truncated: bool

    @classmethod
    def first(cls, queryset: QuerySet, limit: int) -> Rows:
        # One row more than shown tells whether the list was cut, without a COUNT.
        rows = list(queryset[: limit + 1])
        return cls(rows=rows[:limit], truncated=len(rows) > limit)


def client_bureau_credits(*, application: Application) -> Rows:
    """Credits reported by the credit bureau, the most recently opened first."""
    queryset = (
        Bureau.objects.filter(application=application)
        .order_by(F("days_credit").desc(nulls_last=True), "sk_id_bureau")
        .values(
            "sk_id_bureau",
            "credit_active",
            "credit_type",
            "days_credit",
            "days_credit_enddate",
            "amt_credit_sum",
            "amt_credit_sum_debt",
            "amt_credit_sum_overdue",
            "credit_day_overdue",
            "cnt_credit_prolong",
        )
    )
    return Rows.first(queryset, HISTORY_ROWS_SHOWN)


def client_previous_applications(*, application: Application) -> Rows:
    """Earlier Home Credit applications, the most recently decided first."""
    queryset = (
        PreviousApplication.objects.filter(application=application)
        .order_by(F("days_decision").desc(nulls_last=True), "sk_id_prev")
        .values(
            "sk_id_prev",
            "name_contract_type",
            "name_contract_status",
            "days_decision",
            "amt_application",
            "amt_credit",
            "amt_annuity",
            "cnt_payment",
            "code_reject_reason",
        )
    )
    return Rows.first(queryset, HISTORY_ROWS_SHOWN)


@dataclass
class InstalmentHistory:
    total: int
    late_count: int
    late: Rows


# Paid after the due day: Kaggle counts days back from the application, so a
# later payment has a larger (less negative) DAYS_ENTRY_PAYMENT.
_PAID_LATE = Q(days_entry_payment__gt=F("days_instalment"))


def client_instalments(*, application: Application) -> InstalmentHistory:
    """How many instalments were paid, how many late, and the latest late ones."""
    payments = InstallmentsPayment.objects.filter(application=application)
    counts = payments.aggregate(total=Count("id"), late=Count("id", filter=_PAID_LATE))
    late = (
        payments.filter(_PAID_LATE)
        .annotate(days_late=F("days_entry_payment") - F("days_instalment"))
        .order_by("-days_instalment", "sk_id_prev", "num_instalment_number")
        .values(
            "sk_id_prev",
            "num_instalment_number",
            "days_instalment",
            "days_entry_payment",
            "days_late",
            "amt_instalment",
            "amt_payment",
        )
    )
    return InstalmentHistory(
        total=counts["total"],
        late_count=counts["late"],
        late=Rows.first(late, LATE_INSTALMENTS_SHOWN),
    )


def _latest(rows: list[dict[str, Any]], key: str) -> Any:
    """The value of `key` in the most recent month (the rows are ordered oldest first)."""
    for row in reversed(rows):
        if row[key] is not None:
            return row[key]
    return None


def _max(rows: list[dict[str, Any]], key: str) -> Any:
    values = [row[key] for row in rows if row[key] is not None]
    return max(values) if values else None


def _monthly_summary(
    model, application: Application, columns: tuple[str, ...], figures
) -> list[dict[str, Any]]:
    """One line per earlier loan of a monthly balance table, the most recent first.

    A client has at most a few hundred monthly rows: they are read once,
    grouped by loan (SK_ID_PREV) and summarised here by `figures(rows)`,
    rather than with one grouped query per figure.
    """
    monthly = model.objects.filter(application=application).order_by("sk_id_prev", "months_balance")
    by_loan: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for row in monthly.values("sk_id_prev", "months_balance", *columns):
        by_loan[row["sk_id_prev"]].append(row)
    summary = [
        {
            "sk_id_prev": loan,
            "months": len(rows),
            "last_month": _latest(rows, "months_balance"),
            "status": _latest(rows, "name_contract_status"),
            "max_dpd": _max(rows, "sk_dpd"),
            **figures(rows),
        }
        for loan, rows in by_loan.items()
    ]
    return sorted(
        summary, key=lambda line: (-(line["last_month"] or -(10**9)), line["sk_id_prev"] or 0)
    )


def client_pos_cash_summary(*, application: Application) -> list[dict[str, Any]]:
    """One line per earlier POS or cash loan: months seen, latest status, worst delay."""
    return _monthly_summary(
        PosCashBalance,
        application,
        ("cnt_instalment", "cnt_instalment_future", "name_contract_status", "sk_dpd"),
        lambda rows: {
            "cnt_instalment": _latest(rows, "cnt_instalment"),
            "cnt_instalment_future": _latest(rows, "cnt_instalment_future"),
        },
    )


def client_credit_card_summary(*, application: Application) -> list[dict[str, Any]]:
    """One line per earlier credit card: months seen, latest balance and limit, worst delay."""
    return _monthly_summary(
        CreditCardBalance,
        application,
        ("amt_balance", "amt_credit_limit_actual", "name_contract_status", "sk_dpd"),
        lambda rows: {
            "amt_balance": _latest(rows, "amt_balance"),
            "amt_credit_limit_actual": _latest(rows, "amt_credit_limit_actual"),
            "max_balance": _max(rows, "amt_balance"),
        },
    )


@dataclass
class ClientFile:
    """Everything the client page shows that does not need a score."""

    application: Application
    bureau: Rows
    previous: Rows
    instalments: InstalmentHistory
    pos_cash: list[dict[str, Any]]
    credit_cards: list[dict[str, Any]]


def client_file_get(*, application: Application) -> ClientFile:
    """The client page's data for an application already checked by `application_get_for_user`."""
    return ClientFile(
        application=application,
        bureau=client_bureau_credits(application=application),
        previous=client_previous_applications(application=application),
        instalments=client_instalments(application=application),
        pos_cash=client_pos_cash_summary(application=application),
        credit_cards=client_credit_card_summary(application=application),
    )
