"""Reads of one client's file: the record itself, within the reader's scope, and its history.

Every read starts from `Application.objects.for_user(user)`, the one scoping
rule of the project, so a view cannot forget it. Rows are fetched with
`values()` restricted to the columns a page shows: a Kaggle application has
122 columns, and a page of 25 full model instances would be mostly waste.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from accounts.models import AnyUser
from clients.models import (
    Application,
    Bureau,
    CreditCardBalance,
    InstallmentsPayment,
    PosCashBalance,
    PreviousApplication,
)


def application_get_for_user(
    *, user: AnyUser, sk_id_curr: int, fields: tuple[str, ...] = ()
) -> Application:
    """The application `sk_id_curr` if `user` may see it.

    Raises Http404 both when the record does not exist and when it exists but
    is outside the user's scope: the answer must not tell the two apart.
    `fields` restricts the columns loaded (all when empty). Whether the user
    may open a given interface at all is that interface's check (e.g.
    dashboard/access.py), made before this one.
    """
    # The advisor's name and the client's portal login (its state on the client's page) come
    # in the same query.
    queryset = Application.objects.for_user(user).select_related("advisor", "portal_user")
    if fields:
        queryset = queryset.only(
            *fields,
            "advisor__username",
            "advisor__first_name",
            "advisor__last_name",
            "portal_user__username",
            "portal_user__email",
            "portal_user__password",
        )
    try:
        return queryset.get(pk=sk_id_curr)
    except Application.DoesNotExist:
        raise Http404("No such client.") from None


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
    "created_at",  # the day the application reached us: the history's dates count from it
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
    model: type[PosCashBalance] | type[CreditCardBalance],
    application: Application,
    columns: tuple[str, ...],
    figures: Callable[[list[dict[str, Any]]], dict[str, Any]],
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
