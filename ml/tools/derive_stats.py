"""Derive `ml/data/homecredit_stats.json` from the real Home Credit samples.

Run by hand, never at run time (the generator only reads the committed JSON):

    .venv/bin/python -m ml.tools.derive_stats [--samples ../shared/data/homecredit] [--out PATH]

What it keeps is statistics, never rows: per column the missing rate and either
value frequencies (text columns and numbers with few distinct values) or a
quantile function (107 quantiles, denser in the tails, plus the exact
probability span of every value held by at least 0.5% of the rows, so that
"0.0" or "135000.0" come out as often as in the real files). Extreme tails are
cut at the 0.05% / 99.95% quantiles: no single real outlier is stored.

For the application table it also keeps, per column, the univariate AUC against
TARGET (the strength and direction of the real signal) and the rank
correlations between columns (Gaussian copula), from which the generator
rebuilds joint behaviour with a latent risk of its own.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtri
from sklearn.metrics import roc_auc_score

from ml import schema

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SAMPLES = REPO.parent / "shared" / "data" / "homecredit"
DEFAULT_OUT = REPO / "ml" / "data" / "homecredit_stats.json"

APPLICATION_FILE = "gitadum__credit_risk_rating/application_train.csv.gz"
HISTORY_DIRS = (
    "samurad2000__BDA-project_work",
    "YouOnMoon__OPENCLASSROOMS-DS-7-Implementez_un_modele_de_scoring",
)
PREVIOUS_DIRS = (
    "YouOnMoon__OPENCLASSROOMS-DS-7-Implementez_un_modele_de_scoring",
    "lia-git__credit_predict",
)

# Probabilities at which quantiles are kept: every percent, denser in the tails.
QUANTILE_P = np.unique(
    np.concatenate(
        [
            [0.0005, 0.001, 0.0025, 0.005],
            np.linspace(0.01, 0.99, 99),
            [0.995, 0.9975, 0.999, 0.9995],
        ]
    )
).round(6)
ATOM_MIN_SHARE = 0.005
DISCRETE_MAX_VALUES = 30
STEPS = (4500.0, 2250.0, 450.0, 225.0, 9.0, 4.5, 1.5, 1.0)
SENTINEL = schema.DAYS_EMPLOYED_SENTINEL

# Text columns whose levels are kept for employed clients only (pensioners and the
# unemployed get them from fixed rules: "XNA" organisation, no occupation).
EMPLOYED_ONLY = ("DAYS_EMPLOYED", "NAME_INCOME_TYPE", "ORGANIZATION_TYPE", "OCCUPATION_TYPE")
BUILDING_BASES = (
    "APARTMENTS",
    "BASEMENTAREA",
    "YEARS_BEGINEXPLUATATION",
    "YEARS_BUILD",
    "COMMONAREA",
    "ELEVATORS",
    "ENTRANCES",
    "FLOORSMAX",
    "FLOORSMIN",
    "LANDAREA",
    "LIVINGAPARTMENTS",
    "LIVINGAREA",
    "NONLIVINGAPARTMENTS",
    "NONLIVINGAREA",
)
# Application columns that the generator computes from others, kept out of the copula.
NOT_IN_COPULA = {
    "SK_ID_CURR",
    "TARGET",
    "AMT_CREDIT",
    "AMT_ANNUITY",
    "CNT_FAM_MEMBERS",
    "FLAG_EMP_PHONE",
} | {f"{base}_{suffix}" for base in BUILDING_BASES for suffix in ("MODE", "MEDI")}


def _decimals(values: np.ndarray) -> int | None:
    """Fewest decimals that reproduce 99% of the values (None: full precision)."""
    for d in range(9):
        if np.mean(np.abs(values - np.round(values, d)) < 1e-9) >= 0.99:
            return d
    return None


def _decimal_shares(values: np.ndarray, decimals: int | None) -> list[float] | None:
    """Share of values written with 0, 1, ... `decimals` decimals, for amounts where many
    are round ("225000.0") and others not ("52158.38"); None when nearly all use the same."""
    if not decimals or len(values) < 100:
        return None
    needed = np.full(len(values), decimals)
    for d in range(decimals - 1, -1, -1):
        needed[np.abs(values - np.round(values, d)) < 1e-9] = d
    shares = np.bincount(needed, minlength=decimals + 1) / len(values)
    if shares[0] < 0.2:
        return None
    return [round(float(x), 4) for x in shares]


def _step(values: np.ndarray) -> float | None:
    """Largest round step (4500, 2250, ... 1) that 98% of the values are multiples of."""
    if len(values) == 0 or np.abs(values).max() < 1000:
        return None
    for step in STEPS:
        rest = np.abs(values / step - np.round(values / step))
        if np.mean(rest < 1e-6) >= 0.98:
            return step
    return None


def _compact(value: float) -> float | int:
    """JSON stays small: integral values are written without ".0"."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def _round_list(values: np.ndarray, decimals: int | None) -> list[float | int]:
    if decimals is not None:
        return [_compact(v) for v in np.round(values, decimals)]
    return [_compact(float(f"{v:.7g}")) for v in values]


