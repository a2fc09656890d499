"""Features of the application itself (one row per client, no aggregation).

What it computes, and why:

* Every raw application column except SK_ID_CURR and TARGET, under its Kaggle
  name: numeric columns as float64, text columns as object (str or NaN),
  levels passed through untouched so the model's encoder decides what to do
  with a level it never saw. Missing stays missing.
* `DAYS_EMPLOYED` = 365243 is Kaggle's code for "not employed" (pensioners,
  unemployed: about 18% of rows), not 1,000 years of future employment: it
  becomes NaN and `APP_NOT_EMPLOYED` keeps the information.
* The ratios that carried the strongest public solutions: credit / income,
  annuity / income, annuity / credit (payment rate) and its inverse the
  credit term, goods price / credit and the part of the credit not covered by
  the goods, income per family member, children per family member.
* Time: age in years, years employed, and the employment, registration,
  identity document and phone-change spans relative to age.
* The external scores EXT_SOURCE_1..3 (the strongest predictors of the
  competition): mean, min and max over the ones known (a missing score is
  left out, never counted as 0), their product (NaN unless all three are
  known) and how many are known. Every one of these moves the same way as
  each score, so the model can be made monotone in the raw scores
  (`ml.policy.MONOTONE_DIRECTIONS`); their spread (standard deviation) is
  deliberately not a feature: it rises or falls with one score depending on
  the others, so a model using it could score a client as riskier because
  one of their external scores improved.
* Counts of documents provided, of phone/e-mail contacts given, of address
  mismatches, of credit bureau enquiries; share of defaults in the social
  circle.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ml import schema
from ml.features.aggregate import Block, Catalog, Clients, numeric, ratio

TABLE = schema.APPLICATION.name
DAYS_PER_YEAR = 365.25

RAW_COLUMNS: tuple[str, ...] = tuple(
    column.name
    for column in schema.APPLICATION.columns
    if column.name not in ("SK_ID_CURR", "TARGET")
)
CATEGORICAL_COLUMNS: tuple[str, ...] = tuple(
    column.name
    for column in schema.APPLICATION.columns
    if column.kind == schema.STR and column.name in RAW_COLUMNS
)

EXT_SOURCES = ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")
DOCUMENT_FLAGS = tuple(f"FLAG_DOCUMENT_{n}" for n in range(2, 22))
CONTACT_FLAGS = (
    "FLAG_MOBIL",
    "FLAG_EMP_PHONE",
    "FLAG_WORK_PHONE",
    "FLAG_CONT_MOBILE",
    "FLAG_PHONE",
    "FLAG_EMAIL",
)
ADDRESS_MISMATCH_FLAGS = (
    "REG_REGION_NOT_LIVE_REGION",
    "REG_REGION_NOT_WORK_REGION",
    "LIVE_REGION_NOT_WORK_REGION",
    "REG_CITY_NOT_LIVE_CITY",
    "REG_CITY_NOT_WORK_CITY",
    "LIVE_CITY_NOT_WORK_CITY",
)
BUREAU_ENQUIRIES = tuple(
    f"AMT_REQ_CREDIT_BUREAU_{period}" for period in ("HOUR", "DAY", "WEEK", "MON", "QRT", "YEAR")
)

# ---------------------------------------------------------------------------
# Plain-English descriptions of the raw columns (own wording, after Kaggle's
# HomeCredit_columns_description.csv).
# ---------------------------------------------------------------------------

_RAW_DESCRIPTIONS: dict[str, str] = {
    "NAME_CONTRACT_TYPE": "Kind of loan applied for (cash or revolving)",
    "CODE_GENDER": "Gender of the client",
    "FLAG_OWN_CAR": "Client owns a car",
    "FLAG_OWN_REALTY": "Client owns a house or flat",
    "CNT_CHILDREN": "Number of children",
    "AMT_INCOME_TOTAL": "Income of the client",
    "AMT_CREDIT": "Amount of the credit applied for",
    "AMT_ANNUITY": "Annuity (periodic repayment) of the credit",
    "AMT_GOODS_PRICE": "Price of the goods the credit pays for",
    "NAME_TYPE_SUITE": "Who accompanied the client when applying",
    "NAME_INCOME_TYPE": "Kind of income (working, pensioner, ...)",
    "NAME_EDUCATION_TYPE": "Highest education level",
    "NAME_FAMILY_STATUS": "Family status",
    "NAME_HOUSING_TYPE": "Housing situation (owner, renting, with parents, ...)",
    "REGION_POPULATION_RELATIVE": "How populated the client's region is (normalised)",
    "DAYS_BIRTH": "Age in days (negative: days before the application)",
    "DAYS_EMPLOYED": "Days since the current employment started (unknown if not employed)",
    "DAYS_REGISTRATION": "Days since the client last changed their registration",
    "DAYS_ID_PUBLISH": "Days since the client changed the identity document used",
    "OWN_CAR_AGE": "Age of the client's car",
    "FLAG_MOBIL": "Client gave a mobile phone",
    "FLAG_EMP_PHONE": "Client gave a work phone",
    "FLAG_WORK_PHONE": "Client gave a home phone",
    "FLAG_CONT_MOBILE": "Client's mobile phone was reachable",
    "FLAG_PHONE": "Client gave a home phone",
    "FLAG_EMAIL": "Client gave an e-mail address",
    "OCCUPATION_TYPE": "Occupation of the client",
    "CNT_FAM_MEMBERS": "Number of family members",
    "REGION_RATING_CLIENT": "Home Credit's rating of the client's region (1-3)",
    "REGION_RATING_CLIENT_W_CITY": "Home Credit's rating of the client's region and city (1-3)",
    "WEEKDAY_APPR_PROCESS_START": "Day of the week of the application",
    "HOUR_APPR_PROCESS_START": "Hour of the application",
    "REG_REGION_NOT_LIVE_REGION": "Permanent and contact addresses in different regions",
    "REG_REGION_NOT_WORK_REGION": "Permanent and work addresses in different regions",
    "LIVE_REGION_NOT_WORK_REGION": "Contact and work addresses in different regions",
    "REG_CITY_NOT_LIVE_CITY": "Permanent and contact addresses in different cities",
    "REG_CITY_NOT_WORK_CITY": "Permanent and work addresses in different cities",
    "LIVE_CITY_NOT_WORK_CITY": "Contact and work addresses in different cities",
    "ORGANIZATION_TYPE": "Kind of organisation the client works for",
    "EXT_SOURCE_1": "External credit score 1 (normalised)",
    "EXT_SOURCE_2": "External credit score 2 (normalised)",
    "EXT_SOURCE_3": "External credit score 3 (normalised)",
    "FONDKAPREMONT_MODE": "Building: capital repairs fund",
    "HOUSETYPE_MODE": "Building: kind of house",
    "TOTALAREA_MODE": "Building: total area (normalised)",
    "WALLSMATERIAL_MODE": "Building: wall material",
    "EMERGENCYSTATE_MODE": "Building: in emergency state",
    "OBS_30_CNT_SOCIAL_CIRCLE": "Acquaintances observed for 30-day payment delays",
    "DEF_30_CNT_SOCIAL_CIRCLE": "Acquaintances who defaulted with 30 days past due",
    "OBS_60_CNT_SOCIAL_CIRCLE": "Acquaintances observed for 60-day payment delays",
    "DEF_60_CNT_SOCIAL_CIRCLE": "Acquaintances who defaulted with 60 days past due",
    "DAYS_LAST_PHONE_CHANGE": "Days since the client last changed phone",
}
_BUILDING_PARTS = {
    "APARTMENTS": "apartments size",
    "BASEMENTAREA": "basement area",
    "YEARS_BEGINEXPLUATATION": "years since it came into use",
    "YEARS_BUILD": "age",
    "COMMONAREA": "common area",
    "ELEVATORS": "number of elevators",
    "ENTRANCES": "number of entrances",
    "FLOORSMAX": "highest floor",
    "FLOORSMIN": "lowest floor",
    "LANDAREA": "land area",
    "LIVINGAPARTMENTS": "living apartments",
    "LIVINGAREA": "living area",
    "NONLIVINGAPARTMENTS": "non-living apartments",
    "NONLIVINGAREA": "non-living area",
}
_BUILDING_STATISTICS = {"AVG": "average", "MODE": "mode", "MEDI": "median"}
_ENQUIRY_PERIODS = {
    "HOUR": "the hour",
    "DAY": "the day (before the last hour)",
    "WEEK": "the week (before the last day)",
    "MON": "the month (before the last week)",
    "QRT": "the 3 months (before the last month)",
    "YEAR": "the year (before the last 3 months)",
}


def _raw_description(name: str) -> str:
    if name in _RAW_DESCRIPTIONS:
        return _RAW_DESCRIPTIONS[name]
    if name.startswith("FLAG_DOCUMENT_"):
        return f"Client provided document {name.removeprefix('FLAG_DOCUMENT_')}"
    if name.startswith("AMT_REQ_CREDIT_BUREAU_"):
        period = _ENQUIRY_PERIODS[name.removeprefix("AMT_REQ_CREDIT_BUREAU_")]
        return f"Credit bureau enquiries about the client in {period} before applying"
    part, _, statistic = name.rpartition("_")
    return (
        f"Building: {_BUILDING_PARTS[part]} (normalised, "
        f"{_BUILDING_STATISTICS[statistic]} over the building)"
    )


def _field(column: str) -> str:
    return f"{TABLE}.{column}"


_ENGINEERED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("APP_CREDIT_TO_INCOME", "Credit amount / income", ("AMT_CREDIT", "AMT_INCOME_TOTAL")),
    ("APP_ANNUITY_TO_INCOME", "Annuity / income", ("AMT_ANNUITY", "AMT_INCOME_TOTAL")),
    (
        "APP_ANNUITY_TO_CREDIT",
        "Annuity / credit amount (payment rate)",
        ("AMT_ANNUITY", "AMT_CREDIT"),
    ),
    (
        "APP_CREDIT_TERM",
        "Credit amount / annuity (length of the credit in payments)",
        ("AMT_CREDIT", "AMT_ANNUITY"),
    ),
    ("APP_GOODS_TO_CREDIT", "Goods price / credit amount", ("AMT_GOODS_PRICE", "AMT_CREDIT")),
    (
        "APP_CREDIT_MINUS_GOODS",
        "Part of the credit not covered by the goods price",
        ("AMT_CREDIT", "AMT_GOODS_PRICE"),
    ),
    (
        "APP_INCOME_PER_PERSON",
        "Income per family member",
        ("AMT_INCOME_TOTAL", "CNT_FAM_MEMBERS"),
    ),
    ("APP_CHILDREN_SHARE", "Children / family members", ("CNT_CHILDREN", "CNT_FAM_MEMBERS")),
    ("APP_AGE_YEARS", "Age in years", ("DAYS_BIRTH",)),
    ("APP_YEARS_EMPLOYED", "Years in the current employment", ("DAYS_EMPLOYED",)),
    (
        "APP_NOT_EMPLOYED",
        "Not employed (pensioner or unemployed: Kaggle's 365243 code)",
        ("DAYS_EMPLOYED",),
    ),
    (
        "APP_EMPLOYED_TO_AGE",
        "Share of the client's life in the current employment",
        ("DAYS_EMPLOYED", "DAYS_BIRTH"),
    ),
    (
        "APP_REGISTRATION_TO_AGE",
        "Time since the registration change relative to age",
        ("DAYS_REGISTRATION", "DAYS_BIRTH"),
    ),
    (
        "APP_ID_PUBLISH_TO_AGE",
        "Time since the identity document change relative to age",
        ("DAYS_ID_PUBLISH", "DAYS_BIRTH"),
    ),
    (
        "APP_PHONE_CHANGE_TO_AGE",
        "Time since the last phone change relative to age",
        ("DAYS_LAST_PHONE_CHANGE", "DAYS_BIRTH"),
    ),
    ("APP_CAR_AGE_TO_AGE", "Age of the car / age of the client", ("OWN_CAR_AGE", "DAYS_BIRTH")),
    ("APP_EXT_SOURCE_MEAN", "Average of the known external scores", EXT_SOURCES),
    ("APP_EXT_SOURCE_MIN", "Lowest known external score", EXT_SOURCES),
    ("APP_EXT_SOURCE_MAX", "Highest known external score", EXT_SOURCES),
    ("APP_EXT_SOURCE_PROD", "Product of the three external scores", EXT_SOURCES),
    ("APP_EXT_SOURCE_COUNT", "Number of external scores known", EXT_SOURCES),
    ("APP_DOCUMENT_COUNT", "Number of documents provided", DOCUMENT_FLAGS),
    ("APP_CONTACT_COUNT", "Number of phones and e-mail given", CONTACT_FLAGS),
    (
        "APP_ADDRESS_MISMATCH_COUNT",
        "Number of mismatches between permanent, contact and work addresses",
        ADDRESS_MISMATCH_FLAGS,
    ),
    (
        "APP_BUREAU_ENQUIRIES_TOTAL",
        "Credit bureau enquiries about the client in the year before applying",
        BUREAU_ENQUIRIES,
    ),
    (
        "APP_SOCIAL_DEFAULT_30_SHARE",
        "Share of observed acquaintances who defaulted (30 days past due)",
        ("DEF_30_CNT_SOCIAL_CIRCLE", "OBS_30_CNT_SOCIAL_CIRCLE"),
    ),
    (
        "APP_SOCIAL_DEFAULT_60_SHARE",
        "Share of observed acquaintances who defaulted (60 days past due)",
        ("DEF_60_CNT_SOCIAL_CIRCLE", "OBS_60_CNT_SOCIAL_CIRCLE"),
    ),
)
NUMERIC_RAW_COLUMNS: tuple[str, ...] = tuple(
    name for name in RAW_COLUMNS if name not in CATEGORICAL_COLUMNS
)
ENGINEERED_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in _ENGINEERED)

# Output order: numbers first (raw, then engineered), text last, so the frame
# is two blocks (float64, object) that need no copying to be put together.
CATALOG = Catalog()
for _name in NUMERIC_RAW_COLUMNS:
    CATALOG.add(_name, _raw_description(_name), [_field(_name)])
for _name, _description, _columns in _ENGINEERED:
    CATALOG.add(_name, _description, [_field(c) for c in _columns])
for _name in CATEGORICAL_COLUMNS:
    CATALOG.add(_name, _raw_description(_name), [_field(_name)])

COLUMNS: tuple[str, ...] = CATALOG.names
FEATURE_SOURCES: dict[str, list[str]] = CATALOG.sources
FEATURE_DESCRIPTIONS: dict[str, str] = CATALOG.descriptions


def _row_sum(columns: list[np.ndarray]) -> np.ndarray:
    """Sum of the known values per row; NaN when none is known (never 0 for 'unknown')."""
    stacked = np.column_stack(columns)
    known = ~np.isnan(stacked)
    return np.where(known.any(axis=1), np.nansum(stacked, axis=1), np.nan)


def _numeric_rows(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The columns as one (columns x rows) float64 matrix, a copy; NaN for missing or absent."""
    block = frame.reindex(columns=columns)
    if all(dtype == np.float64 for dtype in block.dtypes):
        # A copy in any case: the sentinel is blanked in place, the caller's frame must not be.
        return np.array(block.to_numpy(dtype=np.float64).T, order="C", copy=True)
    return np.vstack([numeric(block, column) for column in columns]).reshape(len(columns), -1)


