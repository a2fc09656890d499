"""Features of the client's repayment history on previous Home Credit loans (installments_payments).

Each row is one payment towards one instalment (an instalment paid in two
goes gives two rows; as in the well-known public kernels the figures are
taken per row).

What it computes, and why:

* Per payment: days past due, DAYS_ENTRY_PAYMENT - DAYS_INSTALMENT clipped at
  0, and days paid before the due date (the other side, clipped at 0); paid /
  due (`PAYMENT_RATIO`) and due - paid (`PAYMENT_DIFF`); flags late (any day
  past due), late by more than 30 days, underpaid (paid less than due by more
  than a cent), unpaid (no payment date).
* Per client over all payments: counts, number of loans, highest / average /
  total / spread of days past due, days early, the late and underpaid counts
  and shares, paid/due ratio, shortfall amounts, instalment and payment
  amounts, dates of the most recent payment and instalments.
* The same over recent windows, computed vectorised: instalments due in the
  last 365 days (`INST_365_*`, DAYS_INSTALMENT >= -365) and the last 3
  instalments of each loan (`INST_LAST3_*`: rows ranked per loan by due date
  through one lexsort). How someone pays now says more than how they paid
  five years ago.

A client without installments rows gets NaN everywhere, counts included.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ml import schema
from ml.features.aggregate import (
    Block,
    Catalog,
    Clients,
    Input,
    Rows,
    Scope,
    aggregate,
    all_missing,
    assemble,
    by_loan,
    declare,
    flag,
    ratio,
)

T = schema.INSTALLMENTS_PAYMENTS.name
PREFIX = "INST_"
RECENT_DAYS = 365
LAST_PER_LOAN = 3
UNDERPAID_TOLERANCE = 0.01  # amounts are in currency units: ignore rounding below a cent


def _t(*columns: str) -> tuple[str, ...]:
    return tuple(f"{T}.{column}" for column in columns)


_DATES = _t("DAYS_ENTRY_PAYMENT", "DAYS_INSTALMENT")
_AMOUNTS = _t("AMT_PAYMENT", "AMT_INSTALMENT")
INPUTS: dict[str, Input] = {
    "DPD": Input("days past due (payment date - due date, at least 0)", _DATES),
    "DBD": Input("days paid before the due date (at least 0)", _DATES),
    "PAYMENT_RATIO": Input("amount paid / amount due", _AMOUNTS),
    "PAYMENT_DIFF": Input("amount due - amount paid", _AMOUNTS),
    "AMT_INSTALMENT": Input("amount due", _t("AMT_INSTALMENT")),
    "AMT_PAYMENT": Input("amount paid", _t("AMT_PAYMENT")),
    "DAYS_ENTRY_PAYMENT": Input(
        "payment date (days before the application, negative)", _t("DAYS_ENTRY_PAYMENT")
    ),
    "DAYS_INSTALMENT": Input(
        "due date (days before the application, negative)", _t("DAYS_INSTALMENT")
    ),
    "LATE": Input("paid late", _DATES, is_flag=True),
    "LATE_30": Input("paid more than 30 days late", _DATES, is_flag=True),
    "UNDERPAID": Input("paid short of the amount due", _AMOUNTS, is_flag=True),
    "UNPAID": Input("without a payment date", _DATES, is_flag=True),
}
SCOPES: tuple[Scope, ...] = (
    Scope(
        prefix=PREFIX,
        rows="the client's instalment payments",
        aggregates={
            "DPD": ("max", "mean", "sum", "std"),
            "DBD": ("max", "mean", "sum"),
            "LATE": ("sum", "mean"),
            "LATE_30": ("sum", "mean"),
            "UNDERPAID": ("sum", "mean"),
            "UNPAID": ("sum",),
            "PAYMENT_RATIO": ("min", "max", "mean"),
            "PAYMENT_DIFF": ("max", "mean", "sum"),
            "AMT_INSTALMENT": ("max", "mean", "sum"),
            "AMT_PAYMENT": ("min", "max", "mean", "sum"),
            "DAYS_ENTRY_PAYMENT": ("max", "mean"),
            "DAYS_INSTALMENT": ("min", "max"),
        },
    ),
    Scope(
        prefix=f"{PREFIX}{RECENT_DAYS}_",
        rows=f"the client's instalment payments due in the last {RECENT_DAYS} days",
        condition=_t("DAYS_INSTALMENT"),
        aggregates={
            "DPD": ("max", "mean"),
            "DBD": ("mean",),
            "LATE": ("sum", "mean"),
            "UNDERPAID": ("mean",),
            "PAYMENT_RATIO": ("mean",),
            "PAYMENT_DIFF": ("mean", "sum"),
        },
    ),
    Scope(
        prefix=f"{PREFIX}LAST{LAST_PER_LOAN}_",
        rows=f"the last {LAST_PER_LOAN} instalment payments of each of the client's loans",
        condition=_t("SK_ID_PREV", "DAYS_INSTALMENT"),
        aggregates={
            "DPD": ("max", "mean"),
            "LATE": ("mean",),
            "UNDERPAID": ("mean",),
            "PAYMENT_RATIO": ("mean",),
            "PAYMENT_DIFF": ("mean",),
        },
    ),
)

CATALOG = Catalog()
CATALOG.add(f"{PREFIX}COUNT", "Number of instalment payments on previous loans", _DATES)
CATALOG.add(f"{PREFIX}LOANS_COUNT", "Number of previous loans with instalments", _t("SK_ID_PREV"))
CATALOG.add(
    f"{PREFIX}{RECENT_DAYS}_COUNT",
    f"Number of instalment payments due in the last {RECENT_DAYS} days",
    _t("DAYS_INSTALMENT"),
)
for _scope in SCOPES:
    declare(CATALOG, _scope, INPUTS)

COLUMNS: tuple[str, ...] = CATALOG.names
FEATURE_SOURCES: dict[str, list[str]] = CATALOG.sources
FEATURE_DESCRIPTIONS: dict[str, str] = CATALOG.descriptions


def features(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per application row, indexed by SK_ID_CURR, columns `COLUMNS`."""
    return compute(tables).frame()


