"""Synthetic history tables: bureau, bureau_balance, previous_application and the
three monthly tables of previous loans (POS_CASH_balance, installments_payments,
credit_card_balance).

Everything is vectorised per table: child rows are laid out with `np.repeat` on
their parent's row count, and per-row positions come from `_positions`.

The signal: each client has a history factor `h` (see latent.py) that raises the
share of refused applications, late and partial instalment payments, days past
due on POS and card balances, bureau overdue amounts, DPD months in
bureau_balance and the share of the credit still owed. Intensities are set so the
overall shares stay at the real ones (e.g. 8.3% of instalments paid late).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from ml import schema
from ml.synthetic.marginals import Law, Laws, load_stats, nan_where

NOT_SET = 365243.0  # Kaggle's "no date" in previous_application DAYS_* columns
DAYS_PER_MONTH = 30.4375
OLDEST_MONTH = -96  # the monthly tables keep eight years

# Per-client counts, from the full Kaggle data over its 356,255 clients (train + test):
# bureau 1,716,428 rows over 305,811 clients; previous_application 1,670,214 rows over
# 338,857 clients.
BUREAU_ANY = 305_811 / 356_255
BUREAU_MEAN_IF_ANY = 1_716_428 / 305_811
PREVIOUS_ANY = 338_857 / 356_255
PREVIOUS_MEAN_IF_ANY = 1_670_214 / 338_857
# About 45% of bureau credits have monthly rows (27.3M bureau_balance rows in all).
BUREAU_BALANCE_SHARE = 0.42
SPLIT_PAYMENT_SHARE = 0.2  # instalments paid in two rows
POS_SHARE = 0.93  # approved instalment loans that have POS_CASH_balance rows

# How strongly the history factor shows (log-odds per standard deviation).
REFUSAL_EFFECT = 0.45
LATE_EFFECT = 0.45
UNDERPAID_EFFECT = 0.4
DPD_EFFECT = 0.6
BUREAU_OVERDUE_EFFECT = 0.8
BUREAU_ACTIVE_EFFECT = 0.35
BUREAU_DEBT_EFFECT = 0.35
CARD_UTILISATION_EFFECT = 0.5
# Yearly interest by yield group, for the annuity of a previous loan.
YEARLY_RATE = {"low_action": 0.12, "low_normal": 0.2, "middle": 0.3, "high": 0.45}


def _positions(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., count-1 for each parent, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


def _levels(values: np.ndarray) -> list:
    """Distinct values of a text column, sorted (hashing: np.unique sorts Python strings)."""
    return sorted(pd.unique(values))


def _group_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running sum of `values` restarting at each parent's first row."""
    running = np.cumsum(values)
    before = np.concatenate([[0], running])[np.cumsum(counts) - counts]
    return running - np.repeat(before, counts)


def _sample(law: Law, rng: np.random.Generator, n: int, *, with_missing: bool = True) -> np.ndarray:
    values = law.sample(rng, n)
    if with_missing and law.missing > 0:
        values = nan_where(values, rng.random(n) < law.missing)
    return values


def _shifted(rng: np.random.Generator, base: float, shift: np.ndarray) -> np.ndarray:
    """Bernoulli draws with log-odds logit(base) + shift, rescaled to keep the mean at `base`."""
    return rng.random(len(shift)) < expit(logit(base) + shift - 0.5 * np.var(shift) * (1 - base))


def _months(days: np.ndarray) -> np.ndarray:
    return np.floor(days / DAYS_PER_MONTH).astype(np.int64)


