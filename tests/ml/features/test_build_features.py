"""ml.features.build_features: the column contract, missing tables, one vs many applications."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pytest

from ml import schema
from ml.dataset import load_tables
from ml.features import (
    CATEGORICAL_FEATURES,
    FEATURE_DESCRIPTIONS,
    FEATURE_NAMES,
    FEATURE_SOURCES,
    build_features,
    describe,
    raw_fields_for,
)
from tests.ml.features.tables import applications, frame

HISTORY_PREFIXES = ("BUREAU_", "PREV_", "POS_", "INST_", "CC_")


def full_tables() -> dict[str, pd.DataFrame]:
    """Applications 1, 2, 3: 1 and 3 with some history in every table, 2 with none.

    A new dict each time (tests replace entries), over frames built once (never modified).
    """
    return dict(_full_tables())


@functools.cache
def _full_tables() -> dict[str, pd.DataFrame]:
    tables = {
        "application": applications(
            1,
            2,
            3,
            AMT_CREDIT=[100_000.0, 200_000.0, 300_000.0],
            AMT_INCOME_TOTAL=[50_000.0, 60_000.0, 70_000.0],
            OCCUPATION_TYPE=["Laborers", "Space pirate", None],
            TARGET=[0, 1, 0],
        ),
        "bureau": frame(
            schema.BUREAU,
            [
                {
                    "SK_ID_CURR": client,
                    "SK_ID_BUREAU": 10 * client + n,
                    "CREDIT_ACTIVE": status,
                    "CREDIT_TYPE": "Consumer credit",
                    "AMT_CREDIT_SUM": 1_000.0 * (n + 1),
                    "AMT_CREDIT_SUM_DEBT": 100.0 * n,
                    "DAYS_CREDIT": -100 * (n + 1),
                }
                for client in (1, 3)
                for n, status in enumerate(("Active", "Closed"))
            ],
        ),  # fmt: skip
        "bureau_balance": frame(
            schema.BUREAU_BALANCE,
            [
                {"SK_ID_BUREAU": credit, "MONTHS_BALANCE": -m, "STATUS": "01C"[m % 3]}
                for credit in (10, 11, 30)
                for m in range(1, 5)
            ],
        ),
        "previous_application": frame(
            schema.PREVIOUS_APPLICATION,
            [
                {
                    "SK_ID_PREV": 100 + client,
                    "SK_ID_CURR": client,
                    "AMT_CREDIT": 5_000.0,
                    "AMT_APPLICATION": 6_000.0,
                    "NAME_CONTRACT_STATUS": "Approved",
                    "DAYS_DECISION": -50,
                }
                for client in (1, 3)
            ],
        ),  # fmt: skip
        "POS_CASH_balance": frame(
            schema.POS_CASH_BALANCE,
            [
                {
                    "SK_ID_PREV": 100 + client,
                    "SK_ID_CURR": client,
                    "MONTHS_BALANCE": -m,
                    "SK_DPD": m,
                    "SK_DPD_DEF": 0,
                    "NAME_CONTRACT_STATUS": "Active",
                    "CNT_INSTALMENT": 6.0,
                    "CNT_INSTALMENT_FUTURE": 6.0 - m,
                }
                for client in (1, 3)
                for m in range(1, 4)
            ],
        ),  # fmt: skip
        "installments_payments": frame(
            schema.INSTALLMENTS_PAYMENTS,
            [
                {
                    "SK_ID_PREV": 100 + client,
                    "SK_ID_CURR": client,
                    "NUM_INSTALMENT_NUMBER": m,
                    "DAYS_INSTALMENT": -30.0 * m,
                    "DAYS_ENTRY_PAYMENT": -30.0 * m + client,
                    "AMT_INSTALMENT": 500.0,
                    "AMT_PAYMENT": 500.0,
                }
                for client in (1, 3)
                for m in range(1, 4)
            ],
        ),  # fmt: skip
        "credit_card_balance": frame(
            schema.CREDIT_CARD_BALANCE,
            [
                {
                    "SK_ID_PREV": 200 + client,
                    "SK_ID_CURR": client,
                    "MONTHS_BALANCE": -m,
                    "AMT_BALANCE": 100.0 * m,
                    "AMT_CREDIT_LIMIT_ACTUAL": 1_000,
                    "SK_DPD": 0,
                    "SK_DPD_DEF": 0,
                }
                for client in (1, 3)
                for m in range(1, 3)
            ],
        ),  # fmt: skip
    }
    return tables


def history_columns(features: pd.DataFrame) -> list[str]:
    return [name for name in features.columns if name.startswith(HISTORY_PREFIXES)]


def test_one_row_per_application_in_its_order_indexed_by_sk_id_curr():
    tables = full_tables()
    tables["application"] = tables["application"].iloc[[2, 0, 1]].reset_index(drop=True)
    features = build_features(tables)
    assert list(features.index) == [3, 1, 2]
    assert features.index.name == "SK_ID_CURR"
    assert list(features.columns) == list(FEATURE_NAMES)


def test_numbers_are_float64_text_is_object_and_names_suit_lightgbm():
    features = build_features(full_tables())
    numeric = [name for name in features.columns if name not in CATEGORICAL_FEATURES]
    assert (features[numeric].dtypes == np.float64).all()
    assert all(dtype == np.dtype(object) for dtype in features[list(CATEGORICAL_FEATURES)].dtypes)
    assert not np.isinf(features[numeric].to_numpy()).any()
    assert all(re.fullmatch(r"[A-Z0-9_]+", name) for name in features.columns)
    assert "TARGET" not in features.columns


def test_a_client_without_any_history_gets_nan_in_every_history_feature():
    features = build_features(full_tables())
    columns = history_columns(features)
    assert len(columns) > 300
    assert features.loc[2, columns].isna().all()
    assert features.loc[1, columns].notna().sum() > 200


@pytest.mark.parametrize(
    "tables",
    [
        pytest.param(lambda full: {"application": full["application"]}, id="absent"),
        pytest.param(
            lambda full: (
                {name: f.iloc[0:0] for name, f in full.items() if name != "application"}
                | {"application": full["application"]}
            ),
            id="empty",
        ),
        pytest.param(
            lambda full: (
                {name: pd.DataFrame() for name in full if name != "application"}
                | {"application": full["application"]}
            ),
            id="empty-without-columns",
        ),
    ],
)
def test_missing_or_empty_history_tables_give_the_same_columns_all_nan(tables):
    full = full_tables()
    alone = build_features(tables(full))
    assert list(alone.columns) == list(build_features(full).columns)
    assert alone[history_columns(alone)].isna().all().all()
    assert alone.loc[1, "AMT_CREDIT"] == 100_000.0


def test_a_history_table_alone_fills_its_own_features_only():
    full = full_tables()
    features = build_features(
        {"application": full["application"], "installments_payments": full["installments_payments"]}
    )
    assert features.loc[1, "INST_COUNT"] == 3
    others = [name for name in history_columns(features) if not name.startswith("INST_")]
    assert features[others].isna().all().all()


def test_one_application_gives_one_row_equal_to_its_row_among_many():
    full = full_tables()
    many = build_features(full)
    for sk_id in (1, 2, 3):
        alone = dict(full)
        alone["application"] = full["application"][full["application"]["SK_ID_CURR"] == sk_id]
        one = build_features(alone)
        assert one.shape == (1, many.shape[1])
        assert list(one.columns) == list(many.columns)
        pd.testing.assert_frame_equal(one, many.loc[[sk_id]])


def test_history_rows_of_other_clients_change_nothing():
    full = full_tables()
    only_client_1 = {
        name: f[f["SK_ID_CURR"] == 1] if "SK_ID_CURR" in f.columns else f
        for name, f in full.items()
    }
    pd.testing.assert_frame_equal(build_features(only_client_1), build_features(full).loc[[1]])


def test_a_repeated_application_gets_the_same_features_twice():
    full = full_tables()
    full["application"] = pd.concat([full["application"]] * 2, ignore_index=True)
    features = build_features(full)
    assert list(features.index) == [1, 2, 3, 1, 2, 3]
    pd.testing.assert_frame_equal(features.iloc[:3], features.iloc[3:])


def test_unseen_categories_pass_through_as_strings():
    features = build_features(full_tables())
    assert features.loc[2, "OCCUPATION_TYPE"] == "Space pirate"
    assert np.isnan(features.loc[3, "OCCUPATION_TYPE"])


def test_every_feature_has_raw_sources_and_a_description():
    assert set(FEATURE_SOURCES) == set(FEATURE_NAMES) == set(FEATURE_DESCRIPTIONS)
    for name in FEATURE_NAMES:
        sources = raw_fields_for(name)
        assert sources, name
        for source in sources:
            table_name, _, column = source.partition(".")
            assert column in schema.TABLES_BY_NAME[table_name].column_names, (name, source)
        assert len(describe(name)) > 5
    assert raw_fields_for("APP_CREDIT_TO_INCOME") == [
        "application.AMT_CREDIT",
        "application.AMT_INCOME_TOTAL",
    ]
    assert "bureau_balance.STATUS" in raw_fields_for("BUREAU_BB_LATE_SHARE_MEAN")
    assert "bureau.CREDIT_ACTIVE" in raw_fields_for("BUREAU_ACTIVE_AMT_CREDIT_SUM_SUM")
    with pytest.raises(KeyError, match="NOT_A_FEATURE"):
        raw_fields_for("NOT_A_FEATURE")


def test_the_real_sample_folder_loads_and_gives_features(homecredit_samples):
    tables = load_tables(homecredit_samples / "lia-git__credit_predict")
    features = build_features(tables)
    assert features.shape == (199, len(FEATURE_NAMES))
    assert list(features.index) == list(tables["application"]["SK_ID_CURR"])
    # Its history rows are the first rows of each file: mostly other clients.
    assert features[history_columns(features)].isna().mean().mean() > 0.9
    assert features["APP_EXT_SOURCE_MEAN"].notna().all()
