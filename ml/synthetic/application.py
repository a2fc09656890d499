"""Synthetic application rows (application_train / application_test).

Most columns come out of one Gaussian copula whose correlation matrix is the real
rank correlation between the columns (from the statistics), extended by one more
variable, the latent factor `z_app`, with loadings set from each column's real AUC.
A few columns are computed from others so that a reader sees no contradiction:
amounts (credit = goods price x ratio, annuity = credit x payment rate),
employment (pensioners carry the DAYS_EMPLOYED sentinel, "XNA" organisation and
no occupation), family size, car age, the building block.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ml import schema
from ml.synthetic import latent
from ml.synthetic.marginals import Law, Laws, load_stats, nan_where

SENTINEL = schema.DAYS_EMPLOYED_SENTINEL
DAYS_PER_YEAR = 365.25
MIN_WORKING_AGE_DAYS = int(18 * DAYS_PER_YEAR)
MIN_ID_AGE_DAYS = int(14 * DAYS_PER_YEAR)
MAX_LOADING = 0.95
BUREAU_REQUESTS = tuple(
    f"AMT_REQ_CREDIT_BUREAU_{period}" for period in ("HOUR", "DAY", "WEEK", "MON", "QRT", "YEAR")
)
SOCIAL_CIRCLE = (
    "OBS_30_CNT_SOCIAL_CIRCLE",
    "DEF_30_CNT_SOCIAL_CIRCLE",
    "OBS_60_CNT_SOCIAL_CIRCLE",
    "DEF_60_CNT_SOCIAL_CIRCLE",
)
BUILDING_TEXT = (
    "FONDKAPREMONT_MODE",
    "HOUSETYPE_MODE",
    "WALLSMATERIAL_MODE",
    "EMERGENCYSTATE_MODE",
)
# Columns whose missing share is produced by a rule, not by an independent draw.
RULED_MISSING = {
    "OWN_CAR_AGE",
    "OCCUPATION_TYPE",
    "AMT_GOODS_PRICE",
    *BUREAU_REQUESTS,
    *SOCIAL_CIRCLE,
}


@dataclass(frozen=True)
class CopulaModel:
    columns: list[str]
    loadings: np.ndarray  # correlation of each column's normal score with z_app
    factor: np.ndarray  # residual covariance = factor @ factor.T


@cache
def laws() -> Laws:
    stats = load_stats()["application"]
    return Laws({**stats["columns"], **stats["derived"]})


@cache
def copula_model() -> CopulaModel:
    stats = load_stats()["application"]
    columns = stats["copula"]["columns"]
    k = len(columns)
    corr = np.eye(k)
    lower = np.asarray(stats["copula"]["corr_lower"], dtype=float)
    rows, cols = np.tril_indices(k, -1)
    corr[rows, cols] = lower
    corr[cols, rows] = lower
    loadings = np.zeros(k)
    for i, name in enumerate(columns):
        auc = stats["columns"].get(name, stats["derived"].get(name, {})).get("auc")
        if auc is None:
            continue
        law = laws()[name] if name in stats["columns"] else laws()[f"{name}|Cash loans"]
        loadings[i] = np.clip(
            latent.correlation_for_auc(law, auc) / latent.W_APP, -MAX_LOADING, MAX_LOADING
        )
    # What the columns share beyond z_app; made positive semi-definite (pairwise
    # correlations of a sample need not be) with the variances kept exact.
    residual = corr - np.outer(loadings, loadings)
    values, vectors = np.linalg.eigh(residual)
    residual = (vectors * np.maximum(values, 1e-4)) @ vectors.T
    scale = np.sqrt((1 - loadings**2) / np.diag(residual))
    residual = residual * np.outer(scale, scale)
    values, vectors = np.linalg.eigh(residual)
    factor = vectors * np.sqrt(np.maximum(values, 0.0))
    return CopulaModel(columns=columns, loadings=loadings, factor=factor)


def _copula_scores(rng: np.random.Generator, z_app: np.ndarray) -> dict[str, np.ndarray]:
    model = copula_model()
    noise = rng.standard_normal((len(z_app), len(model.columns)))
    scores = noise @ model.factor.T + np.outer(z_app, model.loadings)
    return {name: scores[:, i] for i, name in enumerate(model.columns)}


def generate_applications(
    rng: np.random.Generator, n: int
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Application columns (without SK_ID_CURR) for n clients, TARGET included, and
    the clients' two latent factors (z_app, z_hist)."""
    stats = load_stats()["application"]
    law = laws()
    z_app = rng.standard_normal(n)
    z_hist = rng.standard_normal(n)
    scores = _copula_scores(rng, z_app)
    out: dict[str, np.ndarray] = {}

    for name, score in scores.items():
        if name in law and name not in stats["derived"]:
            out[name] = law[name].from_normal(score)

    # Independent missing values (EXT_SOURCE_1 ~56%, EXT_SOURCE_3 ~20%, ...).
    for column in schema.APPLICATION.columns:
        name = column.name
        if name in out and name not in RULED_MISSING and column.kind != schema.INT:
            spec = stats["columns"][name]
            if spec.get("employed_only") or _is_building(name):
                continue
            if spec["missing"] > 0:
                out[name] = nan_where(out[name], rng.random(n) < spec["missing"])

    _employment(rng, out, law, stats)
    _amounts(rng, out, law, scores)
    _family_and_car(out, stats)
    _building(rng, out, law, stats, scores)
    _grouped_missing(rng, out, stats)

    out["DAYS_REGISTRATION"] = np.maximum(out["DAYS_REGISTRATION"], out["DAYS_BIRTH"].astype(float))
    out["DAYS_ID_PUBLISH"] = np.maximum(out["DAYS_ID_PUBLISH"], out["DAYS_BIRTH"] + MIN_ID_AGE_DAYS)
    out["TARGET"] = latent.draw_target(rng, latent.W_APP * z_app + latent.W_HIST * z_hist)
    return out, z_app, z_hist


