"""ml.features.previous_application on hand-made applications with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ml import schema
from ml.features import previous_application
from tests.ml.features.tables import applications, frame

SENTINEL = 365243
PREVIOUS = [
    {
        "SK_ID_PREV": 100,
        "SK_ID_CURR": 1,
        "NAME_CONTRACT_STATUS": "Approved",
        "NAME_CONTRACT_TYPE": "Cash loans",
        "AMT_APPLICATION": 100_000.0,
        "AMT_CREDIT": 80_000.0,
        "AMT_DOWN_PAYMENT": 8_000.0,
        "AMT_ANNUITY": 10_000.0,
        "CNT_PAYMENT": 10.0,
        "DAYS_DECISION": -300,
        "DAYS_FIRST_DRAWING": SENTINEL,
        "DAYS_LAST_DUE": SENTINEL,  # still running
        "DAYS_TERMINATION": SENTINEL,
    },
    {
        "SK_ID_PREV": 101,
        "SK_ID_CURR": 1,
        "NAME_CONTRACT_STATUS": "Refused",
        "NAME_CONTRACT_TYPE": "Consumer loans",
        "AMT_APPLICATION": 50_000.0,
        "AMT_CREDIT": 50_000.0,
        "DAYS_DECISION": -30,
    },
    {
        "SK_ID_PREV": 102,
        "SK_ID_CURR": 1,
        "NAME_CONTRACT_STATUS": "Refused",
        "NAME_CONTRACT_TYPE": "Consumer loans",
        "AMT_APPLICATION": 20_000.0,
        "AMT_CREDIT": 0.0,  # nothing granted: ratios are NaN, not infinite
        "DAYS_DECISION": -60,
    },
    {
        "SK_ID_PREV": 103,
        "SK_ID_CURR": 1,
        "NAME_CONTRACT_STATUS": "Canceled",
        "NAME_CONTRACT_TYPE": "Revolving loans",
        "DAYS_DECISION": -10,
    },
]


@pytest.fixture
def features():
    tables = {
        "application": applications(1, 2),
        "previous_application": frame(schema.PREVIOUS_APPLICATION, PREVIOUS),
    }
    return previous_application.features(tables)


def test_applications_are_counted_by_status_and_type(features):
    row = features.loc[1]
    assert row["PREV_COUNT"] == 4
    assert row["PREV_APPROVED_COUNT"] == 1
    assert row["PREV_REFUSED_COUNT"] == 2
    assert row["PREV_REFUSED_SHARE"] == 0.5
    assert row["PREV_APPROVED_SHARE"] == 0.25
    assert row["PREV_CANCELED_COUNT"] == 1
    assert row["PREV_UNUSED_OFFER_COUNT"] == 0
    assert row["PREV_TYPE_CONSUMER_COUNT"] == 2
    assert row["PREV_TYPE_REVOLVING_COUNT"] == 1


def test_days_since_the_last_decision_and_refusal(features):
    row = features.loc[1]
    assert row["PREV_DAYS_DECISION_MAX"] == -10
    assert row["PREV_REFUSED_DAYS_DECISION_MAX"] == -30
    assert row["PREV_APPROVED_DAYS_DECISION_MAX"] == -300


def test_amount_ratios(features):
    row = features.loc[1]
    # 100k asked / 80k granted and 50k / 50k; the 0-credit row gives NaN, skipped.
    assert row["PREV_APPLICATION_TO_CREDIT_MAX"] == 1.25
    assert row["PREV_APPLICATION_TO_CREDIT_MEAN"] == pytest.approx((1.25 + 1.0) / 2)
    assert row["PREV_REFUSED_APPLICATION_TO_CREDIT_MEAN"] == 1.0
    assert row["PREV_DOWN_PAYMENT_TO_CREDIT_MEAN"] == 0.1
    assert row["PREV_APPROVED_ANNUITY_TO_CREDIT_MEAN"] == 0.125
    assert row["PREV_APPROVED_INTEREST_SHARE_MEAN"] == pytest.approx(100_000 / 80_000 - 1)
    assert row["PREV_APPROVED_AMT_CREDIT_SUM"] == 80_000
    assert not np.isinf(features.to_numpy()).any()


def test_the_365243_sentinel_dates_become_nan_and_mark_a_running_loan(features):
    row = features.loc[1]
    assert np.isnan(row["PREV_DAYS_LAST_DUE_MAX"])
    assert np.isnan(row["PREV_DAYS_TERMINATION_MAX"])
    assert np.isnan(row["PREV_DAYS_FIRST_DRAWING_MAX"])
    assert row["PREV_RUNNING_COUNT"] == 1


def test_a_client_without_previous_applications_gets_nan_everywhere(features):
    assert features.loc[2].isna().all()


def test_approved_aggregates_are_nan_for_a_client_never_approved():
    refused_only = [row for row in PREVIOUS if row["NAME_CONTRACT_STATUS"] == "Refused"]
    tables = {
        "application": applications(1),
        "previous_application": frame(schema.PREVIOUS_APPLICATION, refused_only),
    }
    row = previous_application.features(tables).loc[1]
    assert row["PREV_APPROVED_COUNT"] == 0  # known: none approved
    assert np.isnan(row["PREV_APPROVED_AMT_CREDIT_MAX"])
    assert row["PREV_REFUSED_SHARE"] == 1.0
