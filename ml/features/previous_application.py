"""Features of the client's previous applications at Home Credit (previous_application).

What it computes, and why:

* Kaggle writes 365243 in DAYS_FIRST_DRAWING, DAYS_FIRST_DUE,
  DAYS_LAST_DUE_1ST_VERSION, DAYS_LAST_DUE and DAYS_TERMINATION for "no such
  date (yet)"; they become NaN. A last due date of 365243 on an approved loan
  also tells the loan is still running: counted as `PREV_RUNNING_COUNT`.
* Per previous application: amount asked / amount granted (how much the
  lender cut), down payment / credit, annuity / credit (payment rate),
  credit / goods price, the interest share implied by annuity x number of
  payments against the credit, how many days earlier than first planned the
  loan ended.
* Per client, over all previous applications: how many, how many approved,
  refused (count and share: a history of refusals is a strong signal),
  canceled, unused; how many per contract type; new-client and high-yield
  flags; min/max/mean of the amounts and ratios above; days since the last
  decision (`PREV_DAYS_DECISION_MAX`), term, due and termination dates.
* The same aggregates separately over approved applications (`PREV_APPROVED_*`:
  the loans the client actually had) and over refused ones
  (`PREV_REFUSED_*`: what the lender already declined, and how recently).

A client without previous applications gets NaN everywhere, counts included.
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
    ratio,
    sentinel_to_nan,
)

P = schema.PREVIOUS_APPLICATION.name
PREFIX = "PREV_"
SENTINEL = 365243  # "no date": the same code as application.DAYS_EMPLOYED
SENTINEL_DAYS = (
    "DAYS_FIRST_DRAWING",
    "DAYS_FIRST_DUE",
    "DAYS_LAST_DUE_1ST_VERSION",
    "DAYS_LAST_DUE",
    "DAYS_TERMINATION",
)
STATUSES = {
    "APPROVED": "Approved",
    "REFUSED": "Refused",
    "CANCELED": "Canceled",
    "UNUSED_OFFER": "Unused offer",
}
_STATUS_PHRASES = {
    "APPROVED": "approved",
    "REFUSED": "refused",
    "CANCELED": "canceled by the client",
    "UNUSED_OFFER": "left as an unused offer",
}
CONTRACT_TYPES = {
    "CASH": "Cash loans",
    "CONSUMER": "Consumer loans",
    "REVOLVING": "Revolving loans",
}
RAW_NUMERIC = (
    "AMT_ANNUITY",
    "AMT_APPLICATION",
    "AMT_CREDIT",
    "AMT_DOWN_PAYMENT",
    "AMT_GOODS_PRICE",
    "HOUR_APPR_PROCESS_START",
    "RATE_DOWN_PAYMENT",
    "DAYS_DECISION",
    "CNT_PAYMENT",
    "NFLAG_INSURED_ON_APPROVAL",
    *SENTINEL_DAYS,
)


def _p(*columns: str) -> tuple[str, ...]:
    return tuple(f"{P}.{column}" for column in columns)


INPUTS: dict[str, Input] = {
    "AMT_ANNUITY": Input("annuity", _p("AMT_ANNUITY")),
    "AMT_APPLICATION": Input("amount asked for", _p("AMT_APPLICATION")),
    "AMT_CREDIT": Input("amount granted", _p("AMT_CREDIT")),
    "AMT_DOWN_PAYMENT": Input("down payment", _p("AMT_DOWN_PAYMENT")),
    "AMT_GOODS_PRICE": Input("goods price", _p("AMT_GOODS_PRICE")),
    "HOUR_APPR_PROCESS_START": Input("hour of application", _p("HOUR_APPR_PROCESS_START")),
    "RATE_DOWN_PAYMENT": Input("down payment rate (normalised)", _p("RATE_DOWN_PAYMENT")),
    "DAYS_DECISION": Input(
        "decision date (days before the application, negative)", _p("DAYS_DECISION")
    ),
    "CNT_PAYMENT": Input("number of payments (term)", _p("CNT_PAYMENT")),
    "NFLAG_INSURED_ON_APPROVAL": Input(
        "insurance requested (1/0)", _p("NFLAG_INSURED_ON_APPROVAL")
    ),
    "DAYS_FIRST_DRAWING": Input("first drawing date (days)", _p("DAYS_FIRST_DRAWING")),
    "DAYS_FIRST_DUE": Input("first due date (days)", _p("DAYS_FIRST_DUE")),
    "DAYS_LAST_DUE_1ST_VERSION": Input(
        "last due date first planned (days)", _p("DAYS_LAST_DUE_1ST_VERSION")
    ),
    "DAYS_LAST_DUE": Input("last due date (days)", _p("DAYS_LAST_DUE")),
    "DAYS_TERMINATION": Input("termination date (days)", _p("DAYS_TERMINATION")),
    "APPLICATION_TO_CREDIT": Input(
        "amount asked / amount granted", _p("AMT_APPLICATION", "AMT_CREDIT")
    ),
    "DOWN_PAYMENT_TO_CREDIT": Input(
        "down payment / amount granted", _p("AMT_DOWN_PAYMENT", "AMT_CREDIT")
    ),
    "ANNUITY_TO_CREDIT": Input(
        "annuity / amount granted (payment rate)", _p("AMT_ANNUITY", "AMT_CREDIT")
    ),
    "CREDIT_TO_GOODS": Input("amount granted / goods price", _p("AMT_CREDIT", "AMT_GOODS_PRICE")),
    "INTEREST_SHARE": Input(
        "interest share (annuity x payments / amount granted - 1)",
        _p("AMT_ANNUITY", "CNT_PAYMENT", "AMT_CREDIT"),
    ),
    "ENDED_EARLY_DAYS": Input(
        "days between the first planned and the actual last due date",
        _p("DAYS_LAST_DUE_1ST_VERSION", "DAYS_LAST_DUE"),
    ),
    **{
        name: Input(_STATUS_PHRASES[name], _p("NAME_CONTRACT_STATUS"), is_flag=True)
        for name in STATUSES
    },
    **{
        f"TYPE_{name}": Input(f"for {level.lower()}", _p("NAME_CONTRACT_TYPE"), is_flag=True)
        for name, level in CONTRACT_TYPES.items()
    },
    "NEW_CLIENT": Input("made as a new client", _p("NAME_CLIENT_TYPE"), is_flag=True),
    "YIELD_HIGH": Input("priced in the high interest group", _p("NAME_YIELD_GROUP"), is_flag=True),
    "RUNNING": Input(
        "approved and still running (no last due date yet)",
        _p("NAME_CONTRACT_STATUS", "DAYS_LAST_DUE"),
        is_flag=True,
    ),
}

_STATUS = _p("NAME_CONTRACT_STATUS")
SCOPES: tuple[Scope, ...] = (
    Scope(
        prefix=PREFIX,
        rows="the client's previous applications",
        aggregates={
            **{name: ("sum", "mean") for name in ("APPROVED", "REFUSED")},
            "CANCELED": ("sum",),
            "UNUSED_OFFER": ("sum",),
            **{f"TYPE_{name}": ("sum",) for name in CONTRACT_TYPES},
            "NEW_CLIENT": ("sum",),
            "YIELD_HIGH": ("mean",),
            "RUNNING": ("sum",),
            "AMT_ANNUITY": ("min", "max", "mean"),
            "AMT_APPLICATION": ("min", "max", "mean"),
            "AMT_CREDIT": ("min", "max", "mean", "sum"),
            "APPLICATION_TO_CREDIT": ("min", "max", "mean", "std"),
            "AMT_DOWN_PAYMENT": ("max", "mean"),
            "AMT_GOODS_PRICE": ("min", "max", "mean"),
            "HOUR_APPR_PROCESS_START": ("mean",),
            "RATE_DOWN_PAYMENT": ("min", "max", "mean"),
            "DOWN_PAYMENT_TO_CREDIT": ("mean",),
            "DAYS_DECISION": ("min", "max", "mean"),
            "CNT_PAYMENT": ("mean", "sum"),
            "ANNUITY_TO_CREDIT": ("mean",),
            "CREDIT_TO_GOODS": ("mean",),
            "INTEREST_SHARE": ("mean", "max"),
            "NFLAG_INSURED_ON_APPROVAL": ("mean",),
            "DAYS_FIRST_DRAWING": ("max",),
            "DAYS_FIRST_DUE": ("min", "max"),
            "DAYS_LAST_DUE_1ST_VERSION": ("max", "mean"),
            "DAYS_LAST_DUE": ("max", "mean"),
            "DAYS_TERMINATION": ("max", "mean"),
            "ENDED_EARLY_DAYS": ("mean",),
        },
    ),
    Scope(
        prefix=f"{PREFIX}APPROVED_",
        rows="the client's approved previous applications",
        condition=_STATUS,
        aggregates={
            "AMT_ANNUITY": ("min", "max", "mean"),
            "AMT_APPLICATION": ("max", "mean"),
            "AMT_CREDIT": ("max", "mean", "sum"),
            "APPLICATION_TO_CREDIT": ("min", "max", "mean"),
            "AMT_DOWN_PAYMENT": ("max", "mean"),
            "AMT_GOODS_PRICE": ("max", "mean"),
            "DAYS_DECISION": ("min", "max", "mean"),
            "CNT_PAYMENT": ("mean", "sum"),
            "ANNUITY_TO_CREDIT": ("mean",),
            "INTEREST_SHARE": ("mean",),
            "DAYS_LAST_DUE_1ST_VERSION": ("max",),
            "DAYS_TERMINATION": ("max",),
            "ENDED_EARLY_DAYS": ("mean",),
        },
    ),
    Scope(
        prefix=f"{PREFIX}REFUSED_",
        rows="the client's refused previous applications",
        condition=_STATUS,
        aggregates={
            "AMT_ANNUITY": ("mean",),
            "AMT_APPLICATION": ("max", "mean"),
            "AMT_CREDIT": ("max", "mean"),
            "APPLICATION_TO_CREDIT": ("min", "max", "mean"),
            "DAYS_DECISION": ("max", "mean"),
            "CNT_PAYMENT": ("mean",),
        },
    ),
)

CATALOG = Catalog()
CATALOG.add(f"{PREFIX}COUNT", "Number of previous applications at Home Credit", _p("SK_ID_PREV"))
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
    clients, rows = Rows.of_clients(tables, P, clients)
    if rows is None:
        return all_missing(CATALOG, clients)
    groups = rows.groups

    values = {name: rows.numeric(name) for name in RAW_NUMERIC}
    for name, level in STATUSES.items():
        values[name] = rows.level("NAME_CONTRACT_STATUS", level)
    for name, level in CONTRACT_TYPES.items():
        values[f"TYPE_{name}"] = rows.level("NAME_CONTRACT_TYPE", level)
    values["NEW_CLIENT"] = rows.level("NAME_CLIENT_TYPE", "New")
    values["YIELD_HIGH"] = rows.level("NAME_YIELD_GROUP", "high")
    values["RUNNING"] = values["APPROVED"] * (values["DAYS_LAST_DUE"] == SENTINEL)
    for name in SENTINEL_DAYS:
        values[name] = sentinel_to_nan(values[name], SENTINEL)

    credit = values["AMT_CREDIT"]
    values["APPLICATION_TO_CREDIT"] = ratio(values["AMT_APPLICATION"], credit)
    values["DOWN_PAYMENT_TO_CREDIT"] = ratio(values["AMT_DOWN_PAYMENT"], credit)
    values["ANNUITY_TO_CREDIT"] = ratio(values["AMT_ANNUITY"], credit)
    values["CREDIT_TO_GOODS"] = ratio(credit, values["AMT_GOODS_PRICE"])
    values["INTEREST_SHARE"] = ratio(values["AMT_ANNUITY"] * values["CNT_PAYMENT"], credit) - 1.0
    values["ENDED_EARLY_DAYS"] = values["DAYS_LAST_DUE_1ST_VERSION"] - values["DAYS_LAST_DUE"]

    data: dict[str, np.ndarray] = {f"{PREFIX}COUNT": groups.count()}
    all_rows, approved, refused = SCOPES
    data.update(aggregate(groups, all_rows, INPUTS, values))
    data.update(aggregate(groups.within(values["APPROVED"] == 1.0), approved, INPUTS, values))
    data.update(aggregate(groups.within(values["REFUSED"] == 1.0), refused, INPUTS, values))
    return assemble(CATALOG, data, clients)