# A coarser grid for small strata (tens of rows): finer quantiles would only be noise.
COARSE_P = np.array([0.01, *np.linspace(0.05, 0.95, 19).round(2), 0.99])


def describe(series: pd.Series, quantile_p: np.ndarray = QUANTILE_P) -> dict:
    """The spec of one column: missing share and its distribution."""
    missing = float(series.isna().mean())
    present = series.dropna()
    spec: dict = {"missing": round(missing, 5)}
    if len(present) == 0:
        spec["kind"] = "empty"
        return spec
    if present.dtype == object:
        freq = present.value_counts(normalize=True)
        spec["kind"] = "categorical"
        spec["levels"] = [str(level) for level in freq.index]
        spec["probs"] = [round(float(p), 6) for p in freq.to_numpy()]
        return spec
    values = np.sort(present.to_numpy(dtype=float))
    decimals = _decimals(values)
    distinct, counts = np.unique(values, return_counts=True)
    if len(distinct) <= DISCRETE_MAX_VALUES:
        spec["kind"] = "discrete"
        spec["values"] = _round_list(distinct, decimals)
        spec["probs"] = [round(float(c) / len(values), 6) for c in counts]
        return spec
    n = len(values)
    spec["kind"] = "continuous"
    quantiles = np.quantile(values, quantile_p, method="inverted_cdf")
    spec["q"] = _round_list(quantiles, decimals)
    if quantile_p is not QUANTILE_P:
        spec["p"] = [float(p) for p in quantile_p]
    atoms = []
    for value, count in zip(distinct, counts, strict=True):
        if count / n >= ATOM_MIN_SHARE:
            lo = np.searchsorted(values, value, side="left") / n
            hi = np.searchsorted(values, value, side="right") / n
            atoms.append([_round_list(np.array([value]), decimals)[0], round(lo, 6), round(hi, 6)])
    if atoms:
        spec["atoms"] = atoms
    spec["decimals"] = decimals
    step = _step(values)
    if step is not None:
        spec["step"] = step
    elif np.median(np.abs(values)) >= 100:
        # Amounts: the frequent values (atoms) come out exact anyway; the others are
        # rounded like the real ones, many to whole units.
        frequent = np.isin(values, [atom[0] for atom in atoms])
        shares = _decimal_shares(values[~frequent], decimals)
        if shares is not None:
            spec["decimal_shares"] = shares
    return spec


def normal_scores(values: pd.Series) -> pd.Series:
    """Rank-based normal scores (mid-ranks for ties), NaN kept."""
    ranks = values.rank(method="average")
    count = values.notna().sum()
    return pd.Series(ndtri((ranks - 0.5) / count), index=values.index)


def _shrunk_level_risk(
    levels: pd.Series, target: pd.Series, prior_rows: float = 200.0
) -> dict[str, float]:
    """Default rate per level, shrunk toward the mean so small levels are not extreme."""
    mean = target.mean()
    grouped = target.groupby(levels).agg(["sum", "count"])
    return ((grouped["sum"] + prior_rows * mean) / (grouped["count"] + prior_rows)).to_dict()