def draw_counts(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Bureau credits and previous applications per client (negative binomial tails
    like the real counts: most clients have a few, some dozens)."""
    bureau = np.where(
        rng.random(n) < BUREAU_ANY,
        1 + rng.negative_binomial(1.5, 1.5 / (1.5 + BUREAU_MEAN_IF_ANY - 1), n),
        0,
    )
    previous = np.where(
        rng.random(n) < PREVIOUS_ANY,
        1 + rng.negative_binomial(1.3, 1.3 / (1.3 + PREVIOUS_MEAN_IF_ANY - 1), n),
        0,
    )
    return bureau.astype(np.int64), previous.astype(np.int64)


@cache
def _laws(table: str) -> Laws:
    stats = load_stats()[table]
    return Laws({**stats["columns"], **stats.get("derived", {})})


# ----------------------------------------------------------------------------- bureau
def bureau_tables(
    rng: np.random.Generator, ids: np.ndarray, h: np.ndarray, counts: np.ndarray, first_id: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    stats = load_stats()["bureau"]
    law = _laws("bureau")
    owner = np.repeat(np.arange(len(ids)), counts)
    n = len(owner)
    hb = h[owner]

    days_credit = law["DAYS_CREDIT"].sample(rng, n)
    edges = np.asarray(stats["active_rate_by_days_credit"]["edges"])
    base_active = np.asarray(stats["active_rate_by_days_credit"]["rate"])[
        np.clip(np.searchsorted(edges, days_credit, side="right") - 1, 0, 9)
    ]
    active = rng.random(n) < expit(
        logit(np.clip(base_active, 0.01, 0.99)) + BUREAU_ACTIVE_EFFECT * hb
    )
    status = np.where(active, "Active", "Closed").astype(object)
    status_law = law["CREDIT_ACTIVE"]
    for level in ("Sold", "Bad debt"):
        rate = status_law.probability_of(level)
        status[(~active) & _shifted(rng, rate, BUREAU_OVERDUE_EFFECT * hb)] = level
    closed = ~active

    duration = np.where(
        active, law["DURATION|Active"].sample(rng, n), law["DURATION|Closed"].sample(rng, n)
    ).clip(0, None)
    end_missing = np.where(
        active,
        rng.random(n) < law["DURATION|Active"].missing,
        rng.random(n) < law["DURATION|Closed"].missing,
    )
    end = np.where(end_missing, np.nan, days_credit + duration)
    # A credit closed before its planned end closed some time before today.
    closed_by = np.where(end < 0, end, -np.ceil(rng.random(n) * 0.5 * -days_credit))
    span = closed_by - days_credit
    fact = np.where(
        closed, np.round(days_credit + law["FACT_SHARE|Closed"].sample(rng, n) * span), np.nan
    )
    update = np.where(
        closed,
        fact + law["UPDATE_AFTER_FACT|Closed"].sample(rng, n),
        law["DAYS_CREDIT_UPDATE|Active"].sample(rng, n),
    )
    update = np.where(update > -1, -rng.integers(1, 30, n), update)
    update = np.maximum(update, days_credit)

    credit_type = law["CREDIT_TYPE"].sample(rng, n)
    card = credit_type == "Credit card"
    amount = np.where(
        card,
        law["AMT_CREDIT_SUM|Credit card"].sample(rng, n),
        law["AMT_CREDIT_SUM|other"].sample(rng, n),
    )
    # Riskier clients still owe a larger share of their active credits.
    debt_law = law["DEBT_SHARE|Active"]
    debt_share = debt_law.from_normal(
        BUREAU_DEBT_EFFECT * hb + np.sqrt(1 - BUREAU_DEBT_EFFECT**2) * rng.standard_normal(n)
    )
    debt = np.where(
        active, np.round(amount * debt_share, 2), law["AMT_CREDIT_SUM_DEBT|Closed"].sample(rng, n)
    )
    debt_missing = np.where(
        active,
        rng.random(n) < debt_law.missing,
        rng.random(n) < law["AMT_CREDIT_SUM_DEBT|Closed"].missing,
    )
    debt = np.where(debt_missing, np.nan, debt)
    limit = np.where(
        active,
        _sample(law["AMT_CREDIT_SUM_LIMIT|Active"], rng, n),
        _sample(law["AMT_CREDIT_SUM_LIMIT|Closed"], rng, n),
    )

    overdue_now = active & _shifted(rng, 0.008, BUREAU_OVERDUE_EFFECT * hb)
    day_overdue = np.where(overdue_now, law["CREDIT_DAY_OVERDUE|positive"].sample(rng, n), 0)
    sum_overdue = np.where(
        overdue_now & (rng.random(n) < 0.8),
        law["AMT_CREDIT_SUM_OVERDUE|positive"].sample(rng, n),
        0.0,
    )
    max_overdue_present = rng.random(n) >= law["AMT_CREDIT_MAX_OVERDUE"].missing
    max_overdue_positive = overdue_now | _shifted(rng, 0.2, BUREAU_OVERDUE_EFFECT * hb)
    max_overdue = np.where(
        max_overdue_positive, law["AMT_CREDIT_MAX_OVERDUE|positive"].sample(rng, n), 0.0
    )
    max_overdue = np.where(
        max_overdue_present | overdue_now, np.maximum(max_overdue, sum_overdue), np.nan
    )

    bureau_ids = first_id + np.arange(n, dtype=np.int64)
    bureau = pd.DataFrame(
        {
            "SK_ID_CURR": ids[owner],
            "SK_ID_BUREAU": bureau_ids,
            "CREDIT_ACTIVE": status,
            "CREDIT_CURRENCY": law["CREDIT_CURRENCY"].sample(rng, n),
            "DAYS_CREDIT": days_credit.astype(np.int64),
            "CREDIT_DAY_OVERDUE": day_overdue.astype(np.int64),
            "DAYS_CREDIT_ENDDATE": end,
            "DAYS_ENDDATE_FACT": fact,
            "AMT_CREDIT_MAX_OVERDUE": max_overdue,
            "CNT_CREDIT_PROLONG": law["CNT_CREDIT_PROLONG"].sample(rng, n).astype(np.int64),
            "AMT_CREDIT_SUM": amount,
            "AMT_CREDIT_SUM_DEBT": debt,
            "AMT_CREDIT_SUM_LIMIT": limit,
            "AMT_CREDIT_SUM_OVERDUE": sum_overdue,
            "CREDIT_TYPE": credit_type,
            "DAYS_CREDIT_UPDATE": update.astype(np.int64),
            "AMT_ANNUITY": _sample(law["AMT_ANNUITY"], rng, n),
        }
    )
    return bureau, _bureau_balance(rng, bureau_ids, days_credit, fact, hb)


def _bureau_balance(
    rng: np.random.Generator,
    bureau_ids: np.ndarray,
    days_credit: np.ndarray,
    fact: np.ndarray,
    hb: np.ndarray,
) -> pd.DataFrame:
    """Monthly statuses back from month 0 to the credit's first month: "C" once closed,
    "X" when unknown (often the oldest months), "0" on time, "1".."5" for DPD buckets."""
    stats = load_stats()["bureau"]["balance"]
    n = len(bureau_ids)
    has = rng.random(n) < BUREAU_BALANCE_SHARE
    first_month = np.maximum(_months(days_credit), OLDEST_MONTH)
    counts = np.where(has, 1 - first_month, 0)
    parent = np.repeat(np.arange(n), counts)
    month = -_positions(counts)
    rows = len(parent)

    closed_month = np.where(np.isnan(fact), 1, _months(np.nan_to_num(fact)))
    mix = rng.random(n)
    unknown_share = np.where(mix < 0.45, 0.0, np.where(mix < 0.62, 1.0, rng.random(n)))
    unknown_before = first_month + np.floor(unknown_share * counts).astype(np.int64)

    late_levels = Law(stats["late_levels"])
    late = _shifted(rng, 0.04, DPD_EFFECT * hb[parent])
    status = np.full(rows, "0", dtype=object)
    status[late] = late_levels.sample(rng, int(late.sum()))
    status[month < unknown_before[parent]] = "X"
    status[month > closed_month[parent]] = "C"
    return pd.DataFrame(
        {"SK_ID_BUREAU": bureau_ids[parent], "MONTHS_BALANCE": month, "STATUS": status}
    )


# ----------------------------------------------------------------- previous applications
_PREVIOUS_RULED = {
    "SK_ID_PREV",
    "SK_ID_CURR",
    "NAME_CONTRACT_TYPE",
    "NAME_CONTRACT_STATUS",
    "AMT_ANNUITY",
    "AMT_APPLICATION",
    "AMT_CREDIT",
    "AMT_DOWN_PAYMENT",
    "AMT_GOODS_PRICE",
    "RATE_DOWN_PAYMENT",
    "CNT_PAYMENT",
    "DAYS_DECISION",
    "DAYS_FIRST_DRAWING",
    "DAYS_FIRST_DUE",
    "DAYS_LAST_DUE_1ST_VERSION",
    "DAYS_LAST_DUE",
    "DAYS_TERMINATION",
}


@cache
def _stratum_laws(key: str) -> Laws:
    return Laws(load_stats()["previous_application"]["strata"][key]["columns"])


def _stratum_key(contract_type: str, status: str) -> str:
    strata = load_stats()["previous_application"]["strata"]
    for key in (f"{contract_type}|{status}", f"Cash loans|{status}", "Cash loans|Canceled"):
        if key in strata:
            return key
    raise KeyError(status)


def _statuses(rng: np.random.Generator, contract: np.ndarray, hp: np.ndarray) -> np.ndarray:
    """Contract status per type; riskier clients are refused more often."""
    by_type = load_stats()["previous_application"]["status_by_type"]
    status = np.full(len(contract), "Canceled", dtype=object)
    for contract_type, spec in by_type.items():
        rows = np.flatnonzero(contract == contract_type)
        law = Law(spec)
        refused_rate = law.probability_of("Refused")
        refused = _shifted(rng, refused_rate, REFUSAL_EFFECT * hp[rows])
        others = [i for i, level in enumerate(law.levels) if level != "Refused"]
        probs = np.diff(np.concatenate([[0.0], law.cum]))[others]
        other = Law(
            {"kind": "categorical", "levels": list(law.levels[others]), "probs": list(probs)}
        )
        status[rows] = np.where(refused, "Refused", other.sample(rng, len(rows)))
    return status


def previous_table(
    rng: np.random.Generator,
    ids: np.ndarray,
    h: np.ndarray,
    counts: np.ndarray,
    prev_ids: np.ndarray,
) -> pd.DataFrame:
    law = _laws("previous_application")
    owner = np.repeat(np.arange(len(ids)), counts)
    n = len(owner)
    hp = h[owner]
    contract = law["NAME_CONTRACT_TYPE"].sample(rng, n)
    status = _statuses(rng, contract, hp)
    keys = np.empty(n, dtype=object)
    for contract_type in _levels(contract):
        for level in _levels(status):
            keys[(contract == contract_type) & (status == level)] = _stratum_key(
                contract_type, level
            )

    columns: dict[str, np.ndarray] = {}
    for column in schema.PREVIOUS_APPLICATION.columns:
        if column.name not in _PREVIOUS_RULED:
            columns[column.name] = np.full(
                n, np.nan, dtype=object if column.kind == schema.STR else float
            )
    for name in (
        "AMT_APPLICATION",
        "AMT_CREDIT",
        "AMT_GOODS_PRICE",
        "AMT_DOWN_PAYMENT",
        "RATE_DOWN_PAYMENT",
        "CNT_PAYMENT",
        "AMT_ANNUITY",
    ):
        columns[name] = np.full(n, np.nan)
    first_due_offset = np.full(n, 30.0)
    termination_offset = np.zeros(n)

    for key in _levels(keys):
        rows = np.flatnonzero(keys == key)
        m = len(rows)
        s_law = _stratum_laws(key)
        for name in list(columns):
            if name in _PREVIOUS_RULED:
                continue
            if name in s_law:
                values = _sample(s_law[name], rng, m)
            else:
                values = np.full(m, np.nan)
            columns[name][rows] = values
        application = np.nan_to_num(s_law["AMT_APPLICATION"].sample(rng, m))
        ratio = (
            s_law["CREDIT_TO_APPLICATION"].sample(rng, m)
            if "CREDIT_TO_APPLICATION" in s_law
            else np.ones(m)
        )
        credit_law = s_law["AMT_CREDIT"]
        zero_credit = credit_law.probability_of(0.0)
        zero_application = max(s_law["AMT_APPLICATION"].probability_of(0.0), 1e-9)
        credit_if_zero = np.where(
            rng.random(m) < min(zero_credit / zero_application, 1.0),
            0.0,
            credit_law.from_uniform(zero_credit + rng.random(m) * (1 - zero_credit)),
        )
        credit = np.where(application > 0, np.round(application * ratio * 2) / 2, credit_if_zero)
        goods = np.where(application > 0, application, np.nan)
        if "DOWN_PAYMENT_SHARE" in s_law:
            share = s_law["DOWN_PAYMENT_SHARE"].sample(rng, m)
            down_missing = (
                rng.random(m) < s_law["AMT_DOWN_PAYMENT"].missing
                if "AMT_DOWN_PAYMENT" in s_law
                else True
            )
            down = np.where(down_missing, np.nan, np.round(goods * share, 2))
        else:
            down = np.full(m, np.nan)
        payments = s_law["CNT_PAYMENT"] if "CNT_PAYMENT" in s_law else None
        if payments is None:
            cnt = np.full(m, np.nan)
        else:
            extra_missing = max((payments.missing - zero_application) / (1 - zero_application), 0.0)
            cnt = np.where(
                (credit == 0) | (rng.random(m) < extra_missing), np.nan, payments.sample(rng, m)
            )
        yield_group = columns["NAME_YIELD_GROUP"][rows]
        yearly = np.full(m, 0.3)
        for group, rate in YEARLY_RATE.items():
            yearly[yield_group == group] = rate
        monthly = yearly / 12
        with np.errstate(divide="ignore", invalid="ignore"):
            amortised = credit * monthly / (1 - (1 + monthly) ** -np.where(cnt > 0, cnt, 1))
        annuity = np.where(np.isnan(cnt), np.nan, np.where(cnt > 0, amortised, 0.05 * credit))
        columns["AMT_APPLICATION"][rows] = application
        columns["AMT_CREDIT"][rows] = credit
        columns["AMT_GOODS_PRICE"][rows] = goods
        columns["AMT_DOWN_PAYMENT"][rows] = down
        columns["RATE_DOWN_PAYMENT"][rows] = np.where(
            np.isnan(down), np.nan, down / np.where(goods > 0, goods, np.nan)
        )
        columns["CNT_PAYMENT"][rows] = cnt
        columns["AMT_ANNUITY"][rows] = np.round(annuity, 3)
        if "FIRST_DUE_AFTER_DECISION" in s_law:
            first_due_offset[rows] = s_law["FIRST_DUE_AFTER_DECISION"].sample(rng, m)
        if "TERMINATION_AFTER_LAST_DUE" in s_law:
            termination_offset[rows] = (
                s_law["TERMINATION_AFTER_LAST_DUE"].sample(rng, m).clip(0, None)
            )

    decision = law["DAYS_DECISION"].sample(rng, n)
    # Cards stay open for years: approved card decisions lie further back than others.
    cards = (contract == "Revolving loans") & (status == "Approved")
    decision = np.where(cards, -np.ceil(rng.random(n) ** 1.2 * 2920), decision)
    dates = _previous_dates(
        rng,
        contract,
        status,
        decision,
        columns["CNT_PAYMENT"],
        first_due_offset,
        termination_offset,
    )
    frame = pd.DataFrame(
        {
            "SK_ID_PREV": prev_ids,
            "SK_ID_CURR": ids[owner],
            "NAME_CONTRACT_TYPE": contract,
            "NAME_CONTRACT_STATUS": status,
            "DAYS_DECISION": decision.astype(np.int64),
            **columns,
            **dates,
        }
    )
    for name in ("HOUR_APPR_PROCESS_START", "NFLAG_LAST_APPL_IN_DAY", "SELLERPLACE_AREA"):
        frame[name] = np.nan_to_num(frame[name].astype(float)).astype(np.int64)
    return frame[schema.PREVIOUS_APPLICATION.column_names]


def _previous_dates(
    rng: np.random.Generator,
    contract: np.ndarray,
    status: np.ndarray,
    decision: np.ndarray,
    cnt: np.ndarray,
    first_due_offset: np.ndarray,
    termination_offset: np.ndarray,
) -> dict[str, np.ndarray]:
    """Due dates of approved loans: first due about a month after the decision, one
    instalment every 30 days, some paid off early; 365243 = not (yet) set."""
    n = len(decision)
    approved = status == "Approved"
    revolving = contract == "Revolving loans"
    instalments = np.nan_to_num(cnt)
    drawn = np.where(revolving, rng.random(n) < 0.7, rng.random(n) < 0.97)
    first_due = np.where(drawn, decision + np.maximum(first_due_offset, 1), NOT_SET)
    first_drawing = np.where(
        revolving & drawn,
        decision + rng.integers(1, 30, n),
        np.where(rng.random(n) < 0.93, NOT_SET, decision + 1),
    )
    last_due_planned = np.where(
        revolving | ~drawn, NOT_SET, first_due + 30 * np.maximum(instalments - 1, 0)
    )
    due_so_far = np.clip(np.floor((-1 - first_due) / 30) + 1, 0, instalments)
    # Some loans are repaid early: the last paid instalment comes before the planned one.
    early = (rng.random(n) < 0.3) & (due_so_far > 1)
    paid_early = np.maximum(np.ceil(rng.random(n) * due_so_far), 1)
    last_instalment = np.where(early, paid_early, np.where(last_due_planned < 0, instalments, 0))
    last_due = np.where(last_instalment > 0, first_due + 30 * (last_instalment - 1), NOT_SET)
    card_closed = revolving & drawn & (rng.random(n) < 0.1)
    last_due = np.where(card_closed, np.round(first_due + rng.random(n) * (-first_due)), last_due)
    termination = np.where(
        (last_due < 0) & ~revolving, last_due + np.round(termination_offset), NOT_SET
    )
    out = {
        "DAYS_FIRST_DRAWING": first_drawing,
        "DAYS_FIRST_DUE": first_due,
        "DAYS_LAST_DUE_1ST_VERSION": last_due_planned,
        "DAYS_LAST_DUE": last_due,
        "DAYS_TERMINATION": termination,
    }
    return {name: np.where(approved, np.round(values), np.nan) for name, values in out.items()}


# ----------------------------------------------------------------------- monthly tables
def monthly_tables(
    rng: np.random.Generator, previous: pd.DataFrame, h_prev: np.ndarray
) -> dict[str, pd.DataFrame]:
    """POS_CASH_balance, installments_payments and credit_card_balance of the approved
    previous loans (same SK_ID_PREV and SK_ID_CURR as their previous_application row)."""
    approved = (previous["NAME_CONTRACT_STATUS"] == "Approved").to_numpy()
    revolving = (previous["NAME_CONTRACT_TYPE"] == "Revolving loans").to_numpy()
    first_due = previous["DAYS_FIRST_DUE"].to_numpy()
    instalment_loans = np.flatnonzero(approved & ~revolving & (first_due < 0))
    cards = np.flatnonzero(approved & revolving)
    loans = previous.iloc[instalment_loans]
    pos = _pos_cash(rng, loans, h_prev[instalment_loans])
    instalments = _instalments(rng, loans, h_prev[instalment_loans])
    card_rows, card_instalments = _credit_cards(rng, previous.iloc[cards], h_prev[cards])
    installments = pd.concat([instalments, card_instalments], ignore_index=True)
    return {
        "POS_CASH_balance": pos,
        "installments_payments": installments,
        "credit_card_balance": card_rows,
    }


def _loan_end(loans: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Day of the last paid instalment and whether the loan is over."""
    last_due = loans["DAYS_LAST_DUE"].to_numpy()
    finished = last_due < 0
    return np.where(finished, last_due, -1.0), finished


def _pos_cash(rng: np.random.Generator, loans: pd.DataFrame, hl: np.ndarray) -> pd.DataFrame:
    stats = load_stats()["POS_CASH_balance"]
    law = _laws("POS_CASH_balance")
    n = len(loans)
    has = rng.random(n) < POS_SHARE
    first_month = np.maximum(_months(loans["DAYS_DECISION"].to_numpy()), OLDEST_MONTH)
    end, finished = _loan_end(loans)
    last_month = np.minimum(np.where(finished, _months(end) + 1, -1), -1)
    counts = np.where(has, np.maximum(last_month - first_month + 1, 1), 0)
    parent = np.repeat(np.arange(n), counts)
    position = _positions(counts)
    month = first_month[parent] + position
    cnt = loans["CNT_PAYMENT"].to_numpy()[parent]
    first_due = loans["DAYS_FIRST_DUE"].to_numpy()[parent]
    due = np.clip(np.floor((month * DAYS_PER_MONTH - first_due) / 30) + 1, 0, cnt)
    last_row = position == counts[parent] - 1
    completed = last_row & finished[parent]
    future = np.where(completed, 0.0, cnt - due)
    status = np.full(len(parent), "Active", dtype=object)
    status[(position == 0) & (rng.random(len(parent)) < 0.08)] = "Signed"
    status[completed] = "Completed"
    late = _shifted(rng, 0.028, DPD_EFFECT * hl[parent]) & ~completed
    dpd = np.where(late, Law(stats["SK_DPD|positive"]).sample(rng, len(parent)), 0)
    dpd_def = np.where(rng.random(len(parent)) < stats["dpd_def_share_of_late"], dpd, 0)
    frame = pd.DataFrame(
        {
            "SK_ID_PREV": loans["SK_ID_PREV"].to_numpy()[parent],
            "SK_ID_CURR": loans["SK_ID_CURR"].to_numpy()[parent],
            "MONTHS_BALANCE": month,
            "CNT_INSTALMENT": cnt,
            "CNT_INSTALMENT_FUTURE": future,
            "NAME_CONTRACT_STATUS": status,
            "SK_DPD": dpd.astype(np.int64),
            "SK_DPD_DEF": dpd_def.astype(np.int64),
        }
    )
    missing = rng.random(len(frame)) < law["CNT_INSTALMENT"].missing
    frame.loc[missing, ["CNT_INSTALMENT", "CNT_INSTALMENT_FUTURE"]] = np.nan
    return frame


def _payments(
    rng: np.random.Generator, due_day: np.ndarray, amount: np.ndarray, hr: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Day and amount paid for each instalment: mostly a few days early, late and partial
    more often for riskier clients; instalments not paid yet stay empty."""
    stats = load_stats()["installments_payments"]
    n = len(due_day)
    late = _shifted(rng, stats["late_share"], LATE_EFFECT * hr)
    delay = np.where(
        late, Law(stats["DELAY|late"]).sample(rng, n), -Law(stats["EARLY|on_time"]).sample(rng, n)
    )
    entry = due_day + delay
    underpaid = _shifted(rng, stats["underpaid_share"], UNDERPAID_EFFECT * hr)
    paid = np.where(
        underpaid, np.round(amount * Law(stats["PAID_SHARE|underpaid"]).sample(rng, n), 3), amount
    )
    not_yet = entry > -1
    return np.where(not_yet, np.nan, entry), np.where(not_yet, np.nan, paid)


def _instalments(rng: np.random.Generator, loans: pd.DataFrame, hl: np.ndarray) -> pd.DataFrame:
    n = len(loans)
    first_due = loans["DAYS_FIRST_DUE"].to_numpy()
    cnt = np.nan_to_num(loans["CNT_PAYMENT"].to_numpy())
    end, finished = _loan_end(loans)
    counts = np.clip(np.floor((end - first_due) / 30) + 1, 0, np.maximum(cnt, 1)).astype(np.int64)
    parent = np.repeat(np.arange(n), counts)
    number = _positions(counts) + 1
    due_day = first_due[parent] + 30.0 * (number - 1)
    annuity = loans["AMT_ANNUITY"].to_numpy()[parent]
    # A loan repaid early ends with one larger instalment for what remained.
    payoff = finished[parent] & (number == counts[parent]) & (number < cnt[parent])
    amount = np.round(np.where(payoff, annuity * (cnt[parent] - number + 1) * 0.9, annuity), 3)
    version = np.where(rng.random(len(parent)) < 0.1, 2.0, 1.0)
    # Some instalments are paid in two goes: two rows for the same instalment.
    split = rng.random(len(parent)) < SPLIT_PAYMENT_SHARE
    rows = np.repeat(np.arange(len(parent)), 1 + split)
    second = np.concatenate([[False], rows[1:] == rows[:-1]])
    first_of_split = np.concatenate([second[1:], [False]])
    parent, number, due_day, amount, version = (
        a[rows] for a in (parent, number, due_day, amount, version)
    )
    entry, paid = _payments(rng, due_day, amount, hl[parent])
    part = np.round(rng.uniform(0.2, 0.8, len(rows)) * amount, 3)
    paid = np.where(first_of_split, part, paid)
    paid = np.where(second, np.round(amount - np.concatenate([[0.0], part[:-1]]), 3), paid)
    entry = np.where(first_of_split, entry - rng.integers(1, 20, len(rows)), entry)
    return pd.DataFrame(
        {
            "SK_ID_PREV": loans["SK_ID_PREV"].to_numpy()[parent],
            "SK_ID_CURR": loans["SK_ID_CURR"].to_numpy()[parent],
            "NUM_INSTALMENT_VERSION": version,
            "NUM_INSTALMENT_NUMBER": number.astype(np.int64),
            "DAYS_INSTALMENT": due_day,
            "DAYS_ENTRY_PAYMENT": entry,
            "AMT_INSTALMENT": amount,
            "AMT_PAYMENT": paid,
        }
    )


def _credit_cards(
    rng: np.random.Generator, cards: pd.DataFrame, hc: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly card balances from the decision month on: about half the cards are used;
    riskier clients use more of their limit and miss minimum payments more often."""
    stats = load_stats()["credit_card_balance"]
    law = _laws("credit_card_balance")
    n = len(cards)
    first_month = np.maximum(_months(cards["DAYS_DECISION"].to_numpy()), OLDEST_MONTH)
    last_due = cards["DAYS_LAST_DUE"].to_numpy()
    closed = last_due < 0
    last_month = np.where(closed, np.minimum(_months(np.where(closed, last_due, -1)), -1), -1)
    counts = np.maximum(last_month - first_month + 1, 1)
    parent = np.repeat(np.arange(n), counts)
    position = _positions(counts)
    rows = len(parent)
    month = first_month[parent] + position

    credit = cards["AMT_CREDIT"].to_numpy()
    limit_law = Law(stats["AMT_CREDIT_LIMIT_ACTUAL|positive"])
    limit = np.where(credit > 0, credit, limit_law.sample(rng, n))
    drawn = cards["DAYS_FIRST_DUE"].to_numpy() < 0
    used = drawn & _shifted(rng, min(stats["used_share"] / 0.6, 0.95), CARD_UTILISATION_EFFECT * hc)
    utilisation_law = Law(stats["UTILISATION|used"])
    utilisation = utilisation_law.from_normal(
        CARD_UTILISATION_EFFECT * hc
        + np.sqrt(1 - CARD_UTILISATION_EFFECT**2) * rng.standard_normal(n)
    )
    active_month = used[parent] & (rng.random(rows) < 0.95)
    balance = np.where(
        active_month,
        np.round(limit[parent] * utilisation[parent] * rng.uniform(0.7, 1.1, rows), 3),
        0.0,
    )
    drawing_month = active_month & (rng.random(rows) < 0.45)
    drawings = np.where(drawing_month, np.round(balance * rng.uniform(0.05, 0.4, rows), 2), 0.0)
    atm = drawing_month & (rng.random(rows) < 0.5)
    atm_amount = np.where(atm, np.maximum(np.round(drawings / 4500), 1) * 4500, 0.0)
    pos_amount = np.where(atm, 0.0, drawings)
    drawings = atm_amount + pos_amount
    atm_count = np.where(atm, np.maximum(atm_amount / 4500, 1), 0).astype(float)
    pos_count = np.where(drawing_month & ~atm, 1 + rng.poisson(2.0, rows), 0).astype(float)
    minimum = np.round(balance * 0.05, 3)
    late = active_month & _shifted(rng, 0.035, DPD_EFFECT * hc[parent])
    factor = np.where(late, rng.uniform(0.0, 0.9, rows), rng.uniform(1.0, 3.0, rows))
    payment = np.where(active_month, np.round(minimum * factor, 3), 0.0)
    dpd = np.where(late, Law(stats["SK_DPD|positive"]).sample(rng, rows), 0)
    status = np.full(rows, "Active", dtype=object)
    status[(position == counts[parent] - 1) & closed[parent]] = "Completed"
    mature = _group_cumsum((payment > 0).astype(np.int64), counts)
    # Detail columns are empty in months without any drawing detail, as in the real data.
    no_detail = (~drawing_month) & (
        rng.random(rows) < law["AMT_DRAWINGS_ATM_CURRENT"].missing / 0.75
    )
    payment_missing = (payment == 0) & (rng.random(rows) < law["AMT_PAYMENT_CURRENT"].missing / 0.6)
    frame = pd.DataFrame(
        {
            "SK_ID_PREV": cards["SK_ID_PREV"].to_numpy()[parent],
            "SK_ID_CURR": cards["SK_ID_CURR"].to_numpy()[parent],
            "MONTHS_BALANCE": month,
            "AMT_BALANCE": balance,
            "AMT_CREDIT_LIMIT_ACTUAL": limit[parent].astype(np.int64),
            "AMT_DRAWINGS_ATM_CURRENT": np.where(no_detail, np.nan, atm_amount),
            "AMT_DRAWINGS_CURRENT": drawings,
            "AMT_DRAWINGS_OTHER_CURRENT": np.where(no_detail, np.nan, 0.0),
            "AMT_DRAWINGS_POS_CURRENT": np.where(no_detail, np.nan, pos_amount),
            "AMT_INST_MIN_REGULARITY": minimum,
            "AMT_PAYMENT_CURRENT": np.where(payment_missing, np.nan, payment),
            "AMT_PAYMENT_TOTAL_CURRENT": payment,
            "AMT_RECEIVABLE_PRINCIPAL": np.round(balance * 0.95, 3),
            "AMT_RECIVABLE": balance,
            "AMT_TOTAL_RECEIVABLE": balance,
            "CNT_DRAWINGS_ATM_CURRENT": np.where(no_detail, np.nan, atm_count),
            "CNT_DRAWINGS_CURRENT": (atm_count + pos_count).astype(np.int64),
            "CNT_DRAWINGS_OTHER_CURRENT": np.where(no_detail, np.nan, 0.0),
            "CNT_DRAWINGS_POS_CURRENT": np.where(no_detail, np.nan, pos_count),
            "CNT_INSTALMENT_MATURE_CUM": mature.astype(float),
            "NAME_CONTRACT_STATUS": status,
            "SK_DPD": dpd.astype(np.int64),
            "SK_DPD_DEF": np.where(dpd > 30, dpd, 0).astype(np.int64),
        }
    )
    # Card instalments: one per month with a balance (NUM_INSTALMENT_VERSION 0).
    pay_rows = np.flatnonzero(active_month)
    due_day = np.round(month[pay_rows] * DAYS_PER_MONTH + 25.0)
    amount = np.maximum(minimum[pay_rows], 0.0)
    entry = due_day - rng.integers(0, 15, len(pay_rows))
    instalments = pd.DataFrame(
        {
            "SK_ID_PREV": frame["SK_ID_PREV"].to_numpy()[pay_rows],
            "SK_ID_CURR": frame["SK_ID_CURR"].to_numpy()[pay_rows],
            "NUM_INSTALMENT_VERSION": 0.0,
            "NUM_INSTALMENT_NUMBER": mature[pay_rows].astype(np.int64),
            "DAYS_INSTALMENT": due_day,
            "DAYS_ENTRY_PAYMENT": np.minimum(entry, -1.0),
            "AMT_INSTALMENT": amount,
            "AMT_PAYMENT": payment[pay_rows],
        }
    )
    return frame, instalments
