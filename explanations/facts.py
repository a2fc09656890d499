"""The client facts the model's features come from: one fact, one sentence, one sign.

The model sees 492 features, but many of them are computed from one thing the
client did or declared: the three external scores and their average, lowest,
highest, product...; the months of the bureau's monthly history counted,
shared and averaged over all, active and closed credits. Told one by one, a
fact comes out several times, sometimes once raising and once lowering the
risk ("your highest external score 0.62 increases the risk", "your average
external score 0.62 lowers the risk"). An explanation therefore speaks of
**facts**: each feature belongs to exactly one fact, and a fact's
contribution is the sum of its members' SHAP values (log-odds add up, so the
sum is exact and the facts' contributions still add up to raw score − base
value). A fact is said once, in the column of its total effect, and the
waterfall draws the same facts.

How the facts are cut (`FACTS`, written by hand, one line per fact):

* one fact per thing a person recognises on their file: "your external
  credit scores", "the loan amount against your income", "your payment
  delays on instalments with us"; engineered features join the fact of the
  raw fields they are computed from (APP_CREDIT_TO_INCOME joins the loan
  amount, APP_EXT_SOURCE_MEAN the external scores); where a ratio mixes two
  facts it joins the one it says something about (the instalment / income
  ratio is the instalment's fact, not the income's);
* the history tables are cut by what their inputs measure (delays, amounts
  owed, dates...), whatever the rows aggregated (all, active, closed, last 12
  months) and the statistic (average, highest...): `HISTORY_FACTS` maps each
  input of `ml.features` to its fact;
* a client with no row at all in a history table has one fact for the whole
  table ("no credit history is known at the credit bureau"), since every
  feature of that table then says the same thing (`facts_of_client`).

A feature missing from the table (a feature added to `ml.features` later)
falls back to a fact of its own raw fields ("field:<table.COLUMN>"), so every
feature always belongs to exactly one fact; tests/explanations/test_facts.py
fails on such a feature, naming it, so that it gets a real place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ml import features as ml_features
from ml.features import application, bureau, credit_card, installments, pos_cash
from ml.features import previous_application as previous
from ml.features.aggregate import output_name


@dataclass(frozen=True)
class FactSpec:
    """A fact: its key, its short label (a chart's bar, a table's row) and its features."""

    key: str
    label: Promise
    history: str | None = None  # the prefix of its history table ("BUREAU_"), None: the application


# ---------------------------------------------------------------------------
# The application's facts: key -> (label, features)
# ---------------------------------------------------------------------------
_BUILDING = tuple(
    column
    for column in application.RAW_COLUMNS
    if column.endswith(("_AVG", "_MODE", "_MEDI")) or column == "TOTALAREA_MODE"
)

_APPLICATION_FACTS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "external_scores": (
        _("External credit scores"),
        (
            "EXT_SOURCE_1",
            "EXT_SOURCE_2",
            "EXT_SOURCE_3",
            "APP_EXT_SOURCE_MEAN",
            "APP_EXT_SOURCE_MIN",
            "APP_EXT_SOURCE_MAX",
            "APP_EXT_SOURCE_PROD",
            "APP_EXT_SOURCE_COUNT",
        ),
    ),
    "loan_to_income": (_("Loan amount against income"), ("AMT_CREDIT", "APP_CREDIT_TO_INCOME")),
    "instalment": (
        _("Repayment instalment against income"),
        ("AMT_ANNUITY", "APP_ANNUITY_TO_INCOME"),
    ),
    "term": (_("Length of the loan"), ("APP_CREDIT_TERM", "APP_ANNUITY_TO_CREDIT")),
    "goods": (
        _("Price of the goods financed"),
        ("AMT_GOODS_PRICE", "APP_GOODS_TO_CREDIT", "APP_CREDIT_MINUS_GOODS"),
    ),
    "income": (_("Income"), ("AMT_INCOME_TOTAL", "APP_INCOME_PER_PERSON")),
    "contract_type": (_("Type of loan"), ("NAME_CONTRACT_TYPE",)),
    "age": (_("Age"), ("DAYS_BIRTH", "APP_AGE_YEARS")),
    "employment": (
        _("Time in current job"),
        ("DAYS_EMPLOYED", "APP_YEARS_EMPLOYED", "APP_NOT_EMPLOYED", "APP_EMPLOYED_TO_AGE"),
    ),
    "income_type": (_("Type of income"), ("NAME_INCOME_TYPE",)),
    "occupation": (_("Occupation"), ("OCCUPATION_TYPE",)),
    "employer": (_("Employer's sector"), ("ORGANIZATION_TYPE",)),
    "education": (_("Education"), ("NAME_EDUCATION_TYPE",)),
    "family_status": (_("Family status"), ("NAME_FAMILY_STATUS",)),
    "household": (_("Household"), ("CNT_CHILDREN", "CNT_FAM_MEMBERS", "APP_CHILDREN_SHARE")),
    "housing": (_("Housing"), ("NAME_HOUSING_TYPE", "FLAG_OWN_REALTY")),
    "building": (_("Building of residence"), _BUILDING),
    "car": (_("Car"), ("FLAG_OWN_CAR", "OWN_CAR_AGE", "APP_CAR_AGE_TO_AGE")),
    "region": (
        _("Region of residence"),
        ("REGION_RATING_CLIENT", "REGION_RATING_CLIENT_W_CITY", "REGION_POPULATION_RELATIVE"),
    ),
    "addresses": (
        _("Home, contact and work addresses"),
        (*application.ADDRESS_MISMATCH_FLAGS, "APP_ADDRESS_MISMATCH_COUNT"),
    ),
    "registration": (
        _("Change of registration"),
        ("DAYS_REGISTRATION", "APP_REGISTRATION_TO_AGE"),
    ),
    "id_document": (_("Identity document"), ("DAYS_ID_PUBLISH", "APP_ID_PUBLISH_TO_AGE")),
    "phone_change": (_("Change of phone"), ("DAYS_LAST_PHONE_CHANGE", "APP_PHONE_CHANGE_TO_AGE")),
    "contacts": (_("Phones and e-mail given"), (*application.CONTACT_FLAGS, "APP_CONTACT_COUNT")),
    "documents": (
        _("Documents provided"),
        (*application.DOCUMENT_FLAGS, "APP_DOCUMENT_COUNT"),
    ),
    "social_circle": (
        _("Defaults in the social circle"),
        (
            "OBS_30_CNT_SOCIAL_CIRCLE",
            "DEF_30_CNT_SOCIAL_CIRCLE",
            "OBS_60_CNT_SOCIAL_CIRCLE",
            "DEF_60_CNT_SOCIAL_CIRCLE",
            "APP_SOCIAL_DEFAULT_30_SHARE",
            "APP_SOCIAL_DEFAULT_60_SHARE",
        ),
    ),
    "bureau_enquiries": (
        _("Enquiries to the credit bureau"),
        (*application.BUREAU_ENQUIRIES, "APP_BUREAU_ENQUIRIES_TOTAL"),
    ),
    "application_time": (
        _("Day and hour of the application"),
        ("WEEKDAY_APPR_PROCESS_START", "HOUR_APPR_PROCESS_START"),
    ),
    "companion": (_("Companion when applying"), ("NAME_TYPE_SUITE",)),
    "gender": (_("Gender"), ("CODE_GENDER",)),
}

# ---------------------------------------------------------------------------
# The history tables' facts: (module prefix, input) -> fact; single features -> fact
# ---------------------------------------------------------------------------
_HISTORY_FACTS: dict[str, tuple[Promise, str, tuple[str, ...], tuple[str, ...]]] = {
    # key: (label, module prefix, inputs of ml.features, features declared one by one)
    "bureau_credits": (
        _("Credits at the credit bureau"),
        "BUREAU_",
        (
            "ACTIVE",
            "CLOSED",
            "TYPE_CONSUMER_CREDIT",
            "TYPE_CREDIT_CARD",
            "TYPE_CAR_LOAN",
            "TYPE_MORTGAGE",
            "TYPE_MICROLOAN",
            "TYPE_BUSINESS_LOAN",
            "TYPE_OTHER",
        ),
        ("BUREAU_COUNT",),
    ),
    "bureau_debt": (
        _("Amounts borrowed and owed (credit bureau)"),
        "BUREAU_",
        (
            "AMT_CREDIT_SUM",
            "AMT_CREDIT_SUM_DEBT",
            "AMT_CREDIT_SUM_LIMIT",
            "AMT_ANNUITY",
            "DEBT_TO_CREDIT",
        ),
        ("BUREAU_DEBT_TO_CREDIT_TOTAL", "BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL"),
    ),
    "bureau_overdue": (
        _("Overdue credits (credit bureau)"),
        "BUREAU_",
        (
            "CREDIT_DAY_OVERDUE",
            "AMT_CREDIT_MAX_OVERDUE",
            "AMT_CREDIT_SUM_OVERDUE",
            "OVERDUE_TO_DEBT",
            "OVERDUE",
            "PROLONGED",
            "CNT_CREDIT_PROLONG",
            "SOLD_OR_BAD_DEBT",
        ),
        ("BUREAU_OVERDUE_TO_DEBT_TOTAL",),
    ),
    "bureau_late_months": (
        _("Late months in the bureau's monthly history"),
        "BUREAU_",
        (
            "BB_MONTHS",
            *(f"BB_STATUS_{status}" for status in "012345CX"),
            *(f"BB_SHARE_{status}" for status in "012345CX"),
            "BB_LATE_MONTHS",
            "BB_LATE_SHARE",
            "BB_WORST_STATUS",
            "BB_LAST_LATE_MONTH",
        ),
        ("BUREAU_BB_CREDITS_COUNT",),
    ),
    "bureau_dates": (
        _("Start and end of bureau credits"),
        "BUREAU_",
        (
            "DAYS_CREDIT",
            "DAYS_CREDIT_ENDDATE",
            "DAYS_ENDDATE_FACT",
            "DAYS_CREDIT_UPDATE",
            "CREDIT_DURATION",
            "ENDDATE_GAP",
        ),
        (),
    ),
    "previous_outcomes": (
        _("Previous applications with us"),
        "PREV_",
        (
            "APPROVED",
            "REFUSED",
            "CANCELED",
            "UNUSED_OFFER",
            "NEW_CLIENT",
            "TYPE_CASH",
            "TYPE_CONSUMER",
            "TYPE_REVOLVING",
        ),
        ("PREV_COUNT",),
    ),
    "previous_amounts": (
        _("Amounts of previous applications"),
        "PREV_",
        (
            "AMT_ANNUITY",
            "AMT_APPLICATION",
            "AMT_CREDIT",
            "AMT_DOWN_PAYMENT",
            "AMT_GOODS_PRICE",
            "RATE_DOWN_PAYMENT",
            "CNT_PAYMENT",
            "APPLICATION_TO_CREDIT",
            "DOWN_PAYMENT_TO_CREDIT",
            "ANNUITY_TO_CREDIT",
            "CREDIT_TO_GOODS",
            "INTEREST_SHARE",
            "YIELD_HIGH",
            "NFLAG_INSURED_ON_APPROVAL",
        ),
        (),
    ),
    "previous_dates": (
        _("Dates of previous applications"),
        "PREV_",
        (
            "DAYS_DECISION",
            "DAYS_FIRST_DRAWING",
            "DAYS_FIRST_DUE",
            "DAYS_LAST_DUE_1ST_VERSION",
            "DAYS_LAST_DUE",
            "DAYS_TERMINATION",
            "ENDED_EARLY_DAYS",
            "HOUR_APPR_PROCESS_START",
            "RUNNING",
        ),
        (),
    ),
    "pos_delays": (
        _("Payment delays on point-of-sale and cash loans"),
        "POS_",
        ("SK_DPD", "SK_DPD_DEF", "DPD_POSITIVE", "DPD_DEF_POSITIVE"),
        (),
    ),
    "pos_loans": (
        _("Point-of-sale and cash loans with us"),
        "POS_",
        ("MONTHS_BALANCE", "CNT_INSTALMENT", "CNT_INSTALMENT_FUTURE"),
        (
            "POS_COUNT",
            "POS_LOANS_COUNT",
            "POS_RECENT_COUNT",
            "POS_ACTIVE_LOANS_COUNT",
            "POS_COMPLETED_LOANS_COUNT",
            "POS_ACTIVE_REMAINING_INSTALMENTS_SUM",
            "POS_LOAN_REMAINING_SHARE_MEAN",
        ),
    ),
    "instalment_delays": (
        _("Payment delays on loans with us"),
        "INST_",
        ("DPD", "DBD", "LATE", "LATE_30", "DAYS_ENTRY_PAYMENT", "DAYS_INSTALMENT"),
        ("INST_COUNT", "INST_LOANS_COUNT", "INST_365_COUNT"),
    ),
    "instalment_amounts": (
        _("Amounts paid on loans with us"),
        "INST_",
        ("PAYMENT_RATIO", "PAYMENT_DIFF", "UNDERPAID", "UNPAID", "AMT_INSTALMENT", "AMT_PAYMENT"),
        (),
    ),
    "card_repayment": (
        _("Credit card repayments"),
        "CC_",
        (
            "SK_DPD",
            "SK_DPD_DEF",
            "DPD_POSITIVE",
            "BELOW_MIN",
            "PAYMENT_TO_MIN",
            "AMT_INST_MIN_REGULARITY",
            "AMT_PAYMENT_CURRENT",
            "AMT_PAYMENT_TOTAL_CURRENT",
            "CNT_INSTALMENT_MATURE_CUM",
        ),
        (),
    ),
    "card_use": (
        _("Credit card use"),
        "CC_",
        (
            "MONTHS_BALANCE",
            "AMT_BALANCE",
            "AMT_CREDIT_LIMIT_ACTUAL",
            "AMT_DRAWINGS_CURRENT",
            "AMT_DRAWINGS_ATM_CURRENT",
            "AMT_DRAWINGS_POS_CURRENT",
            "AMT_TOTAL_RECEIVABLE",
            "CNT_DRAWINGS_CURRENT",
            "CNT_DRAWINGS_ATM_CURRENT",
            "UTILISATION",
            "DRAWINGS_TO_LIMIT",
            "OVER_LIMIT",
        ),
        (
            "CC_COUNT",
            "CC_LOANS_COUNT",
            "CC_RECENT_COUNT",
            "CC_LAST_BALANCE_SUM",
            "CC_LAST_UTILISATION_MEAN",
        ),
    ),
}

# A history table the client has no row in: one fact for the whole table. The count is
# NaN exactly when the table holds no row for the client (ml.features).
HISTORY_COUNTS: dict[str, str] = {
    "BUREAU_": "BUREAU_COUNT",
    "PREV_": "PREV_COUNT",
    "POS_": "POS_COUNT",
    "INST_": "INST_COUNT",
    "CC_": "CC_COUNT",
}
_NO_HISTORY_FACTS: dict[str, tuple[str, Promise]] = {
    "BUREAU_": ("no_bureau_history", _("Credit history at the credit bureau")),
    "PREV_": ("no_previous_applications", _("Previous applications with us")),
    "POS_": ("no_pos_loans", _("Point-of-sale and cash loans with us")),
    "INST_": ("no_instalments", _("Repayments of loans with us")),
    "CC_": ("no_credit_cards", _("Credit cards with us")),
}
HISTORY_MODULES = (bureau, previous, pos_cash, installments, credit_card)
FALLBACK_PREFIX = "field:"


def _history_features() -> dict[tuple[str, str], list[str]]:
    """(module prefix, input name) -> the features aggregating that input."""
    found: dict[tuple[str, str], list[str]] = {}
    for module in HISTORY_MODULES:
        for scope in module.SCOPES:
            for input_name, funcs in scope.aggregates.items():
                names = [output_name(scope, input_name, func, module.INPUTS) for func in funcs]
                found.setdefault((module.PREFIX, input_name), []).extend(names)
    return found


def named_features() -> set[str]:
    """Every feature the table names by its name (not through a history input)."""
    named = {feature for _, features in _APPLICATION_FACTS.values() for feature in features}
    return named | {feature for *_, singles in _HISTORY_FACTS.values() for feature in singles}


@cache
def _tables() -> tuple[dict[str, FactSpec], dict[str, str]]:
    """The facts by key, and every feature of `ml.features` -> its fact's key."""
    specs: dict[str, FactSpec] = {}
    member_of: dict[str, str] = {}

    def claim(key: str, features: Iterable[str]) -> None:
        for feature in features:
            if feature in member_of:  # a table error: say which line, at import time
                raise ValueError(f"{feature} is in facts {member_of[feature]!r} and {key!r}")
            member_of[feature] = key

    for key, (label, features) in _APPLICATION_FACTS.items():
        specs[key] = FactSpec(key, label)
        claim(key, features)
    by_input = _history_features()
    for key, (label, prefix, inputs, singles) in _HISTORY_FACTS.items():
        specs[key] = FactSpec(key, label, history=prefix)
        claim(
            key, [name for input_name in inputs for name in by_input.get((prefix, input_name), [])]
        )
        claim(key, singles)
    for prefix, (key, label) in _NO_HISTORY_FACTS.items():
        specs[key] = FactSpec(key, label, history=prefix)
    # Features of ml.features the table does not know yet: a fact of their own raw fields.
    for feature in ml_features.FEATURE_NAMES:
        if feature not in member_of:
            key = FALLBACK_PREFIX + ",".join(ml_features.FEATURE_SOURCES.get(feature, [feature]))
            member_of[feature] = key
            if key not in specs:
                specs[key] = FactSpec(key, _fallback_label(feature), _history_prefix(feature))
    return specs, member_of


