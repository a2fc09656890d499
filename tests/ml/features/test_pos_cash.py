"""ml.features.pos_cash on hand-made monthly snapshots with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ml import schema
from ml.features import pos_cash
from tests.ml.features.tables import applications, frame

# Loan 1 (completed at its latest month, 5 days late once), loan 2 (active, 9 of 12
# instalments left). Rows deliberately out of order: "latest" must not rely on it.
MONTHS = [
    {"SK_ID_PREV": 2, "SK_ID_CURR": 1, "MONTHS_BALANCE": -1, "NAME_CONTRACT_STATUS": "Active",
     "CNT_INSTALMENT": 12.0, "CNT_INSTALMENT_FUTURE": 9.0, "SK_DPD": 0, "SK_DPD_DEF": 0},
    {"SK_ID_PREV": 1, "SK_ID_CURR": 1, "MONTHS_BALANCE": -1, "NAME_CONTRACT_STATUS": "Completed",
     "CNT_INSTALMENT": 3.0, "CNT_INSTALMENT_FUTURE": 0.0, "SK_DPD": 0, "SK_DPD_DEF": 0},
    {"SK_ID_PREV": 1, "SK_ID_CURR": 1, "MONTHS_BALANCE": -3, "NAME_CONTRACT_STATUS": "Active",
     "CNT_INSTALMENT": 3.0, "CNT_INSTALMENT_FUTURE": 2.0, "SK_DPD": 0, "SK_DPD_DEF": 0},
    {"SK_ID_PREV": 2, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2, "NAME_CONTRACT_STATUS": "Active",
     "CNT_INSTALMENT": 12.0, "CNT_INSTALMENT_FUTURE": 10.0, "SK_DPD": 0, "SK_DPD_DEF": 0},
    {"SK_ID_PREV": 1, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2, "NAME_CONTRACT_STATUS": "Active",
     "CNT_INSTALMENT": 3.0, "CNT_INSTALMENT_FUTURE": 1.0, "SK_DPD": 5, "SK_DPD_DEF": 0},
    # An old month of loan 3, which still runs: outside the 12-month window.
    {"SK_ID_PREV": 3, "SK_ID_CURR": 3, "MONTHS_BALANCE": -40, "NAME_CONTRACT_STATUS": "Active",
     "CNT_INSTALMENT": 24.0, "CNT_INSTALMENT_FUTURE": 20.0, "SK_DPD": 30, "SK_DPD_DEF": 30},
]  # fmt: skip


@pytest.fixture
def features():
    tables = {
        "application": applications(1, 2, 3),
        "POS_CASH_balance": frame(schema.POS_CASH_BALANCE, MONTHS),
    }
    return pos_cash.features(tables)


def test_months_loans_and_delays(features):
    row = features.loc[1]
    assert row["POS_COUNT"] == 5
    assert row["POS_LOANS_COUNT"] == 2
    assert row["POS_MONTHS_BALANCE_MIN"] == -3
    assert row["POS_SK_DPD_MAX"] == 5
    assert row["POS_SK_DPD_MEAN"] == 1
    assert row["POS_DPD_POSITIVE_COUNT"] == 1
    assert row["POS_DPD_POSITIVE_SHARE"] == pytest.approx(1 / 5)
    assert row["POS_DPD_DEF_POSITIVE_SHARE"] == 0


def test_the_latest_month_of_each_loan_gives_active_completed_and_remaining(features):
    row = features.loc[1]
    assert row["POS_ACTIVE_LOANS_COUNT"] == 1
    assert row["POS_COMPLETED_LOANS_COUNT"] == 1
    assert row["POS_ACTIVE_REMAINING_INSTALMENTS_SUM"] == 9
    assert row["POS_LOAN_REMAINING_SHARE_MEAN"] == pytest.approx((0 / 3 + 9 / 12) / 2)


def test_the_recent_window_holds_the_last_twelve_months_only(features):
    recent, old = features.loc[1], features.loc[3]
    assert recent["POS_RECENT_COUNT"] == 5
    assert recent["POS_RECENT_SK_DPD_MAX"] == 5
    assert old["POS_SK_DPD_MAX"] == 30
    assert old["POS_RECENT_COUNT"] == 0  # known: no recent month
    assert np.isnan(old["POS_RECENT_SK_DPD_MAX"])
    assert old["POS_ACTIVE_REMAINING_INSTALMENTS_SUM"] == 20


def test_a_client_without_pos_cash_rows_gets_nan_everywhere(features):
    assert features.loc[2].isna().all()
