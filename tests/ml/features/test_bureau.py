"""ml.features.bureau (bureau + bureau_balance) on hand-made credits with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ml import schema
from ml.features import bureau
from tests.ml.features.tables import applications, frame

# Client 1: two active credits and one closed one; client 2: no bureau record.
CREDITS = [
    {
        "SK_ID_CURR": 1,
        "SK_ID_BUREAU": 10,
        "CREDIT_ACTIVE": "Active",
        "CREDIT_TYPE": "Consumer credit",
        "DAYS_CREDIT": -100,
        "CREDIT_DAY_OVERDUE": 0,
        "AMT_CREDIT_SUM": 100_000.0,
        "AMT_CREDIT_SUM_DEBT": 40_000.0,
        "AMT_CREDIT_SUM_OVERDUE": 0.0,
        "CNT_CREDIT_PROLONG": 0,
    },
    {
        "SK_ID_CURR": 1,
        "SK_ID_BUREAU": 11,
        "CREDIT_ACTIVE": "Active",
        "CREDIT_TYPE": "Credit card",
        "DAYS_CREDIT": -400,
        "CREDIT_DAY_OVERDUE": 10,
        "AMT_CREDIT_SUM": 50_000.0,
        "AMT_CREDIT_SUM_DEBT": 50_000.0,
        "AMT_CREDIT_SUM_OVERDUE": 500.0,
        "AMT_CREDIT_MAX_OVERDUE": 800.0,
        "CNT_CREDIT_PROLONG": 0,
    },
    {
        "SK_ID_CURR": 1,
        "SK_ID_BUREAU": 12,
        "CREDIT_ACTIVE": "Closed",
        "CREDIT_TYPE": "Car loan",
        "DAYS_CREDIT": -1_000,
        "DAYS_CREDIT_ENDDATE": -300,
        "DAYS_ENDDATE_FACT": -200,
        "CREDIT_DAY_OVERDUE": 0,
        "AMT_CREDIT_SUM": 200_000.0,
        "AMT_CREDIT_SUM_DEBT": 0.0,
        "AMT_CREDIT_SUM_OVERDUE": 0.0,
        "CNT_CREDIT_PROLONG": 1,
    },
]
# Credit 10: months 0, 0, 1 (late), C. Credit 11: X, X. Credit 12: no months.
MONTHS = [
    {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -4, "STATUS": "0"},
    {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -3, "STATUS": "0"},
    {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -2, "STATUS": "1"},
    {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -1, "STATUS": "C"},
    {"SK_ID_BUREAU": 11, "MONTHS_BALANCE": -2, "STATUS": "X"},
    {"SK_ID_BUREAU": 11, "MONTHS_BALANCE": -1, "STATUS": "X"},
    # A credit of a client who is not among the applications: ignored.
    {"SK_ID_BUREAU": 99, "MONTHS_BALANCE": -1, "STATUS": "5"},
]


@pytest.fixture
def features():
    tables = {
        "application": applications(1, 2),
        "bureau": frame(schema.BUREAU, CREDITS),
        "bureau_balance": frame(schema.BUREAU_BALANCE, MONTHS),
    }
    return bureau.features(tables)


def test_credits_are_counted_by_status_and_type(features):
    row = features.loc[1]
    assert row["BUREAU_COUNT"] == 3
    assert row["BUREAU_ACTIVE_COUNT"] == 2
    assert row["BUREAU_ACTIVE_SHARE"] == pytest.approx(2 / 3)
    assert row["BUREAU_CLOSED_COUNT"] == 1
    assert row["BUREAU_SOLD_OR_BAD_DEBT_COUNT"] == 0
    assert row["BUREAU_TYPE_CONSUMER_CREDIT_COUNT"] == 1
    assert row["BUREAU_TYPE_CREDIT_CARD_COUNT"] == 1
    assert row["BUREAU_TYPE_CAR_LOAN_COUNT"] == 1
    assert row["BUREAU_TYPE_MORTGAGE_COUNT"] == 0
    assert row["BUREAU_TYPE_OTHER_COUNT"] == 0


def test_debt_and_overdue_amounts(features):
    row = features.loc[1]
    assert row["BUREAU_AMT_CREDIT_SUM_DEBT_SUM"] == 90_000
    assert row["BUREAU_DEBT_TO_CREDIT_TOTAL"] == pytest.approx(90_000 / 350_000)
    assert row["BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL"] == pytest.approx(90_000 / 150_000)
    assert row["BUREAU_DEBT_TO_CREDIT_MAX"] == 1.0
    assert row["BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM"] == 500
    assert row["BUREAU_AMT_CREDIT_MAX_OVERDUE_MAX"] == 800  # the other credits' NaN skipped
    assert row["BUREAU_CREDIT_DAY_OVERDUE_MAX"] == 10
    assert row["BUREAU_OVERDUE_COUNT"] == 1
    assert row["BUREAU_CNT_CREDIT_PROLONG_SUM"] == 1
    assert row["BUREAU_PROLONGED_COUNT"] == 1


def test_active_and_closed_credits_are_aggregated_separately(features):
    row = features.loc[1]
    assert row["BUREAU_DAYS_CREDIT_MAX"] == -100  # the most recent credit
    assert row["BUREAU_ACTIVE_AMT_CREDIT_SUM_SUM"] == 150_000
    assert row["BUREAU_ACTIVE_DAYS_CREDIT_MIN"] == -400
    assert row["BUREAU_CLOSED_AMT_CREDIT_SUM_SUM"] == 200_000
    assert row["BUREAU_CLOSED_DAYS_ENDDATE_FACT_MAX"] == -200
    assert row["BUREAU_CLOSED_ENDDATE_GAP_MEAN"] == 100  # ended 100 days after planned


def test_monthly_statuses_are_counted_per_credit_then_per_client(features):
    row = features.loc[1]
    assert row["BUREAU_BB_CREDITS_COUNT"] == 2
    assert row["BUREAU_BB_MONTHS_SUM"] == 6
    assert row["BUREAU_BB_MONTHS_MEAN"] == 3  # credits 10 and 11; 12 has no months
    assert row["BUREAU_BB_STATUS_0_SUM"] == 2
    assert row["BUREAU_BB_STATUS_1_SUM"] == 1
    assert row["BUREAU_BB_STATUS_C_SUM"] == 1
    assert row["BUREAU_BB_STATUS_X_SUM"] == 2
    assert row["BUREAU_BB_STATUS_5_SUM"] == 0  # credit 99 belongs to nobody here
    assert row["BUREAU_BB_SHARE_0_MEAN"] == pytest.approx((2 / 4 + 0) / 2)
    assert row["BUREAU_BB_SHARE_X_MEAN"] == pytest.approx((0 + 1) / 2)
    assert row["BUREAU_BB_LATE_MONTHS_SUM"] == 1
    # Late among months with a known delay (0-5): 1 of 3 for credit 10; unknown for 11.
    assert row["BUREAU_BB_LATE_SHARE_MEAN"] == pytest.approx(1 / 3)
    assert row["BUREAU_BB_WORST_STATUS_MAX"] == 1
    assert row["BUREAU_BB_LAST_LATE_MONTH_MAX"] == -2
    assert row["BUREAU_ACTIVE_BB_WORST_STATUS_MAX"] == 1
    assert np.isnan(row["BUREAU_CLOSED_BB_MONTHS_MEAN"])


def test_a_client_without_bureau_record_gets_nan_everywhere(features):
    assert features.loc[2].isna().all()


def test_an_unseen_credit_type_counts_as_other():
    credits = [dict(CREDITS[0], CREDIT_TYPE="Space shuttle lease")]
    tables = {"application": applications(1), "bureau": frame(schema.BUREAU, credits)}
    row = bureau.features(tables).loc[1]
    assert row["BUREAU_TYPE_OTHER_COUNT"] == 1
    assert row["BUREAU_TYPE_CONSUMER_CREDIT_COUNT"] == 0


def test_without_bureau_balance_the_monthly_features_are_nan_and_the_rest_computed():
    tables = {"application": applications(1), "bureau": frame(schema.BUREAU, CREDITS)}
    row = bureau.features(tables).loc[1]
    assert row["BUREAU_COUNT"] == 3
    assert np.isnan(row["BUREAU_BB_MONTHS_SUM"])
    assert np.isnan(row["BUREAU_BB_LATE_SHARE_MEAN"])


def test_object_and_category_text_columns_give_the_same_features():
    credits = frame(schema.BUREAU, CREDITS)
    months = frame(schema.BUREAU_BALANCE, MONTHS)
    as_objects = {
        "application": applications(1, 2),
        "bureau": credits.astype({"CREDIT_ACTIVE": object, "CREDIT_TYPE": object}),
        "bureau_balance": months.astype({"STATUS": object}),
    }
    as_categories = {"application": applications(1, 2), "bureau": credits, "bureau_balance": months}
    assert bureau.features(as_objects).equals(bureau.features(as_categories))