def _levels(values: np.ndarray) -> list:
    """Distinct values of a text column, sorted (hashing: np.unique sorts Python strings)."""
    return sorted(pd.unique(values))


def _is_building(name: str) -> bool:
    return name.endswith(("_AVG", "_MODE", "_MEDI"))


def _employment(rng: np.random.Generator, out: dict, law: Laws, stats: dict) -> None:
    """Pensioners and the unemployed (about 18%, mostly over 55) carry the sentinel."""
    n = len(out["DAYS_BIRTH"])
    age = np.clip((-out["DAYS_BIRTH"] / DAYS_PER_YEAR).astype(int), 20, 69)
    by_age = stats["not_employed_rate_by_age"]
    rate = np.asarray(by_age["rate"])[age - by_age["ages"][0]]
    not_employed = rng.random(n) < rate
    other = Law({"kind": "categorical", **stats["not_employed_income_types"]})
    income_type = out["NAME_INCOME_TYPE"].copy()
    income_type[not_employed] = other.sample(rng, int(not_employed.sum()))
    out["NAME_INCOME_TYPE"] = income_type

    # An employment cannot have started before the age of 18.
    longest = np.maximum(-out["DAYS_BIRTH"] - MIN_WORKING_AGE_DAYS, 30)
    worked = np.minimum(-out["DAYS_EMPLOYED"], longest * rng.uniform(0.6, 1.0, n))
    out["DAYS_EMPLOYED"] = np.where(not_employed, SENTINEL, -np.round(worked)).astype(np.int64)

    organisation = out["ORGANIZATION_TYPE"].copy()
    organisation[not_employed] = "XNA"
    out["ORGANIZATION_TYPE"] = organisation
    occupation_missing = not_employed | (rng.random(n) < law["OCCUPATION_TYPE"].missing)
    out["OCCUPATION_TYPE"] = nan_where(out["OCCUPATION_TYPE"], occupation_missing)
    out["FLAG_EMP_PHONE"] = (~not_employed).astype(np.int64)


