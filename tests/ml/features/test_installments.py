"""ml.features.installments on hand-made payments with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ml import schema
from ml.features import installments
from tests.ml.features.tables import applications, frame


def payment(client, loan, number, due_day, paid_day, due=1_000.0, paid=1_000.0):
    return {
        "SK_ID_CURR": client,
        "SK_ID_PREV": loan,
        "NUM_INSTALMENT_NUMBER": number,
        "NUM_INSTALMENT_VERSION": 1.0,
        "DAYS_INSTALMENT": due_day,
        "DAYS_ENTRY_PAYMENT": paid_day,
        "AMT_INSTALMENT": due,
        "AMT_PAYMENT": paid,
    }


def build(rows, *ids):
    tables = {
        "application": applications(*ids),
        "installments_payments": frame(schema.INSTALLMENTS_PAYMENTS, rows),
    }
    return installments.features(tables)


def test_three_instalments_one_paid_five_days_late():
    rows = [
        payment(1, 10, 1, -90, -92),  # 2 days early
        payment(1, 10, 2, -60, -55),  # 5 days late
        payment(1, 10, 3, -30, -30, paid=900.0),  # on time, 100 short
    ]
    row = build(rows, 1).loc[1]
    assert row["INST_COUNT"] == 3
    assert row["INST_LOANS_COUNT"] == 1
    assert row["INST_DPD_MAX"] == 5
    assert row["INST_DPD_MEAN"] == pytest.approx(5 / 3)
    assert row["INST_DPD_SUM"] == 5
    assert row["INST_DBD_MAX"] == 2
    assert row["INST_LATE_COUNT"] == 1
    assert row["INST_LATE_SHARE"] == pytest.approx(1 / 3)
    assert row["INST_LATE_30_COUNT"] == 0
    assert row["INST_UNDERPAID_SHARE"] == pytest.approx(1 / 3)
    assert row["INST_PAYMENT_DIFF_SUM"] == 100
    assert row["INST_PAYMENT_RATIO_MIN"] == 0.9
    assert row["INST_AMT_PAYMENT_SUM"] == 2_900
    assert row["INST_DAYS_ENTRY_PAYMENT_MAX"] == -30


def test_the_last_365_days_window():
    rows = [
        payment(1, 10, 1, -400, -380),  # 20 days late, but long ago
        payment(1, 10, 2, -300, -300),
        payment(1, 10, 3, -200, -203),
        # Client 2 has instalments, none in the last year.
        payment(2, 20, 1, -800, -790),
    ]
    features = build(rows, 1, 2)
    assert features.loc[1, "INST_DPD_MAX"] == 20
    assert features.loc[1, "INST_365_COUNT"] == 2
    assert features.loc[1, "INST_365_DPD_MAX"] == 0
    assert features.loc[1, "INST_365_LATE_SHARE"] == 0
    assert features.loc[1, "INST_365_DBD_MEAN"] == 1.5
    assert features.loc[2, "INST_365_COUNT"] == 0
    assert np.isnan(features.loc[2, "INST_365_DPD_MAX"])


def test_the_last_three_instalments_of_each_loan():
    # Loan 10: five instalments, the only late one is the oldest; loan 11: one late.
    rows = [payment(1, 10, n, -30 * (6 - n), -30 * (6 - n)) for n in range(1, 6)]
    rows[0]["DAYS_ENTRY_PAYMENT"] = rows[0]["DAYS_INSTALMENT"] + 7
    rows.append(payment(1, 11, 1, -10, -6))
    row = build(list(reversed(rows)), 1).loc[1]
    assert row["INST_DPD_MAX"] == 7
    # Last three of loan 10 (on time) + the single one of loan 11 (4 days late).
    assert row["INST_LAST3_DPD_MAX"] == 4
    assert row["INST_LAST3_LATE_SHARE"] == pytest.approx(1 / 4)


def test_an_unpaid_instalment_is_counted_and_left_out_of_delays():
    rows = [payment(1, 10, 1, -60, -60), payment(1, 10, 2, -30, None, paid=None)]
    row = build(rows, 1).loc[1]
    assert row["INST_UNPAID_COUNT"] == 1
    assert row["INST_DPD_MEAN"] == 0  # the unknown delay is skipped, not counted as 0
    assert row["INST_LATE_SHARE"] == 0


def test_a_zero_instalment_gives_a_nan_ratio_not_infinity():
    row = build([payment(1, 10, 1, -30, -30, due=0.0, paid=50.0)], 1).loc[1]
    assert np.isnan(row["INST_PAYMENT_RATIO_MEAN"])
    assert row["INST_PAYMENT_DIFF_SUM"] == -50


def test_a_client_without_instalments_gets_nan_everywhere():
    features = build([payment(1, 10, 1, -30, -30)], 1, 2)
    assert features.loc[2].isna().all()
