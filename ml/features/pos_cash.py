"""Features of the monthly snapshots of the client's previous POS and cash loans (POS_CASH_balance).

What it computes, and why:

* Per client, over all monthly snapshots: how many months and how many
  distinct loans are reported, how far back the history goes
  (`POS_MONTHS_BALANCE_MIN`), days past due (`SK_DPD`) and days past due
  with tolerance (`SK_DPD_DEF`, small debts ignored): highest and average,
  and the share / number of months with any delay. Delays on one's own
  previous Home Credit loans are among the best history predictors.
* The same delay figures over the last 12 months only (`POS_RECENT_*`):
  recent behaviour weighs more than old behaviour.
* Per loan, from its latest snapshot (vectorised: rows ordered by loan and
  month, last row kept): whether it is still active, how many instalments
  remain and which share of its term that is; whether the loan ever
  reached "Completed". Per client: number of active and completed loans,
  instalments still to pay on the active loans (future burden), average
  remaining share.
* Term of the loans (`CNT_INSTALMENT`) average and highest.

A client without POS_CASH rows gets NaN everywhere, counts included.
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

T = schema.POS_CASH_BALANCE.name
PREFIX = "POS_"
RECENT_MONTHS = 12


def _t(*columns: str) -> tuple[str, ...]:
    return tuple(f"{T}.{column}" for column in columns)


INPUTS: dict[str, Input] = {
    "MONTHS_BALANCE": Input(
        "month of the snapshot (months before the application, negative)",
        _t("MONTHS_BALANCE"),
    ),
    "CNT_INSTALMENT": Input("term of the loan (instalments)", _t("CNT_INSTALMENT")),
    "CNT_INSTALMENT_FUTURE": Input("instalments left to pay", _t("CNT_INSTALMENT_FUTURE")),
    "SK_DPD": Input("days past due", _t("SK_DPD")),
    "SK_DPD_DEF": Input("days past due (small debts ignored)", _t("SK_DPD_DEF")),
    "DPD_POSITIVE": Input("with a payment delay", _t("SK_DPD"), is_flag=True),
    "DPD_DEF_POSITIVE": Input(
        "with a payment delay (small debts ignored)", _t("SK_DPD_DEF"), is_flag=True
    ),
}
_RECENT = _t("MONTHS_BALANCE")
SCOPES: tuple[Scope, ...] = (
    Scope(
        prefix=PREFIX,
        rows="the client's monthly POS/cash loan snapshots",
        aggregates={
            "MONTHS_BALANCE": ("min", "max", "mean"),
            "CNT_INSTALMENT": ("mean", "max"),
            "CNT_INSTALMENT_FUTURE": ("mean",),
            "SK_DPD": ("max", "mean"),
            "SK_DPD_DEF": ("max", "mean"),
            "DPD_POSITIVE": ("sum", "mean"),
            "DPD_DEF_POSITIVE": ("sum", "mean"),
        },
    ),
    Scope(
        prefix=f"{PREFIX}RECENT_",
        rows=f"the client's monthly POS/cash loan snapshots of the last {RECENT_MONTHS} months",
        condition=_RECENT,
        aggregates={
            "SK_DPD": ("max", "mean"),
            "SK_DPD_DEF": ("max",),
            "DPD_POSITIVE": ("mean",),
        },
    ),
)

_LATEST = _t("SK_ID_PREV", "MONTHS_BALANCE")
CATALOG = Catalog()
CATALOG.add(f"{PREFIX}COUNT", "Number of monthly POS/cash loan snapshots", _t("MONTHS_BALANCE"))
CATALOG.add(f"{PREFIX}LOANS_COUNT", "Number of previous POS/cash loans", _t("SK_ID_PREV"))
CATALOG.add(
    f"{PREFIX}RECENT_COUNT",
    f"Number of monthly POS/cash loan snapshots in the last {RECENT_MONTHS} months",
    _RECENT,
)
CATALOG.add(
    f"{PREFIX}ACTIVE_LOANS_COUNT",
    "Number of POS/cash loans still active at their latest snapshot",
    _LATEST + _t("NAME_CONTRACT_STATUS"),
)
CATALOG.add(
    f"{PREFIX}COMPLETED_LOANS_COUNT",
    "Number of POS/cash loans that reached the Completed status",
    _t("SK_ID_PREV", "NAME_CONTRACT_STATUS"),
)
CATALOG.add(
    f"{PREFIX}ACTIVE_REMAINING_INSTALMENTS_SUM",
    "Instalments still to pay on the active POS/cash loans",
    _LATEST + _t("NAME_CONTRACT_STATUS", "CNT_INSTALMENT_FUTURE"),
)
CATALOG.add(
    f"{PREFIX}LOAN_REMAINING_SHARE_MEAN",
    "Average share of the term still to pay, at each loan's latest snapshot",
    _LATEST + _t("CNT_INSTALMENT_FUTURE", "CNT_INSTALMENT"),
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
        for name in (
            "MONTHS_BALANCE",
            "CNT_INSTALMENT",
            "CNT_INSTALMENT_FUTURE",
            "SK_DPD",
            "SK_DPD_DEF",
        )
    }
    for name, source in (("DPD_POSITIVE", "SK_DPD"), ("DPD_DEF_POSITIVE", "SK_DPD_DEF")):
        values[name] = flag(values[source] > 0, ~np.isnan(values[source]))
    month = values["MONTHS_BALANCE"]
    recent = month >= -RECENT_MONTHS

    data: dict[str, np.ndarray] = {
        f"{PREFIX}COUNT": groups.count(),
        f"{PREFIX}RECENT_COUNT": groups.within(recent).count(),
    }
    all_rows, recent_scope = SCOPES
    data.update(aggregate(groups, all_rows, INPUTS, values))
    data.update(aggregate(groups.within(recent), recent_scope, INPUTS, values))

    # Per loan: its latest snapshot, then per client.
    loan_groups, client_of_loan = by_loan(rows)
    active = rows.level("NAME_CONTRACT_STATUS", "Active")
    completed = rows.level("NAME_CONTRACT_STATUS", "Completed")
    last_active = loan_groups.last(active, by=month)
    last_future = loan_groups.last(values["CNT_INSTALMENT_FUTURE"], by=month)
    last_term = loan_groups.last(values["CNT_INSTALMENT"], by=month)
    data[f"{PREFIX}LOANS_COUNT"] = client_of_loan.count()
    data[f"{PREFIX}ACTIVE_LOANS_COUNT"] = client_of_loan.reduce("sum", last_active)
    data[f"{PREFIX}COMPLETED_LOANS_COUNT"] = client_of_loan.reduce(
        "sum", loan_groups.reduce("max", completed)
    )
    active_loans = data[f"{PREFIX}ACTIVE_LOANS_COUNT"]
    remaining = client_of_loan.within(last_active == 1.0).reduce("sum", last_future)
    # No active loan: nothing left to pay (0), which is known, unlike a missing count.
    data[f"{PREFIX}ACTIVE_REMAINING_INSTALMENTS_SUM"] = np.where(active_loans == 0, 0.0, remaining)
    data[f"{PREFIX}LOAN_REMAINING_SHARE_MEAN"] = client_of_loan.reduce(
        "mean", ratio(last_future, last_term)
    )
    return assemble(CATALOG, data, clients)
