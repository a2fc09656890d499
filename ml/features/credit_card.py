"""Features of the monthly snapshots of the client's previous Home Credit cards.

Source table: credit_card_balance.

What it computes, and why:

* Per month: utilisation (balance / credit limit: a maxed-out card is a
  classic distress signal), drawings / limit, total paid / minimum
  instalment, and flags: paid less than the minimum instalment (by more than
  a cent), balance over the limit, any day past due. A limit of 0 gives NaN
  ratios, never infinities.
* Per client over all months: number of months and of cards, how far back
  the history goes, balances, limits, utilisation, drawings (amounts and
  counts, all / ATM / goods), minimum instalments and payments, payment /
  minimum, receivables, instalments paid so far, days past due (with and
  without tolerance) and the share of months with a delay or a payment
  below the minimum.
* The same key figures over the last 12 months (`CC_RECENT_*`).
* From each card's latest month: the balance now owed on all cards
  (`CC_LAST_BALANCE_SUM`) and the average current utilisation.

A client without credit card rows gets NaN everywhere, counts included.
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

T = schema.CREDIT_CARD_BALANCE.name
PREFIX = "CC_"
RECENT_MONTHS = 12
BELOW_MINIMUM_TOLERANCE = 0.01  # currency units: ignore rounding below a cent


def _t(*columns: str) -> tuple[str, ...]:
    return tuple(f"{T}.{column}" for column in columns)


_RAW_PHRASES = {
    "MONTHS_BALANCE": "month of the snapshot (months before the application, negative)",
    "AMT_BALANCE": "card balance",
    "AMT_CREDIT_LIMIT_ACTUAL": "card credit limit",
    "AMT_DRAWINGS_CURRENT": "amount drawn in the month",
    "AMT_DRAWINGS_ATM_CURRENT": "amount drawn at cash machines in the month",
    "AMT_DRAWINGS_POS_CURRENT": "amount spent on goods in the month",
    "AMT_INST_MIN_REGULARITY": "minimum instalment of the month",
    "AMT_PAYMENT_CURRENT": "amount paid in the month",
    "AMT_PAYMENT_TOTAL_CURRENT": "total amount paid in the month",
    "AMT_TOTAL_RECEIVABLE": "total amount receivable",
    "CNT_DRAWINGS_CURRENT": "number of drawings in the month",
    "CNT_DRAWINGS_ATM_CURRENT": "number of cash machine drawings in the month",
    "CNT_INSTALMENT_MATURE_CUM": "number of instalments paid so far",
    "SK_DPD": "days past due",
    "SK_DPD_DEF": "days past due (small debts ignored)",
}
INPUTS: dict[str, Input] = {
    **{name: Input(phrase, _t(name)) for name, phrase in _RAW_PHRASES.items()},
    "UTILISATION": Input(
        "utilisation (balance / limit)", _t("AMT_BALANCE", "AMT_CREDIT_LIMIT_ACTUAL")
    ),
    "DRAWINGS_TO_LIMIT": Input(
        "drawings / limit", _t("AMT_DRAWINGS_CURRENT", "AMT_CREDIT_LIMIT_ACTUAL")
    ),
    "PAYMENT_TO_MIN": Input(
        "amount paid / minimum instalment",
        _t("AMT_PAYMENT_TOTAL_CURRENT", "AMT_INST_MIN_REGULARITY"),
    ),
    "BELOW_MIN": Input(
        "where less than the minimum instalment was paid",
        _t("AMT_PAYMENT_TOTAL_CURRENT", "AMT_INST_MIN_REGULARITY"),
        is_flag=True,
    ),
    "OVER_LIMIT": Input(
        "with the balance over the limit",
        _t("AMT_BALANCE", "AMT_CREDIT_LIMIT_ACTUAL"),
        is_flag=True,
    ),
    "DPD_POSITIVE": Input("with a payment delay", _t("SK_DPD"), is_flag=True),
}
SCOPES: tuple[Scope, ...] = (
    Scope(
        prefix=PREFIX,
        rows="the client's monthly credit card snapshots",
        aggregates={
            "MONTHS_BALANCE": ("min",),
            "AMT_BALANCE": ("max", "mean"),
            "AMT_CREDIT_LIMIT_ACTUAL": ("max", "mean"),
            "UTILISATION": ("max", "mean"),
            "DRAWINGS_TO_LIMIT": ("max", "mean"),
            "AMT_DRAWINGS_CURRENT": ("max", "mean", "sum"),
            "AMT_DRAWINGS_ATM_CURRENT": ("max", "mean", "sum"),
            "AMT_DRAWINGS_POS_CURRENT": ("mean", "sum"),
            "CNT_DRAWINGS_CURRENT": ("max", "mean", "sum"),
            "CNT_DRAWINGS_ATM_CURRENT": ("mean", "sum"),
            "AMT_INST_MIN_REGULARITY": ("max", "mean"),
            "AMT_PAYMENT_CURRENT": ("mean", "sum"),
            "AMT_PAYMENT_TOTAL_CURRENT": ("mean", "sum"),
            "PAYMENT_TO_MIN": ("min", "mean"),
            "BELOW_MIN": ("sum", "mean"),
            "OVER_LIMIT": ("sum", "mean"),
            "AMT_TOTAL_RECEIVABLE": ("max", "mean"),
            "CNT_INSTALMENT_MATURE_CUM": ("max",),
            "SK_DPD": ("max", "mean"),
            "SK_DPD_DEF": ("max", "mean"),
            "DPD_POSITIVE": ("sum", "mean"),
        },
    ),
    Scope(
        prefix=f"{PREFIX}RECENT_",
        rows=f"the client's monthly credit card snapshots of the last {RECENT_MONTHS} months",
        condition=_t("MONTHS_BALANCE"),
        aggregates={
            "AMT_BALANCE": ("mean",),
            "UTILISATION": ("max", "mean"),
            "AMT_DRAWINGS_CURRENT": ("mean",),
            "PAYMENT_TO_MIN": ("mean",),
            "BELOW_MIN": ("mean",),
            "SK_DPD": ("max",),
            "DPD_POSITIVE": ("mean",),
        },
    ),
)

_LATEST = _t("SK_ID_PREV", "MONTHS_BALANCE")
CATALOG = Catalog()
CATALOG.add(f"{PREFIX}COUNT", "Number of monthly credit card snapshots", _t("MONTHS_BALANCE"))
CATALOG.add(f"{PREFIX}LOANS_COUNT", "Number of previous credit cards", _t("SK_ID_PREV"))
CATALOG.add(
    f"{PREFIX}RECENT_COUNT",
    f"Number of monthly credit card snapshots in the last {RECENT_MONTHS} months",
    _t("MONTHS_BALANCE"),
)
CATALOG.add(
    f"{PREFIX}LAST_BALANCE_SUM",
    "Balance owed on all credit cards at their latest snapshot",
    _LATEST + _t("AMT_BALANCE"),
)
CATALOG.add(
    f"{PREFIX}LAST_UTILISATION_MEAN",
    "Average utilisation of the credit cards at their latest snapshot",
    _LATEST + _t("AMT_BALANCE", "AMT_CREDIT_LIMIT_ACTUAL"),
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

    values = {name: rows.numeric(name) for name in _RAW_PHRASES}
    balance, limit = values["AMT_BALANCE"], values["AMT_CREDIT_LIMIT_ACTUAL"]
    paid, minimum = values["AMT_PAYMENT_TOTAL_CURRENT"], values["AMT_INST_MIN_REGULARITY"]
    values["UTILISATION"] = ratio(balance, limit)
    values["DRAWINGS_TO_LIMIT"] = ratio(values["AMT_DRAWINGS_CURRENT"], limit)
    values["PAYMENT_TO_MIN"] = ratio(paid, minimum)
    values["BELOW_MIN"] = flag(
        paid < minimum - BELOW_MINIMUM_TOLERANCE, ~np.isnan(paid) & ~np.isnan(minimum)
    )
    values["OVER_LIMIT"] = flag(
        (limit > 0) & (balance > limit), ~np.isnan(balance) & ~np.isnan(limit)
    )
    dpd = values["SK_DPD"]
    values["DPD_POSITIVE"] = flag(dpd > 0, ~np.isnan(dpd))
    month = values["MONTHS_BALANCE"]
    recent = groups.within(month >= -RECENT_MONTHS)

    loan_groups, client_of_loan = by_loan(rows)
    data: dict[str, np.ndarray] = {
        f"{PREFIX}COUNT": groups.count(),
        f"{PREFIX}LOANS_COUNT": client_of_loan.count(),
        f"{PREFIX}RECENT_COUNT": recent.count(),
        f"{PREFIX}LAST_BALANCE_SUM": client_of_loan.reduce(
            "sum", loan_groups.last(balance, by=month)
        ),
        f"{PREFIX}LAST_UTILISATION_MEAN": client_of_loan.reduce(
            "mean", loan_groups.last(values["UTILISATION"], by=month)
        ),
    }
    all_rows, recent_scope = SCOPES
    data.update(aggregate(groups, all_rows, INPUTS, values))
    data.update(aggregate(recent, recent_scope, INPUTS, values))
    return assemble(CATALOG, data, clients)