def compute(tables: Mapping[str, pd.DataFrame], clients: Clients | None = None) -> Block:
    """The features as a `Block` (what `build_features` stacks)."""
    clients, rows = Rows.of_clients(tables, T, clients)
    if rows is None:
        return all_missing(CATALOG, clients)
    groups = rows.groups

    values = {
        name: rows.numeric(name)
        for name in ("AMT_INSTALMENT", "AMT_PAYMENT", "DAYS_ENTRY_PAYMENT", "DAYS_INSTALMENT")
    }
    due_day, paid_day = values["DAYS_INSTALMENT"], values["DAYS_ENTRY_PAYMENT"]
    delay = paid_day - due_day  # NaN when either date is unknown
    delay_known = ~np.isnan(delay)
    values["DPD"] = np.clip(delay, 0, None)
    values["DBD"] = np.clip(-delay, 0, None)
    values["LATE"] = flag(delay > 0, delay_known)
    values["LATE_30"] = flag(delay > 30, delay_known)
    values["UNPAID"] = flag(np.isnan(paid_day), ~np.isnan(due_day))
    due, paid = values["AMT_INSTALMENT"], values["AMT_PAYMENT"]
    values["PAYMENT_RATIO"] = ratio(paid, due)
    shortfall = due - paid
    values["PAYMENT_DIFF"] = shortfall
    values["UNDERPAID"] = flag(shortfall > UNDERPAID_TOLERANCE, ~np.isnan(shortfall))

    recent = due_day >= -RECENT_DAYS
    loan_groups, client_of_loan = by_loan(rows)
    last_of_loan = loan_groups.rank_from_last(by=due_day) < LAST_PER_LOAN

    data: dict[str, np.ndarray] = {
        f"{PREFIX}COUNT": groups.count(),
        f"{PREFIX}LOANS_COUNT": client_of_loan.count(),
        f"{PREFIX}{RECENT_DAYS}_COUNT": groups.within(recent).count(),
    }
    all_rows, recent_scope, last_scope = SCOPES
    data.update(aggregate(groups, all_rows, INPUTS, values))
    data.update(aggregate(groups.within(recent), recent_scope, INPUTS, values))
    data.update(aggregate(groups.within(last_of_loan), last_scope, INPUTS, values))
    return assemble(CATALOG, data, clients)
