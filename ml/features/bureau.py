"""Features of the client's credits reported by the credit bureau (bureau + bureau_balance).

What it computes, and why:

* Per bureau credit first, from bureau_balance (its monthly status: 0 = no
  delay, 1..5 = 1-30 .. over 120 days past due, C = closed, X = unknown): the
  number of months reported, the months spent in each status, the share of
  months in each status, the months late (status 1-5) and their share among
  the months with a known delay status (0-5), the worst status reached and
  the most recent late month. Past behaviour on other lenders' credits is the
  best history signal there is.
* Then per client, over all their bureau credits: how many, how many active,
  closed, sold or bad debt, overdue now, ever prolonged, and how many of each
  main credit type (the level lists are fixed, so the columns never depend on
  the data); days since the most recent credit (`BUREAU_DAYS_CREDIT_MAX`),
  planned and actual end dates; current and maximal overdue amounts and days;
  prolongations; amounts, debts, limits and annuities; debt / credit per
  credit and for the client's total (sum of debts / sum of credits); overdue
  / debt; the bureau_balance figures above.
* The same kind of aggregates separately over active credits (what the
  client still owes: `BUREAU_ACTIVE_*`) and over closed credits (how past
  credits ended: `BUREAU_CLOSED_*`), as in the strongest public solutions.

A client without bureau rows gets NaN everywhere (counts included): "no
bureau record" is left for the model to learn from the missing values.
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
    declare,
    flag,
    is_absent,
    ratio,
)

B = schema.BUREAU.name
BB = schema.BUREAU_BALANCE.name
PREFIX = "BUREAU_"

# bureau_balance STATUS levels: months in each (and its share) per credit.
STATUSES = ("0", "1", "2", "3", "4", "5", "C", "X")
LATE_STATUSES = ("1", "2", "3", "4", "5")
DELAY_STATUSES = ("0", *LATE_STATUSES)  # months where the delay is known

# CREDIT_TYPE levels counted per client (the rest falls under OTHER).
CREDIT_TYPES: dict[str, tuple[str, ...]] = {
    "CONSUMER_CREDIT": ("Consumer credit",),
    "CREDIT_CARD": ("Credit card",),
    "CAR_LOAN": ("Car loan",),
    "MORTGAGE": ("Mortgage", "Real estate loan"),
    "MICROLOAN": ("Microloan",),
    "BUSINESS_LOAN": (
        "Loan for business development",
        "Loan for working capital replenishment",
        "Loan for the purchase of equipment",
    ),
}


def _b(*columns: str) -> tuple[str, ...]:
    return tuple(f"{B}.{column}" for column in columns)


_BB_STATUS = (f"{BB}.STATUS", f"{BB}.SK_ID_BUREAU")
_BB_MONTHS = (f"{BB}.MONTHS_BALANCE", f"{BB}.SK_ID_BUREAU")
_STATUS_WORDS = {
    "0": "with no delay",
    "1": "1-30 days past due",
    "2": "31-60 days past due",
    "3": "61-90 days past due",
    "4": "91-120 days past due",
    "5": "over 120 days past due or written off",
    "C": "closed",
    "X": "of unknown status",
}

INPUTS: dict[str, Input] = {
    "DAYS_CREDIT": Input(
        "opening date of the credit (days before the application, negative)", _b("DAYS_CREDIT")
    ),
    "CREDIT_DAY_OVERDUE": Input("days past due at the application", _b("CREDIT_DAY_OVERDUE")),
    "DAYS_CREDIT_ENDDATE": Input(
        "planned end date (days from the application)", _b("DAYS_CREDIT_ENDDATE")
    ),
    "DAYS_ENDDATE_FACT": Input(
        "actual end date (days from the application)", _b("DAYS_ENDDATE_FACT")
    ),
    "AMT_CREDIT_MAX_OVERDUE": Input("largest amount ever overdue", _b("AMT_CREDIT_MAX_OVERDUE")),
    "CNT_CREDIT_PROLONG": Input("number of prolongations", _b("CNT_CREDIT_PROLONG")),
    "AMT_CREDIT_SUM": Input("credit amount", _b("AMT_CREDIT_SUM")),
    "AMT_CREDIT_SUM_DEBT": Input("current debt", _b("AMT_CREDIT_SUM_DEBT")),
    "AMT_CREDIT_SUM_LIMIT": Input("credit card limit", _b("AMT_CREDIT_SUM_LIMIT")),
    "AMT_CREDIT_SUM_OVERDUE": Input("amount overdue now", _b("AMT_CREDIT_SUM_OVERDUE")),
    "DAYS_CREDIT_UPDATE": Input(
        "date of the last bureau update (days before the application)", _b("DAYS_CREDIT_UPDATE")
    ),
    "AMT_ANNUITY": Input("annuity", _b("AMT_ANNUITY")),
    "DEBT_TO_CREDIT": Input("debt / credit amount", _b("AMT_CREDIT_SUM_DEBT", "AMT_CREDIT_SUM")),
    "OVERDUE_TO_DEBT": Input(
        "overdue amount / debt", _b("AMT_CREDIT_SUM_OVERDUE", "AMT_CREDIT_SUM_DEBT")
    ),
    "CREDIT_DURATION": Input("planned duration in days", _b("DAYS_CREDIT_ENDDATE", "DAYS_CREDIT")),
    "ENDDATE_GAP": Input(
        "days between the actual and the planned end (negative: repaid early)",
        _b("DAYS_ENDDATE_FACT", "DAYS_CREDIT_ENDDATE"),
    ),
    "ACTIVE": Input("still active", _b("CREDIT_ACTIVE"), is_flag=True),
    "CLOSED": Input("closed", _b("CREDIT_ACTIVE"), is_flag=True),
    "SOLD_OR_BAD_DEBT": Input("sold or bad debt", _b("CREDIT_ACTIVE"), is_flag=True),
    "OVERDUE": Input("overdue at the application", _b("CREDIT_DAY_OVERDUE"), is_flag=True),
    "PROLONGED": Input("prolonged at least once", _b("CNT_CREDIT_PROLONG"), is_flag=True),
    **{
        f"TYPE_{name}": Input(f"of type {' or '.join(levels)}", _b("CREDIT_TYPE"), is_flag=True)
        for name, levels in CREDIT_TYPES.items()
    },
    "TYPE_OTHER": Input("of another type", _b("CREDIT_TYPE"), is_flag=True),
    "BB_MONTHS": Input("number of monthly statuses reported", _BB_MONTHS),
    **{
        f"BB_STATUS_{status}": Input(f"months {_STATUS_WORDS[status]} per credit", _BB_STATUS)
        for status in STATUSES
    },
    **{
        f"BB_SHARE_{status}": Input(
            f"share of a credit's months {_STATUS_WORDS[status]}", _BB_STATUS
        )
        for status in STATUSES
    },
    "BB_LATE_MONTHS": Input("months past due (status 1-5) per credit", _BB_STATUS),
    "BB_LATE_SHARE": Input(
        "share of a credit's months past due (among months of status 0-5)", _BB_STATUS
    ),
    "BB_WORST_STATUS": Input("worst monthly delay status (0-5) of a credit", _BB_STATUS),
    "BB_LAST_LATE_MONTH": Input(
        "most recent month past due (months before the application, negative)",
        _BB_STATUS + (f"{BB}.MONTHS_BALANCE",),
    ),
}

_CREDIT_ACTIVE = _b("CREDIT_ACTIVE")
SCOPES: tuple[Scope, ...] = (
    Scope(
        prefix=PREFIX,
        rows="the client's bureau credits",
        aggregates={
            "ACTIVE": ("sum", "mean"),
            "CLOSED": ("sum",),
            "SOLD_OR_BAD_DEBT": ("sum",),
            "OVERDUE": ("sum", "mean"),
            "PROLONGED": ("sum",),
            **{f"TYPE_{name}": ("sum",) for name in CREDIT_TYPES},
            "TYPE_OTHER": ("sum",),
            "DAYS_CREDIT": ("min", "max", "mean", "std"),
            "CREDIT_DAY_OVERDUE": ("max", "mean"),
            "DAYS_CREDIT_ENDDATE": ("min", "max", "mean"),
            "DAYS_ENDDATE_FACT": ("min", "max", "mean"),
            "AMT_CREDIT_MAX_OVERDUE": ("max", "mean"),
            "CNT_CREDIT_PROLONG": ("sum",),
            "AMT_CREDIT_SUM": ("max", "mean", "sum"),
            "AMT_CREDIT_SUM_DEBT": ("max", "mean", "sum"),
            "AMT_CREDIT_SUM_LIMIT": ("mean", "sum"),
            "AMT_CREDIT_SUM_OVERDUE": ("max", "sum"),
            "DAYS_CREDIT_UPDATE": ("max", "mean"),
            "AMT_ANNUITY": ("max", "mean", "sum"),
            "DEBT_TO_CREDIT": ("max", "mean"),
            "OVERDUE_TO_DEBT": ("max",),
            "CREDIT_DURATION": ("mean",),
            "ENDDATE_GAP": ("mean",),
            "BB_MONTHS": ("mean", "sum"),
            **{f"BB_STATUS_{status}": ("sum",) for status in STATUSES},
            **{f"BB_SHARE_{status}": ("mean",) for status in STATUSES},
            "BB_LATE_MONTHS": ("sum",),
            "BB_LATE_SHARE": ("mean", "max"),
            "BB_WORST_STATUS": ("max", "mean"),
            "BB_LAST_LATE_MONTH": ("max",),
        },
    ),
    Scope(
        prefix=f"{PREFIX}ACTIVE_",
        rows="the client's active bureau credits",
        condition=_CREDIT_ACTIVE,
        aggregates={
            "DAYS_CREDIT": ("min", "max", "mean"),
            "DAYS_CREDIT_ENDDATE": ("max", "mean"),
            "CREDIT_DAY_OVERDUE": ("max", "mean"),
            "AMT_CREDIT_MAX_OVERDUE": ("max",),
            "CNT_CREDIT_PROLONG": ("sum",),
            "AMT_CREDIT_SUM": ("max", "mean", "sum"),
            "AMT_CREDIT_SUM_DEBT": ("max", "mean", "sum"),
            "AMT_CREDIT_SUM_LIMIT": ("sum",),
            "AMT_CREDIT_SUM_OVERDUE": ("max", "sum"),
            "DAYS_CREDIT_UPDATE": ("mean",),
            "AMT_ANNUITY": ("mean", "sum"),
            "DEBT_TO_CREDIT": ("max", "mean"),
            "BB_MONTHS": ("mean",),
            "BB_LATE_SHARE": ("mean",),
            "BB_WORST_STATUS": ("max",),
        },
    ),
    Scope(
        prefix=f"{PREFIX}CLOSED_",
        rows="the client's closed bureau credits",
        condition=_CREDIT_ACTIVE,
        aggregates={
            "DAYS_CREDIT": ("min", "max", "mean"),
            "DAYS_CREDIT_ENDDATE": ("max",),
            "DAYS_ENDDATE_FACT": ("max", "mean"),
            "AMT_CREDIT_MAX_OVERDUE": ("max", "mean"),
            "CNT_CREDIT_PROLONG": ("sum",),
            "AMT_CREDIT_SUM": ("max", "mean", "sum"),
            "AMT_CREDIT_SUM_DEBT": ("sum",),
            "ENDDATE_GAP": ("mean",),
            "BB_MONTHS": ("mean",),
            "BB_LATE_SHARE": ("mean",),
            "BB_WORST_STATUS": ("max",),
        },
    ),
)

CATALOG = Catalog()
CATALOG.add(f"{PREFIX}COUNT", "Number of credits reported by the credit bureau", _b("SK_ID_BUREAU"))
CATALOG.add(
    f"{PREFIX}DEBT_TO_CREDIT_TOTAL",
    "Total bureau debt / total bureau credit amount",
    _b("AMT_CREDIT_SUM_DEBT", "AMT_CREDIT_SUM"),
)
CATALOG.add(
    f"{PREFIX}ACTIVE_DEBT_TO_CREDIT_TOTAL",
    "Total debt / total credit amount of the active bureau credits",
    _b("AMT_CREDIT_SUM_DEBT", "AMT_CREDIT_SUM", "CREDIT_ACTIVE"),
)
CATALOG.add(
    f"{PREFIX}OVERDUE_TO_DEBT_TOTAL",
    "Total amount overdue / total debt of the bureau credits",
    _b("AMT_CREDIT_SUM_OVERDUE", "AMT_CREDIT_SUM_DEBT"),
)
CATALOG.add(
    f"{PREFIX}BB_CREDITS_COUNT",
    "Number of bureau credits with a monthly status history",
    _BB_STATUS,
)
for _scope in SCOPES:
    declare(CATALOG, _scope, INPUTS)

COLUMNS: tuple[str, ...] = CATALOG.names
FEATURE_SOURCES: dict[str, list[str]] = CATALOG.sources
FEATURE_DESCRIPTIONS: dict[str, str] = CATALOG.descriptions


def _per_credit_balance(
    bureau_balance: pd.DataFrame | None, credit_ids: pd.Index
) -> dict[str, np.ndarray]:
    """bureau_balance figures per credit of `credit_ids` (NaN for credits without months)."""
    names = (
        ["BB_MONTHS", "BB_LATE_MONTHS", "BB_LATE_SHARE", "BB_WORST_STATUS", "BB_LAST_LATE_MONTH"]
        + [f"BB_STATUS_{status}" for status in STATUSES]
        + [f"BB_SHARE_{status}" for status in STATUSES]
    )
    if bureau_balance is None or is_absent(bureau_balance) or len(credit_ids) == 0:
        return {name: np.full(len(credit_ids), np.nan) for name in names}
    months = Rows(bureau_balance, key="SK_ID_BUREAU", ids=credit_ids)
    groups = months.groups
    size, credit = len(credit_ids), groups.codes
    # One pass over the (27M-row) STATUS column: its position in STATUSES, -1 otherwise.
    raw_status = bureau_balance.get("STATUS", pd.Series(np.nan, index=bureau_balance.index))
    code = months.pick(pd.Categorical(raw_status, categories=list(STATUSES)).codes)
    known = months.pick(raw_status.notna().to_numpy())
    # Months per (credit, status) in one bincount; months with any known status per credit.
    listed = code >= 0
    per_status = np.bincount(
        credit[listed] * len(STATUSES) + code[listed], minlength=size * len(STATUSES)
    ).reshape(size, len(STATUSES))
    n_known = np.bincount(credit[known], minlength=size)
    without_status = n_known == 0  # no month, or no month with a status: unknown, not 0
    out: dict[str, np.ndarray] = {"BB_MONTHS": groups.count()}
    for position, level in enumerate(STATUSES):
        months_in = np.where(without_status, np.nan, per_status[:, position].astype(np.float64))
        out[f"BB_STATUS_{level}"] = months_in
        out[f"BB_SHARE_{level}"] = ratio(months_in, n_known.astype(np.float64))
    delay_positions = [STATUSES.index(level) for level in DELAY_STATUSES]
    late_positions = [STATUSES.index(level) for level in LATE_STATUSES]
    late_months = per_status[:, late_positions].sum(axis=1).astype(np.float64)
    out["BB_LATE_MONTHS"] = np.where(without_status, np.nan, late_months)
    out["BB_LATE_SHARE"] = ratio(late_months, per_status[:, delay_positions].sum(axis=1) * 1.0)
    worst = np.full(size, np.nan)
    for level in DELAY_STATUSES:  # ascending: the last status seen is the worst
        worst = np.where(per_status[:, STATUSES.index(level)] > 0, float(level), worst)
    out["BB_WORST_STATUS"] = worst
    late_row = np.isin(code, late_positions)
    month = months.numeric("MONTHS_BALANCE")
    out["BB_LAST_LATE_MONTH"] = groups.reduce("max", np.where(late_row, month, np.nan))
    return out


def features(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per application row, indexed by SK_ID_CURR, columns `COLUMNS`."""
    return compute(tables).frame()


