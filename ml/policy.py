"""What the model may use and which way it may bend: excluded attributes, monotone directions.

Two tables a reviewer can read in one place, and that training
(`ml.train.train_model`) applies by default, records in the artifact's
metadata and prints in the model card:

`EXCLUDED_ATTRIBUTES`: application columns the model never sees, nor any
feature computed from them (`excluded_features`). They stay in the data: the
fairness figures of training and the reference sample keep them, so that
monitoring can still compare decisions between groups (one cannot check that
a model treats men and women alike without knowing who is who).

* `CODE_GENDER`: sex is a protected ground in consumer credit (EU Directive
  2004/113/EC on equal treatment in access to goods and services; US Equal
  Credit Opportunity Act). It must not drive a decision, so it is not an input.
* `NAME_FAMILY_STATUS`: marital status is a protected ground under the US
  ECOA and "situation de famille" is a discrimination ground of French law
  (Code pénal, art. 225-1); it is also a proxy for sex and age. On the
  30,752 real rows it adds nothing: out-of-fold AUC 0.7499 with it, 0.7501
  without (both without gender, no constraints, same folds;
  benchmarks/real_data_bench.py, variants b and d). Excluded by default.

Gender itself is worth 0.0021 of out-of-fold AUC there (0.7520 with it,
0.7499 without): a small price for not deciding on sex. Age stays an input
(DAYS_BIRTH and the features computed from it); the fairness figures report
its bands, and removing it is one `--exclude` away if the market requires it.

The household size (CNT_FAM_MEMBERS, CNT_CHILDREN) stays: it measures what the
income must support (income per person), not a civil status.

`MONOTONE_DIRECTIONS`: features whose effect on the risk has an established
direction, whatever the data say in a corner of the space: +1 when a higher
value may only raise the risk (or leave it), -1 when it may only lower it.
LightGBM enforces it (`monotone_constraints`), so no explanation can tell a
client that paying late, or a worse external score, lowered their risk. Only
numeric features are listed; everything else is unconstrained (0).

Monotonicity holds between known values. A missing value is not ordered
with respect to known ones: at each split LightGBM sends the missing rows to
whichever side fits them best, so "unknown" may score better or worse than
any known value (a client without history is not a client with a perfect
history). Tests and explanations compare known values only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ml import schema
from ml.features import CATEGORICAL_FEATURES, FEATURE_NAMES, FEATURE_SOURCES

# -- excluded attributes --------------------------------------------------------------------

EXCLUSION_REASONS: dict[str, str] = {
    "CODE_GENDER": (
        "Sex is a protected ground in consumer credit (EU Directive 2004/113/EC; US ECOA): "
        "it must not drive a decision."
    ),
    "NAME_FAMILY_STATUS": (
        "Marital status is a protected ground under the US ECOA and family status one of "
        "French law (Code pénal art. 225-1), and a proxy for sex and age; on the 30,752 real "
        "rows it adds nothing (out-of-fold AUC 0.7499 with it, 0.7501 without)."
    ),
}
EXCLUDED_ATTRIBUTES: tuple[str, ...] = ("CODE_GENDER", "NAME_FAMILY_STATUS")

# -- monotone directions ----------------------------------------------------------------------

INCREASES_RISK = 1
DECREASES_RISK = -1

# (direction, reason, features). Read: "a higher value <reason>".
_MONOTONE_TABLE: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        DECREASES_RISK,
        "External credit scores: a higher score is a better rating",
        (
            "EXT_SOURCE_1",
            "EXT_SOURCE_2",
            "EXT_SOURCE_3",
            "APP_EXT_SOURCE_MEAN",
            "APP_EXT_SOURCE_MIN",
            "APP_EXT_SOURCE_MAX",
            "APP_EXT_SOURCE_PROD",
        ),
    ),
    # Not the credit amount relative to income: over a longer term the same
    # monthly burden gives a higher ratio, so its direction is not established.
    (
        INCREASES_RISK,
        "Instalment relative to income: a heavier monthly burden on the same income",
        ("APP_ANNUITY_TO_INCOME",),
    ),
    (
        INCREASES_RISK,
        "Instalments paid late on previous loans with us: more or longer delays",
        (
            "INST_DPD_MAX",
            "INST_DPD_MEAN",
            "INST_DPD_SUM",
            "INST_LATE_COUNT",
            "INST_LATE_SHARE",
            "INST_LATE_30_COUNT",
            "INST_LATE_30_SHARE",
            "INST_365_DPD_MAX",
            "INST_365_DPD_MEAN",
            "INST_365_LATE_COUNT",
            "INST_365_LATE_SHARE",
            "INST_LAST3_DPD_MAX",
            "INST_LAST3_DPD_MEAN",
            "INST_LAST3_LATE_SHARE",
        ),
    ),
    (
        INCREASES_RISK,
        "Instalments paid short of the amount due, or not paid: more of them, or more unpaid",
        (
            "INST_UNDERPAID_COUNT",
            "INST_UNDERPAID_SHARE",
            "INST_UNPAID_COUNT",
            "INST_PAYMENT_DIFF_MAX",
            "INST_PAYMENT_DIFF_MEAN",
            "INST_PAYMENT_DIFF_SUM",
            "INST_365_UNDERPAID_SHARE",
            "INST_365_PAYMENT_DIFF_MEAN",
            "INST_365_PAYMENT_DIFF_SUM",
            "INST_LAST3_UNDERPAID_SHARE",
            "INST_LAST3_PAYMENT_DIFF_MEAN",
        ),
    ),
    (
        DECREASES_RISK,
        "Share of the amount due that was paid: closer to (or above) the full amount",
        (
            "INST_PAYMENT_RATIO_MIN",
            "INST_PAYMENT_RATIO_MEAN",
            "INST_365_PAYMENT_RATIO_MEAN",
            "INST_LAST3_PAYMENT_RATIO_MEAN",
            "CC_PAYMENT_TO_MIN_MIN",
            "CC_PAYMENT_TO_MIN_MEAN",
            "CC_RECENT_PAYMENT_TO_MIN_MEAN",
        ),
    ),
    (
        INCREASES_RISK,
        "Days past due on POS/cash loans and credit cards: more or longer delays",
        (
            "POS_SK_DPD_MAX",
            "POS_SK_DPD_MEAN",
            "POS_SK_DPD_DEF_MAX",
            "POS_SK_DPD_DEF_MEAN",
            "POS_DPD_POSITIVE_COUNT",
            "POS_DPD_POSITIVE_SHARE",
            "POS_DPD_DEF_POSITIVE_COUNT",
            "POS_DPD_DEF_POSITIVE_SHARE",
            "POS_RECENT_SK_DPD_MAX",
            "POS_RECENT_SK_DPD_MEAN",
            "POS_RECENT_SK_DPD_DEF_MAX",
            "POS_RECENT_DPD_POSITIVE_SHARE",
            "CC_SK_DPD_MAX",
            "CC_SK_DPD_MEAN",
            "CC_SK_DPD_DEF_MAX",
            "CC_SK_DPD_DEF_MEAN",
            "CC_DPD_POSITIVE_COUNT",
            "CC_DPD_POSITIVE_SHARE",
            "CC_RECENT_SK_DPD_MAX",
            "CC_RECENT_DPD_POSITIVE_SHARE",
        ),
    ),
    (
        INCREASES_RISK,
        "Credit card months paid below the minimum instalment: more of them",
        ("CC_BELOW_MIN_COUNT", "CC_BELOW_MIN_SHARE", "CC_RECENT_BELOW_MIN_SHARE"),
    ),
    (
        INCREASES_RISK,
        "Credit card balance relative to the limit: a card closer to its limit",
        ("CC_LAST_UTILISATION_MEAN", "CC_RECENT_UTILISATION_MAX", "CC_RECENT_UTILISATION_MEAN"),
    ),
    (
        INCREASES_RISK,
        "Credit bureau delays: more credits overdue, more days or more money overdue",
        (
            "BUREAU_OVERDUE_COUNT",
            "BUREAU_OVERDUE_SHARE",
            "BUREAU_SOLD_OR_BAD_DEBT_COUNT",
            "BUREAU_CREDIT_DAY_OVERDUE_MAX",
            "BUREAU_CREDIT_DAY_OVERDUE_MEAN",
            "BUREAU_ACTIVE_CREDIT_DAY_OVERDUE_MAX",
            "BUREAU_ACTIVE_CREDIT_DAY_OVERDUE_MEAN",
            "BUREAU_AMT_CREDIT_MAX_OVERDUE_MAX",
            "BUREAU_AMT_CREDIT_MAX_OVERDUE_MEAN",
            "BUREAU_ACTIVE_AMT_CREDIT_MAX_OVERDUE_MAX",
            "BUREAU_CLOSED_AMT_CREDIT_MAX_OVERDUE_MAX",
            "BUREAU_CLOSED_AMT_CREDIT_MAX_OVERDUE_MEAN",
            "BUREAU_AMT_CREDIT_SUM_OVERDUE_MAX",
            "BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM",
            "BUREAU_ACTIVE_AMT_CREDIT_SUM_OVERDUE_MAX",
            "BUREAU_ACTIVE_AMT_CREDIT_SUM_OVERDUE_SUM",
            "BUREAU_OVERDUE_TO_DEBT_TOTAL",
            "BUREAU_OVERDUE_TO_DEBT_MAX",
        ),
    ),
    (
        INCREASES_RISK,
        "Credit bureau monthly statuses past due: more late months, or a worse delay",
        (
            "BUREAU_BB_STATUS_1_SUM",
            "BUREAU_BB_STATUS_2_SUM",
            "BUREAU_BB_STATUS_3_SUM",
            "BUREAU_BB_STATUS_4_SUM",
            "BUREAU_BB_STATUS_5_SUM",
            "BUREAU_BB_SHARE_1_MEAN",
            "BUREAU_BB_SHARE_2_MEAN",
            "BUREAU_BB_SHARE_3_MEAN",
            "BUREAU_BB_SHARE_4_MEAN",
            "BUREAU_BB_SHARE_5_MEAN",
            "BUREAU_BB_LATE_MONTHS_SUM",
            "BUREAU_BB_LATE_SHARE_MEAN",
            "BUREAU_BB_LATE_SHARE_MAX",
            "BUREAU_BB_WORST_STATUS_MAX",
            "BUREAU_BB_WORST_STATUS_MEAN",
            "BUREAU_ACTIVE_BB_LATE_SHARE_MEAN",
            "BUREAU_ACTIVE_BB_WORST_STATUS_MAX",
            "BUREAU_CLOSED_BB_LATE_SHARE_MEAN",
            "BUREAU_CLOSED_BB_WORST_STATUS_MAX",
        ),
    ),
    (
        INCREASES_RISK,
        "Credit bureau debt relative to the credit granted: less of it repaid",
        (
            "BUREAU_DEBT_TO_CREDIT_TOTAL",
            "BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL",
            "BUREAU_DEBT_TO_CREDIT_MAX",
            "BUREAU_DEBT_TO_CREDIT_MEAN",
            "BUREAU_ACTIVE_DEBT_TO_CREDIT_MAX",
            "BUREAU_ACTIVE_DEBT_TO_CREDIT_MEAN",
        ),
    ),
)

MONOTONE_DIRECTIONS: dict[str, int] = {
    name: direction for direction, _, names in _MONOTONE_TABLE for name in names
}
MONOTONE_REASONS: dict[str, str] = {
    name: reason for _, reason, names in _MONOTONE_TABLE for name in names
}

# LightGBM's way of enforcing them, chosen on the 30,752 real rows
# (benchmarks/real_data_bench.py, without gender, same folds): out-of-fold AUC
# 0.7499 unconstrained, 0.7504 basic, 0.7513 intermediate, 0.7513 advanced.
# "advanced" does not keep the promise with LightGBM 4.7.0: along constrained
# features that have missing values it let the risk move the wrong way (232 of
# 4,000 checked (row, feature) pairs, up to 0.06 log-odds; the same on synthetic
# data), as in the open LightGBM issues #5358 and #6155. "basic" and
# "intermediate" had no wrong-way step; "intermediate" constrains less.
MONOTONE_METHOD = "intermediate"
MONOTONE_METHOD_REASON = (
    "intermediate: on the 30,752 real rows (without gender, same folds) out-of-fold AUC "
    "0.7513 with the constraints vs 0.7499 without (basic 0.7504); advanced, as accurate, "
    "let the risk move the wrong way along features with missing values under LightGBM 4.7.0."
)


def _check_tables() -> None:
    """Fail at import if a table names a feature that does not exist or cannot be constrained."""
    names = [name for _, _, names in _MONOTONE_TABLE for name in names]
    problems = [name for name in names if name not in FEATURE_NAMES]
    problems += [name for name in names if name in CATEGORICAL_FEATURES]
    problems += sorted({name for name in names if names.count(name) > 1})
    problems += [name for name in EXCLUDED_ATTRIBUTES if name not in EXCLUSION_REASONS]
    if problems:
        raise ImportError(f"ml.policy tables name unusable features: {problems}")


_check_tables()


class PolicyError(ValueError):
    """An excluded attribute that is not an application column, or a bad direction."""


def excluded_features(attributes: Iterable[str]) -> tuple[str, ...]:
    """Every feature computed from one of `attributes` (application columns), in feature order.

    Includes the attribute itself when it is a feature, and every engineered
    feature whose sources (`ml.features.FEATURE_SOURCES`) name it.
    """
    attributes = tuple(attributes)
    unknown = [name for name in attributes if name not in schema.APPLICATION.column_names]
    if unknown:
        raise PolicyError(f"not application columns, cannot be excluded: {unknown}")
    fields = {f"{schema.APPLICATION.name}.{name}" for name in attributes}
    return tuple(
        name
        for name in FEATURE_NAMES
        if name in attributes or fields.intersection(FEATURE_SOURCES.get(name, ()))
    )


def monotone_constraints(
    feature_names: Sequence[str], directions: Mapping[str, int] = MONOTONE_DIRECTIONS
) -> list[int]:
    """LightGBM's `monotone_constraints`: one of -1, 0, +1 per feature, in `feature_names` order."""
    bad = {name: d for name, d in directions.items() if d not in (-1, 0, 1)}
    if bad:
        raise PolicyError(f"monotone directions must be -1, 0 or +1: {bad}")
    return [int(directions.get(name, 0)) for name in feature_names]


def exclusion_reason(attribute: str) -> str:
    return EXCLUSION_REASONS.get(attribute, "Excluded by the training configuration.")


def monotone_reason(feature: str) -> str:
    return MONOTONE_REASONS.get(feature, "Set by the training configuration.")