def _fallback_label(feature: str) -> Promise:
    from explanations.feature_labels import label_lazy

    return label_lazy(feature)


def _history_prefix(feature: str) -> str | None:
    return next((prefix for prefix in HISTORY_COUNTS if feature.startswith(prefix)), None)


def facts() -> dict[str, FactSpec]:
    """Every fact by key (the application's, the histories', and "no such history")."""
    return dict(_tables()[0])


def fact_of(feature: str) -> str:
    """The key of the fact `feature` belongs to (a client with every history)."""
    member_of = _tables()[1]
    if feature in member_of:
        return member_of[feature]
    return FALLBACK_PREFIX + feature  # not a feature of ml.features: a fact of its own


def spec(key: str) -> FactSpec:
    specs = _tables()[0]
    if key in specs:
        return specs[key]
    return FactSpec(key, _fallback_label(key.removeprefix(FALLBACK_PREFIX)))


def members(key: str) -> list[str]:
    """The features of fact `key`, in the order of `ml.features`."""
    member_of = _tables()[1]
    return [feature for feature in ml_features.FEATURE_NAMES if member_of.get(feature) == key]


def _missing(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, float) and math.isnan(value)


def absent_histories(feature_values: Mapping[str, object]) -> set[str]:
    """The history tables (prefixes) in which the client has no row at all."""
    return {
        prefix for prefix, count in HISTORY_COUNTS.items() if _missing(feature_values.get(count))
    }