def compute(tables: Mapping[str, pd.DataFrame], clients: Clients | None = None) -> Block:
    """The features as a `Block` (what `build_features` stacks)."""
    clients, rows = Rows.of_clients(tables, B, clients)
    if rows is None:
        return all_missing(CATALOG, clients)
    groups = rows.groups

    values: dict[str, np.ndarray] = {
        name: rows.numeric(name)
        for name in (
            "DAYS_CREDIT",
            "CREDIT_DAY_OVERDUE",
            "DAYS_CREDIT_ENDDATE",
            "DAYS_ENDDATE_FACT",
            "AMT_CREDIT_MAX_OVERDUE",
            "CNT_CREDIT_PROLONG",
            "AMT_CREDIT_SUM",
            "AMT_CREDIT_SUM_DEBT",
            "AMT_CREDIT_SUM_LIMIT",
            "AMT_CREDIT_SUM_OVERDUE",
            "DAYS_CREDIT_UPDATE",
            "AMT_ANNUITY",
        )
    }
    credit, debt = values["AMT_CREDIT_SUM"], values["AMT_CREDIT_SUM_DEBT"]
    overdue = values["AMT_CREDIT_SUM_OVERDUE"]
    values["DEBT_TO_CREDIT"] = ratio(debt, credit)
    values["OVERDUE_TO_DEBT"] = ratio(overdue, debt)
    values["CREDIT_DURATION"] = values["DAYS_CREDIT_ENDDATE"] - values["DAYS_CREDIT"]
    values["ENDDATE_GAP"] = values["DAYS_ENDDATE_FACT"] - values["DAYS_CREDIT_ENDDATE"]
    values["ACTIVE"] = rows.level("CREDIT_ACTIVE", "Active")
    values["CLOSED"] = rows.level("CREDIT_ACTIVE", "Closed")
    values["SOLD_OR_BAD_DEBT"] = rows.level("CREDIT_ACTIVE", ("Sold", "Bad debt"))
    days_overdue = values["CREDIT_DAY_OVERDUE"]
    values["OVERDUE"] = flag(days_overdue > 0, ~np.isnan(days_overdue))
    prolongations = values["CNT_CREDIT_PROLONG"]
    values["PROLONGED"] = flag(prolongations > 0, ~np.isnan(prolongations))
    for name, levels in CREDIT_TYPES.items():
        values[f"TYPE_{name}"] = rows.level("CREDIT_TYPE", levels)
    all_main_types = [level for levels in CREDIT_TYPES.values() for level in levels]
    values["TYPE_OTHER"] = 1.0 - rows.level("CREDIT_TYPE", all_main_types)

    # bureau_balance: per credit, then onto the credit's bureau row.
    credit_keys = rows.keys("SK_ID_BUREAU") if "SK_ID_BUREAU" in rows.frame.columns else None
    if credit_keys is None:
        balance = _per_credit_balance(None, pd.Index([]))
        values.update({name: np.full(len(rows), np.nan) for name in balance})
    else:
        credit_ids = pd.Index(pd.unique(credit_keys))
        balance = _per_credit_balance(tables.get(BB), credit_ids)
        position = credit_ids.get_indexer(credit_keys)
        values.update({name: per_credit[position] for name, per_credit in balance.items()})

    data: dict[str, np.ndarray] = {f"{PREFIX}COUNT": groups.count()}
    active = values["ACTIVE"] == 1.0
    data[f"{PREFIX}DEBT_TO_CREDIT_TOTAL"] = ratio(
        groups.reduce("sum", debt), groups.reduce("sum", credit)
    )
    active_groups = groups.within(active)
    data[f"{PREFIX}ACTIVE_DEBT_TO_CREDIT_TOTAL"] = ratio(
        active_groups.reduce("sum", debt), active_groups.reduce("sum", credit)
    )
    data[f"{PREFIX}OVERDUE_TO_DEBT_TOTAL"] = ratio(
        groups.reduce("sum", overdue), groups.reduce("sum", debt)
    )
    data[f"{PREFIX}BB_CREDITS_COUNT"] = groups.reduce(
        "sum", np.where(np.isnan(values["BB_MONTHS"]), 0.0, 1.0)
    )
    all_rows, active_scope, closed_scope = SCOPES
    data.update(aggregate(groups, all_rows, INPUTS, values))
    data.update(aggregate(active_groups, active_scope, INPUTS, values))
    data.update(aggregate(groups.within(values["CLOSED"] == 1.0), closed_scope, INPUTS, values))
    return assemble(CATALOG, data, clients)
