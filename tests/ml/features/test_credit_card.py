"""ml.features.credit_card on hand-made monthly snapshots with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ml import schema
from ml.features import credit_card
from tests.ml.features.tables import applications, frame


def month(card, month_balance, balance, limit, minimum, paid, dpd=0, drawn=0.0):
    return {
        "SK_ID_CURR": 1,
        "SK_ID_PREV": card,
        "MONTHS_BALANCE": month_balance,
        "AMT_BALANCE": balance,
        "AMT_CREDIT_LIMIT_ACTUAL": limit,
        "AMT_INST_MIN_REGULARITY": minimum,
        "AMT_PAYMENT_TOTAL_CURRENT": paid,
        "AMT_DRAWINGS_CURRENT": drawn,
        "SK_DPD": dpd,
        "SK_DPD_DEF": 0,
        "NAME_CONTRACT_STATUS": "Active",
    }


MONTHS = [
    month(7, -3, 50_000.0, 100_000.0, 5_000.0, 5_000.0, drawn=20_000.0),
    month(7, -2, 90_000.0, 100_000.0, 5_000.0, 3_000.0, dpd=12),
    month(7, -1, 120_000.0, 100_000.0, 6_000.0, 6_000.0),  # over the limit
    month(8, -20, 1_000.0, 0.0, 0.0, 0.0),  # a limit of 0: no utilisation
]


@pytest.fixture
def features():
    tables = {
        "application": applications(1, 2),
        "credit_card_balance": frame(schema.CREDIT_CARD_BALANCE, MONTHS),
    }
    return credit_card.features(tables)


def test_utilisation_is_balance_over_limit(features):
    row = features.loc[1]
    assert row["CC_UTILISATION_MAX"] == 1.2
    assert row["CC_UTILISATION_MEAN"] == pytest.approx((0.5 + 0.9 + 1.2) / 3)
    assert row["CC_OVER_LIMIT_COUNT"] == 1
    assert row["CC_DRAWINGS_TO_LIMIT_MAX"] == 0.2
    assert not np.isinf(features.to_numpy()).any()


def test_payments_against_the_minimum_instalment(features):
    row = features.loc[1]
    assert row["CC_BELOW_MIN_COUNT"] == 1
    assert row["CC_BELOW_MIN_SHARE"] == 0.25
    assert row["CC_PAYMENT_TO_MIN_MIN"] == 0.6
    assert row["CC_AMT_PAYMENT_TOTAL_CURRENT_SUM"] == 14_000


def test_delays_months_and_cards(features):
    row = features.loc[1]
    assert row["CC_COUNT"] == 4
    assert row["CC_LOANS_COUNT"] == 2
    assert row["CC_MONTHS_BALANCE_MIN"] == -20
    assert row["CC_SK_DPD_MAX"] == 12
    assert row["CC_DPD_POSITIVE_SHARE"] == 0.25
    assert row["CC_RECENT_COUNT"] == 3
    assert row["CC_RECENT_UTILISATION_MAX"] == 1.2


def test_the_latest_month_of_each_card(features):
    row = features.loc[1]
    assert row["CC_LAST_BALANCE_SUM"] == 121_000  # card 7 at -1 plus card 8 at -20
    assert row["CC_LAST_UTILISATION_MEAN"] == 1.2  # card 8's is unknown, skipped


def test_a_client_without_cards_gets_nan_everywhere(features):
    assert features.loc[2].isna().all()