def application_stats(frame: pd.DataFrame) -> dict:
    target = frame["TARGET"]
    employed = frame["DAYS_EMPLOYED"] != SENTINEL
    columns: dict[str, dict] = {}
    copula_scores: dict[str, pd.Series] = {}
    for column in schema.APPLICATION.columns:
        if column.name in ("SK_ID_CURR", "TARGET"):
            continue
        series = frame[column.name]
        if column.name in EMPLOYED_ONLY:
            # Kept for the employed only; NaN elsewhere so the copula ignores those rows.
            series = series.where(employed)
            spec = describe(series[employed])
            spec["employed_only"] = True
        else:
            spec = describe(series)
        if column.kind == schema.STR and spec["kind"] == "categorical":
            risk = _shrunk_level_risk(series, target)
            # Levels from safest to riskiest: a higher copula score picks a riskier level.
            order = sorted(range(len(spec["levels"])), key=lambda i: risk[spec["levels"][i]])
            spec["levels"] = [spec["levels"][i] for i in order]
            spec["probs"] = [spec["probs"][i] for i in order]
            spec["risk_ordered"] = True
            coded = series.map({level: rank for rank, level in enumerate(spec["levels"])})
            encoded = series.map(risk)
        else:
            coded = series
            encoded = series
        present = encoded.notna()
        if present.sum() > 100 and encoded[present].nunique() > 1:
            spec["auc"] = round(float(roc_auc_score(target[present], encoded[present])), 4)
        columns[column.name] = spec
        if column.name not in NOT_IN_COPULA:
            copula_scores[column.name] = normal_scores(coded.astype(float))

    # Amounts are generated from the goods price and two ratios whose law depends on
    # the contract type (revolving loans: credit = goods price, annuity = 5%).
    ratios = {
        "CREDIT_TO_GOODS": frame["AMT_CREDIT"] / frame["AMT_GOODS_PRICE"],
        "ANNUITY_TO_CREDIT": frame["AMT_ANNUITY"] / frame["AMT_CREDIT"],
    }
    derived: dict[str, dict] = {}
    for name, ratio in ratios.items():
        scores = pd.Series(np.nan, index=frame.index)
        for contract_type, rows in frame.groupby("NAME_CONTRACT_TYPE").groups.items():
            spec = describe(ratio.loc[rows])
            derived[f"{name}|{contract_type}"] = spec
            scores.loc[rows] = normal_scores(ratio.loc[rows])
        present = ratio.notna()
        columns_auc = float(roc_auc_score(target[present], ratio[present]))
        derived[name] = {"auc": round(columns_auc, 4)}
        copula_scores[name] = scores

    copula = pd.DataFrame(copula_scores)
    corr = copula.corr(min_periods=200).fillna(0.0).to_numpy()
    np.fill_diagonal(corr, 1.0)

    # Pensioners (and the unemployed) carry the DAYS_EMPLOYED sentinel: its share by age.
    age = (-frame["DAYS_BIRTH"] / 365.25).astype(int).clip(20, 69)
    by_age = (~employed).groupby(age).mean().reindex(range(20, 70)).interpolate().bfill().ffill()
    not_employed_types = frame.loc[~employed, "NAME_INCOME_TYPE"].value_counts(normalize=True)

    twins: dict[str, dict[str, float]] = {}
    for base in BUILDING_BASES:
        avg = normal_scores(frame[f"{base}_AVG"])
        twins[base] = {
            suffix: round(float(avg.corr(normal_scores(frame[f"{base}_{suffix}"]))), 4)
            for suffix in ("MODE", "MEDI")
        }

    extra = frame["CNT_FAM_MEMBERS"] - frame["CNT_CHILDREN"]
    two_adults = (extra >= 2).groupby(frame["NAME_FAMILY_STATUS"]).mean()

    return {
        "rows": len(frame),
        "default_rate": round(float(target.mean()), 5),
        "columns": columns,
        "derived": derived,
        "copula": {
            "columns": list(copula.columns),
            "corr_lower": [round(float(corr[i, j]), 3) for i in range(len(corr)) for j in range(i)],
        },
        "not_employed_rate_by_age": {
            "ages": list(range(20, 70)),
            "rate": [round(float(x), 4) for x in by_age],
        },
        "not_employed_income_types": {
            "levels": [str(x) for x in not_employed_types.index],
            "probs": [round(float(x), 5) for x in not_employed_types],
        },
        "building_twins": twins,
        "two_adults_by_family_status": {str(k): round(float(v), 4) for k, v in two_adults.items()},
    }


def _read_history(samples: Path, table: str, dirs: tuple[str, ...]) -> pd.DataFrame:
    frames = [
        pd.read_csv(samples / d / f"{table}.csv")
        for d in dirs
        if (samples / d / f"{table}.csv").exists()
    ]
    return pd.concat(frames, ignore_index=True)


def _table_columns(frame: pd.DataFrame, table: schema.Table) -> dict[str, dict]:
    return {
        c.name: describe(frame[c.name]) for c in table.columns if not c.name.startswith("SK_ID")
    }