def _text_block(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The columns as one object matrix of str, NaN for missing (category or object input)."""
    block = frame.reindex(columns=columns).astype(object).to_numpy(copy=True)
    missing = pd.isna(block)
    block[missing] = np.nan
    for position in range(len(columns)):
        values = block[:, position]
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            present = ~missing[:, position]
            values[present] = values[present].astype(str)  # e.g. numbers stored as text
    return block


def _ext_source_stats(scores: np.ndarray) -> dict[str, np.ndarray]:
    known = ~np.isnan(scores)
    count = known.sum(axis=1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(known, scores, 0.0).sum(axis=1) / count
    filled_low = np.where(known, scores, np.inf).min(axis=1)
    filled_high = np.where(known, scores, -np.inf).max(axis=1)
    return {
        "APP_EXT_SOURCE_MEAN": mean,
        "APP_EXT_SOURCE_MIN": np.where(count > 0, filled_low, np.nan),
        "APP_EXT_SOURCE_MAX": np.where(count > 0, filled_high, np.nan),
        "APP_EXT_SOURCE_PROD": scores.prod(axis=1),  # NaN unless all three are known
        "APP_EXT_SOURCE_COUNT": count,
    }


def features(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per application row, indexed by SK_ID_CURR, columns `COLUMNS`."""
    return compute(tables).frame()


def compute(tables: Mapping[str, pd.DataFrame], clients: Clients | None = None) -> Block:
    """The features as a `Block` (what `build_features` stacks)."""
    clients = clients or Clients.of(tables)
    application = tables["application"]
    raw_matrix = _numeric_rows(application, list(NUMERIC_RAW_COLUMNS))
    raw = dict(zip(NUMERIC_RAW_COLUMNS, raw_matrix, strict=True))

    days_employed = raw["DAYS_EMPLOYED"]  # a column of raw_matrix: edited in place
    not_employed = days_employed == schema.DAYS_EMPLOYED_SENTINEL
    data: dict[str, np.ndarray] = {
        "APP_NOT_EMPLOYED": np.where(np.isnan(days_employed), np.nan, not_employed * 1.0)
    }
    days_employed[not_employed] = np.nan

    income, credit = raw["AMT_INCOME_TOTAL"], raw["AMT_CREDIT"]
    annuity, goods = raw["AMT_ANNUITY"], raw["AMT_GOODS_PRICE"]
    family, birth = raw["CNT_FAM_MEMBERS"], raw["DAYS_BIRTH"]
    data["APP_CREDIT_TO_INCOME"] = ratio(credit, income)
    data["APP_ANNUITY_TO_INCOME"] = ratio(annuity, income)
    data["APP_ANNUITY_TO_CREDIT"] = ratio(annuity, credit)
    data["APP_CREDIT_TERM"] = ratio(credit, annuity)
    data["APP_GOODS_TO_CREDIT"] = ratio(goods, credit)
    data["APP_CREDIT_MINUS_GOODS"] = credit - goods
    data["APP_INCOME_PER_PERSON"] = ratio(income, family)
    data["APP_CHILDREN_SHARE"] = ratio(raw["CNT_CHILDREN"], family)
    age_years = -birth / DAYS_PER_YEAR
    data["APP_AGE_YEARS"] = age_years
    data["APP_YEARS_EMPLOYED"] = -days_employed / DAYS_PER_YEAR
    data["APP_EMPLOYED_TO_AGE"] = ratio(days_employed, birth)
    data["APP_REGISTRATION_TO_AGE"] = ratio(raw["DAYS_REGISTRATION"], birth)
    data["APP_ID_PUBLISH_TO_AGE"] = ratio(raw["DAYS_ID_PUBLISH"], birth)
    data["APP_PHONE_CHANGE_TO_AGE"] = ratio(raw["DAYS_LAST_PHONE_CHANGE"], birth)
    data["APP_CAR_AGE_TO_AGE"] = ratio(raw["OWN_CAR_AGE"], age_years)
    data.update(_ext_source_stats(np.column_stack([raw[name] for name in EXT_SOURCES])))
    data["APP_DOCUMENT_COUNT"] = _row_sum([raw[name] for name in DOCUMENT_FLAGS])
    data["APP_CONTACT_COUNT"] = _row_sum([raw[name] for name in CONTACT_FLAGS])
    data["APP_ADDRESS_MISMATCH_COUNT"] = _row_sum([raw[name] for name in ADDRESS_MISMATCH_FLAGS])
    data["APP_BUREAU_ENQUIRIES_TOTAL"] = _row_sum([raw[name] for name in BUREAU_ENQUIRIES])
    data["APP_SOCIAL_DEFAULT_30_SHARE"] = ratio(
        raw["DEF_30_CNT_SOCIAL_CIRCLE"], raw["OBS_30_CNT_SOCIAL_CIRCLE"]
    )
    data["APP_SOCIAL_DEFAULT_60_SHARE"] = ratio(
        raw["DEF_60_CNT_SOCIAL_CIRCLE"], raw["OBS_60_CNT_SOCIAL_CIRCLE"]
    )

    engineered = np.vstack([data[name] for name in ENGINEERED_COLUMNS])
    numbers = np.concatenate([raw_matrix, engineered])
    numbers[np.isinf(numbers)] = np.nan
    return Block(
        index=clients.index,
        names=NUMERIC_RAW_COLUMNS + ENGINEERED_COLUMNS,
        numbers=numbers,
        text_names=CATEGORICAL_COLUMNS,
        text=_text_block(application, list(CATEGORICAL_COLUMNS)),
    )