def no_history_fact(prefix: str) -> str:
    return _NO_HISTORY_FACTS[prefix][0]


def client_fact_of(feature: str, absent: set[str]) -> str:
    """The fact of `feature` for a client whose histories `absent` hold no row."""
    key = fact_of(feature)
    history = spec(key).history or _history_prefix(feature)
    if history is not None and history in absent:
        return no_history_fact(history)
    return key


@dataclass(frozen=True)
class FactContribution:
    """One fact of one client: its SHAP contribution (log-odds) and its features'."""

    key: str
    contribution: float
    members: tuple[tuple[str, float], ...]  # (feature, contribution), strongest first

    @property
    def raising(self) -> bool:
        return self.contribution > 0

    def leading_member(self) -> str:
        """The feature pushing most in the direction of the fact's total."""
        sign = 1.0 if self.contribution >= 0 else -1.0
        return max(self.members, key=lambda item: (sign * item[1], item[0]))[0]


def facts_of_client(
    contributions: Mapping[str, float], feature_values: Mapping[str, object]
) -> list[FactContribution]:
    """The client's facts, strongest first (by |contribution|, then key).

    A fact's contribution is the exact sum (math.fsum) of its features'; a
    history table the client has no row in is one fact.
    """
    absent = absent_histories(feature_values)
    grouped: dict[str, list[tuple[str, float]]] = {}
    for feature, contribution in contributions.items():
        grouped.setdefault(client_fact_of(feature, absent), []).append(
            (feature, float(contribution))
        )
    result = [
        FactContribution(
            key=key,
            contribution=math.fsum(value for _, value in items),
            members=tuple(sorted(items, key=lambda item: (-abs(item[1]), item[0]))),
        )
        for key, items in grouped.items()
    ]
    result.sort(key=lambda fact: (-abs(fact.contribution), fact.key))
    return result