def _amounts(rng: np.random.Generator, out: dict, law: Laws, scores: dict) -> None:
    """Credit = goods price x (1 + insurance and fees); annuity = credit x payment rate,
    with a term between 6 and 60 months."""
    contract = out["NAME_CONTRACT_TYPE"]
    goods = out["AMT_GOODS_PRICE"]
    credit = np.empty_like(goods)
    annuity = np.empty_like(goods)
    for contract_type in _levels(contract):
        rows = contract == contract_type
        ratio = law[f"CREDIT_TO_GOODS|{contract_type}"].from_normal(scores["CREDIT_TO_GOODS"][rows])
        credit[rows] = goods[rows] * np.maximum(
            ratio, 1.0 if contract_type == "Cash loans" else 0.5
        )
        rate = law[f"ANNUITY_TO_CREDIT|{contract_type}"].from_normal(
            scores["ANNUITY_TO_CREDIT"][rows]
        )
        annuity[rows] = credit[rows] * np.clip(rate, 1 / 60, 1 / 6)
    out["AMT_CREDIT"] = law["AMT_CREDIT"].round(credit)
    out["AMT_ANNUITY"] = law["AMT_ANNUITY"].round(annuity)
    out["AMT_ANNUITY"] = nan_where(
        out["AMT_ANNUITY"], rng.random(len(goods)) < law["AMT_ANNUITY"].missing
    )
    # A few revolving loans have no goods price in the real data.
    revolving = contract == "Revolving loans"
    share = law["AMT_GOODS_PRICE"].missing / max(float(revolving.mean()), 1e-9)
    out["AMT_GOODS_PRICE"] = nan_where(goods, revolving & (rng.random(len(goods)) < share))


def _family_and_car(out: dict, stats: dict) -> None:
    two_adults = stats["two_adults_by_family_status"]
    status = out["NAME_FAMILY_STATUS"]
    adults = np.ones(len(status))
    for level, share in two_adults.items():
        adults[status == level] += round(share)
    out["CNT_FAM_MEMBERS"] = out["CNT_CHILDREN"] + adults
    out["OWN_CAR_AGE"] = np.where(out["FLAG_OWN_CAR"] == "Y", out["OWN_CAR_AGE"], np.nan)


def _building(rng: np.random.Generator, out: dict, law: Laws, stats: dict, scores: dict) -> None:
    """The building block: present together for about half the clients, each attribute
    then missing a little more often; *_MODE and *_MEDI follow *_AVG closely."""
    n = len(out["DAYS_BIRTH"])
    names = [c.name for c in schema.APPLICATION.columns if _is_building(c.name)]
    block_missing = min(stats["columns"][name]["missing"] for name in names)
    absent = rng.random(n) < block_missing
    for base, twins in stats["building_twins"].items():
        avg = f"{base}_AVG"
        extra = (law[avg].missing - block_missing) / (1 - block_missing)
        missing = absent | (rng.random(n) < extra)
        out[avg] = nan_where(out[avg], missing)
        for suffix, corr in twins.items():
            score = corr * scores[avg] + np.sqrt(max(1 - corr * corr, 0.0)) * rng.standard_normal(n)
            out[f"{base}_{suffix}"] = nan_where(law[f"{base}_{suffix}"].from_normal(score), missing)
    for name in ("TOTALAREA_MODE", *BUILDING_TEXT):
        extra = (law[name].missing - block_missing) / (1 - block_missing)
        out[name] = nan_where(out[name], absent | (rng.random(n) < extra))


def _grouped_missing(rng: np.random.Generator, out: dict, stats: dict) -> None:
    """Columns that the real data leaves empty together."""
    n = len(out["DAYS_BIRTH"])
    for group in (BUREAU_REQUESTS, SOCIAL_CIRCLE):
        missing = rng.random(n) < stats["columns"][group[0]]["missing"]
        for name in group:
            out[name] = nan_where(out[name], missing)
    # A person's defaulted acquaintances are among those observed.
    for days in ("30", "60"):
        observed = out[f"OBS_{days}_CNT_SOCIAL_CIRCLE"]
        out[f"DEF_{days}_CNT_SOCIAL_CIRCLE"] = np.fmin(
            out[f"DEF_{days}_CNT_SOCIAL_CIRCLE"], observed
        )


def application_frame(
    ids: np.ndarray, columns: dict[str, np.ndarray], *, with_target: bool
) -> pd.DataFrame:
    """A DataFrame in the Kaggle column order and kinds (INT as int64, FLOAT as float64)."""
    data: dict[str, np.ndarray] = {"SK_ID_CURR": ids.astype(np.int64)}
    for column in schema.APPLICATION.columns[1:]:
        if column.name == "TARGET" and not with_target:
            continue
        values = columns[column.name]
        if column.kind == schema.INT:
            values = np.asarray(values, dtype=np.int64)
        elif column.kind == schema.FLOAT:
            values = np.asarray(values, dtype=np.float64)
        else:
            values = np.asarray(values, dtype=object)
        data[column.name] = values
    return pd.DataFrame(data)
