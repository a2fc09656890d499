"""The advisor's portfolio: their clients with what the model and the advisors decided.

It lives here, in the advisor's interface, because it reads both the client
records and the scoring tables (the client's current score, open review
requests, final decisions), and `clients` may not import `scoring`: the
search and the filters on the client's own data stay in
`clients.selectors.portfolio`, which this module builds on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable, NegatedExpression

from accounts.models import AnyUser
from clients.models import Application
from clients.selectors.portfolio import (
    CLIENT_SORTS,
    PORTFOLIO_COLUMNS,
    PortfolioPaginator,
    applications_filter,
)
from scoring.models import CreditDecision, Decision, ReviewRequest, Score
from scoring.risk_bands import RISK_BANDS_BY_KEY

PORTFOLIO_PAGE_SIZE = 25

# What a row shows of the client's current score (see `portfolio_queryset`).
PORTFOLIO_SCORE_COLUMNS = (
    "current_score__decision",
    "current_score__probability",
    "current_score__model_version__is_active",
)

# Sort key of the query string -> ORDER BY: the client's columns
# (clients.selectors.portfolio.CLIENT_SORTS), and the risk of their current
# score (index `score_current_risk` of `scoring.0004_current_score`), clients
# never scored last either way.
PORTFOLIO_SORTS: dict[str, tuple[Any, ...]] = {
    **CLIENT_SORTS,
    # Portfolio pages sorted by risk go through `RiskOrderedRows`; these two
    # orders are what it returns, in one query (scored clients, then the rest).
    "risk": (F("current_score__probability").asc(nulls_last=True), "sk_id_curr"),
    "-risk": (F("current_score__probability").desc(nulls_last=True), "sk_id_curr"),
}
RISK_SORTS = ("risk", "-risk")
DEFAULT_SORT = "id"


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


def _open_review_exists() -> Exists:
    return Exists(
        ReviewRequest.objects.filter(
            application=OuterRef("pk"), status__in=ReviewRequest.OPEN_STATUSES
        )
    )


def _not_scored() -> NegatedExpression[Combinable]:
    # NOT EXISTS rather than "the joined score IS NULL": Postgres plans it as an
    # anti-join with a sound row estimate (the IS NULL form was planned as one
    # row, then nested loops over 30,000).
    return ~Exists(Score.objects.filter(application=OuterRef("pk"), is_current=True))


def portfolio_matches(
    *, user: AnyUser, filters: PortfolioFilters, scored: bool | None = None
) -> QuerySet[Application]:
    """The applications of the portfolio that match `filters` (no ordering, no columns).

    `current_score` is the client's current score (scoring.Score.is_current,
    at most one per client): a join that Django adds only when a filter, a
    sort or a column uses it, so a plain list or count does not pay for it.
    Every condition on it goes into one `filter()` call: Django joins a
    multi-valued relation again for each call. `scored` keeps only the
    clients with (True) or without (False) a current score.
    """
    queryset = Application.objects.for_user(user).annotate(
        current_score=FilteredRelation("scores", condition=Q(scores__is_current=True))
    )
    queryset = applications_filter(
        queryset,
        q=filters.q,
        contract_type=filters.contract_type,
        gender=filters.gender,
        income_type=filters.income_type,
    )
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


def portfolio_queryset(
    *, user: AnyUser, filters: PortfolioFilters, scored: bool | None = None
) -> QuerySet:
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

    def __init__(self, *, user: AnyUser, filters: PortfolioFilters) -> None:
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


@dataclass
class PortfolioPage:
    page: Page
    paginator: PortfolioPaginator
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count_is_estimate(self) -> bool:
        return self.paginator.count_is_estimate


def portfolio_page(
    *, user: AnyUser, filters: PortfolioFilters, page_number: str | int | None
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