def mean_absolute_contributions(
    contributions: pd.DataFrame, feature_values: pd.DataFrame
) -> dict[str, float]:
    """Each fact's mean |contribution| over many clients (rows), as the clients see them.

    `contributions`: one row per client, one column per feature (log-odds);
    `feature_values`: the same clients' features (for the histories they lack:
    a client without bureau history has the one fact "no bureau history"). The
    model's global importance by fact, for the model's page.
    """
    matrix = contributions.to_numpy(dtype=np.float64)
    columns = list(contributions.columns)
    keys = [fact_of(feature) for feature in columns]
    absent = {
        prefix: (
            feature_values[count].isna().to_numpy()
            if count in feature_values
            else np.zeros(len(matrix), dtype=bool)
        )
        for prefix, count in HISTORY_COUNTS.items()
    }
    sums: dict[str, np.ndarray] = {}
    for key in dict.fromkeys(keys):
        total = matrix[:, [i for i, k in enumerate(keys) if k == key]].sum(axis=1)
        history = spec(key).history
        if history is not None:
            mask = absent[history]
            no_history = no_history_fact(history)
            sums.setdefault(no_history, np.zeros(len(matrix)))
            sums[no_history] += np.where(mask, total, 0.0)
            total = np.where(mask, 0.0, total)
        sums[key] = sums.get(key, np.zeros(len(matrix))) + total
    return {
        key: float(np.abs(values).mean()) if len(values) else 0.0 for key, values in sums.items()
    }