def bureau_stats(bureau: pd.DataFrame, balance: pd.DataFrame) -> dict:
    active = bureau["CREDIT_ACTIVE"] == "Active"
    closed = bureau["CREDIT_ACTIVE"] == "Closed"
    duration = bureau["DAYS_CREDIT_ENDDATE"] - bureau["DAYS_CREDIT"]
    planned_end = bureau["DAYS_CREDIT_ENDDATE"].clip(upper=0).fillna(0)
    span = planned_end - bureau["DAYS_CREDIT"]
    fact_share = (
        (bureau["DAYS_ENDDATE_FACT"] - bureau["DAYS_CREDIT"]) / span.where(span > 0)
    ).clip(0, 1)
    debt = bureau["AMT_CREDIT_SUM_DEBT"]
    debt_share = (debt / bureau["AMT_CREDIT_SUM"].where(bureau["AMT_CREDIT_SUM"] > 0)).clip(0, 1.5)
    edges = np.quantile(bureau["DAYS_CREDIT"], np.linspace(0, 1, 11))
    bins = np.clip(np.searchsorted(edges, bureau["DAYS_CREDIT"], side="right") - 1, 0, 9)
    status = balance["STATUS"]
    return {
        "rows": len(bureau),
        "columns": _table_columns(bureau, schema.BUREAU),
        "active_rate_by_days_credit": {
            "edges": [float(x) for x in edges],
            "rate": [round(float(x), 4) for x in active.groupby(bins).mean()],
        },
        "derived": {
            "DURATION|Active": describe(duration[active]),
            "DURATION|Closed": describe(duration[closed]),
            "FACT_SHARE|Closed": describe(fact_share[closed]),
            "UPDATE_AFTER_FACT|Closed": describe(
                (bureau["DAYS_CREDIT_UPDATE"] - bureau["DAYS_ENDDATE_FACT"])[closed]
            ),
            "DAYS_CREDIT_UPDATE|Active": describe(bureau["DAYS_CREDIT_UPDATE"][active]),
            "DEBT_SHARE|Active": describe(debt_share[active]),
            "AMT_CREDIT_SUM_DEBT|Closed": describe(debt[closed]),
            "AMT_CREDIT_SUM_LIMIT|Active": describe(bureau["AMT_CREDIT_SUM_LIMIT"][active]),
            "AMT_CREDIT_SUM_LIMIT|Closed": describe(bureau["AMT_CREDIT_SUM_LIMIT"][closed]),
            "AMT_CREDIT_MAX_OVERDUE|positive": describe(
                bureau["AMT_CREDIT_MAX_OVERDUE"][bureau["AMT_CREDIT_MAX_OVERDUE"] > 0]
            ),
            "AMT_CREDIT_SUM_OVERDUE|positive": describe(
                bureau["AMT_CREDIT_SUM_OVERDUE"][bureau["AMT_CREDIT_SUM_OVERDUE"] > 0]
            ),
            "CREDIT_DAY_OVERDUE|positive": describe(
                bureau["CREDIT_DAY_OVERDUE"][bureau["CREDIT_DAY_OVERDUE"] > 0]
            ),
            "AMT_CREDIT_SUM|Credit card": describe(
                bureau["AMT_CREDIT_SUM"][bureau["CREDIT_TYPE"] == "Credit card"]
            ),
            "AMT_CREDIT_SUM|other": describe(
                bureau["AMT_CREDIT_SUM"][bureau["CREDIT_TYPE"] != "Credit card"]
            ),
        },
        "balance": {
            "rows": len(balance),
            "columns": _table_columns(balance, schema.BUREAU_BALANCE),
            "late_levels": describe(status[status.isin(list("12345"))]),
        },
    }


PREVIOUS_STRATA_MIN_ROWS = 40


def previous_stats(previous: pd.DataFrame) -> dict:
    """Per (contract type, status) stratum: text levels and numeric laws."""
    by_type = previous.groupby("NAME_CONTRACT_TYPE")
    status_by_type = {
        str(t): describe(rows["NAME_CONTRACT_STATUS"])
        for t, rows in by_type
        if len(rows) >= PREVIOUS_STRATA_MIN_ROWS
    }
    application = previous["AMT_APPLICATION"]
    extras = {
        "CREDIT_TO_APPLICATION": previous["AMT_CREDIT"] / application.where(application > 0),
        "DOWN_PAYMENT_SHARE": previous["AMT_DOWN_PAYMENT"]
        / previous["AMT_GOODS_PRICE"].where(lambda s: s > 0),
        "FIRST_DUE_AFTER_DECISION": (previous["DAYS_FIRST_DUE"] - previous["DAYS_DECISION"]).where(
            previous["DAYS_FIRST_DUE"] < 0
        ),
        "TERMINATION_AFTER_LAST_DUE": (
            previous["DAYS_TERMINATION"] - previous["DAYS_LAST_DUE"]
        ).where(previous["DAYS_LAST_DUE"] < 0),
    }
    strata: dict[str, dict] = {}
    skip = {"SK_ID_PREV", "SK_ID_CURR", "NAME_CONTRACT_TYPE", "NAME_CONTRACT_STATUS"}
    for (contract_type, status), rows in previous.groupby(
        ["NAME_CONTRACT_TYPE", "NAME_CONTRACT_STATUS"]
    ):
        if len(rows) < 20:
            continue
        key = f"{contract_type}|{status}"
        spec = {
            c.name: describe(rows[c.name], COARSE_P)
            for c in schema.PREVIOUS_APPLICATION.columns
            if c.name not in skip
        }
        for name, series in extras.items():
            spec[name] = describe(series.loc[rows.index], COARSE_P)
        strata[key] = {"rows": len(rows), "columns": spec}
    return {
        "rows": len(previous),
        "columns": _table_columns(previous, schema.PREVIOUS_APPLICATION),
        "status_by_type": status_by_type,
        "strata": strata,
    }


def monthly_stats(pos: pd.DataFrame, installments: pd.DataFrame, cards: pd.DataFrame) -> dict:
    delay = installments["DAYS_ENTRY_PAYMENT"] - installments["DAYS_INSTALMENT"]
    limit = cards["AMT_CREDIT_LIMIT_ACTUAL"]
    used = cards["AMT_BALANCE"] > 0
    return {
        "POS_CASH_balance": {
            "rows": len(pos),
            "columns": _table_columns(pos, schema.POS_CASH_BALANCE),
            "SK_DPD|positive": describe(pos["SK_DPD"][pos["SK_DPD"] > 0]),
            "dpd_def_share_of_late": round(
                float((pos["SK_DPD_DEF"] > 0).sum() / max((pos["SK_DPD"] > 0).sum(), 1)), 4
            ),
        },
        "installments_payments": {
            "rows": len(installments),
            "columns": _table_columns(installments, schema.INSTALLMENTS_PAYMENTS),
            "late_share": round(float((delay > 0).mean()), 4),
            "DELAY|late": describe(delay[delay > 0]),
            "EARLY|on_time": describe(-delay[delay <= 0]),
            "underpaid_share": round(
                float((installments["AMT_PAYMENT"] < installments["AMT_INSTALMENT"] - 0.01).mean()),
                4,
            ),
            "PAID_SHARE|underpaid": describe(
                (installments["AMT_PAYMENT"] / installments["AMT_INSTALMENT"])[
                    installments["AMT_PAYMENT"] < installments["AMT_INSTALMENT"] - 0.01
                ]
            ),
        },
        "credit_card_balance": {
            "rows": len(cards),
            "columns": _table_columns(cards, schema.CREDIT_CARD_BALANCE),
            "used_share": round(float(used.mean()), 4),
            "UTILISATION|used": describe(
                (cards["AMT_BALANCE"] / limit.where(limit > 0))[used].clip(0, 2)
            ),
            "AMT_CREDIT_LIMIT_ACTUAL|positive": describe(limit[limit > 0]),
            "SK_DPD|positive": describe(cards["SK_DPD"][cards["SK_DPD"] > 0]),
        },
    }


def derive(samples: Path) -> dict:
    application = pd.read_csv(samples / APPLICATION_FILE)
    bureau = _read_history(samples, "bureau", HISTORY_DIRS)
    balance = _read_history(samples, "bureau_balance", HISTORY_DIRS)
    previous = _read_history(samples, "previous_application", PREVIOUS_DIRS)
    pos = _read_history(samples, "POS_CASH_balance", HISTORY_DIRS)
    installments = _read_history(samples, "installments_payments", HISTORY_DIRS)
    cards = _read_history(samples, "credit_card_balance", HISTORY_DIRS)
    return {
        "about": (
            "Statistics of the real Home Credit samples (no rows), "
            "written by ml/tools/derive_stats.py "
            f"from {APPLICATION_FILE}, {', '.join(HISTORY_DIRS)} and {', '.join(PREVIOUS_DIRS)}."
        ),
        "quantile_p": [float(p) for p in QUANTILE_P],
        "application": application_stats(application),
        "bureau": bureau_stats(bureau, balance),
        "previous_application": previous_stats(previous),
        **monthly_stats(pos, installments, cards),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    stats = derive(args.samples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(stats, separators=(",", ":")) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
