"""ml.features.application on hand-made applications with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ml import schema
from ml.features import application
from tests.ml.features.tables import applications


def build(**columns):
    ids = range(1, 1 + len(next(iter(columns.values()))))
    return application.features({"application": applications(*ids, **columns)})


def test_the_credit_ratios_are_computed_from_the_amounts():
    features = build(
        AMT_CREDIT=[200_000.0],
        AMT_INCOME_TOTAL=[100_000.0],
        AMT_ANNUITY=[10_000.0],
        AMT_GOODS_PRICE=[180_000.0],
        CNT_FAM_MEMBERS=[2.0],
        CNT_CHILDREN=[1],
    )
    row = features.loc[1]
    assert row["APP_CREDIT_TO_INCOME"] == 2.0
    assert row["APP_ANNUITY_TO_INCOME"] == 0.1
    assert row["APP_ANNUITY_TO_CREDIT"] == 0.05
    assert row["APP_CREDIT_TERM"] == 20.0
    assert row["APP_GOODS_TO_CREDIT"] == 0.9
    assert row["APP_CREDIT_MINUS_GOODS"] == 20_000.0
    assert row["APP_INCOME_PER_PERSON"] == 50_000.0
    assert row["APP_CHILDREN_SHARE"] == 0.5


def test_a_zero_denominator_gives_nan_never_infinity():
    features = build(AMT_CREDIT=[200_000.0], AMT_INCOME_TOTAL=[0.0], AMT_ANNUITY=[0.0])
    assert np.isnan(features.loc[1, "APP_CREDIT_TO_INCOME"])
    assert np.isnan(features.loc[1, "APP_CREDIT_TERM"])
    numbers = features.select_dtypes("number").to_numpy()
    assert not np.isinf(numbers).any()


def test_the_days_employed_sentinel_becomes_nan_and_sets_the_not_employed_flag():
    features = build(
        DAYS_EMPLOYED=[schema.DAYS_EMPLOYED_SENTINEL, -1_000, None], DAYS_BIRTH=[-20_000] * 3
    )
    assert np.isnan(features.loc[1, "DAYS_EMPLOYED"])
    assert features.loc[1, "APP_NOT_EMPLOYED"] == 1.0
    assert np.isnan(features.loc[1, "APP_EMPLOYED_TO_AGE"])
    assert features.loc[2, "DAYS_EMPLOYED"] == -1_000.0
    assert features.loc[2, "APP_NOT_EMPLOYED"] == 0.0
    assert features.loc[2, "APP_EMPLOYED_TO_AGE"] == 0.05
    assert features.loc[2, "APP_YEARS_EMPLOYED"] == pytest.approx(1_000 / 365.25)
    assert np.isnan(features.loc[3, "APP_NOT_EMPLOYED"])  # unknown stays unknown


def test_the_caller_frame_is_left_untouched():
    frame = applications(1, DAYS_EMPLOYED=[schema.DAYS_EMPLOYED_SENTINEL])
    application.features({"application": frame})
    assert frame.loc[0, "DAYS_EMPLOYED"] == schema.DAYS_EMPLOYED_SENTINEL


def test_age_is_in_years():
    features = build(DAYS_BIRTH=[-10_957.5])
    assert features.loc[1, "APP_AGE_YEARS"] == pytest.approx(30.0)


def test_external_score_statistics_leave_a_missing_score_out():
    features = build(EXT_SOURCE_1=[None], EXT_SOURCE_2=[0.4], EXT_SOURCE_3=[0.6])
    row = features.loc[1]
    assert np.isnan(row["EXT_SOURCE_1"])  # the input itself stays missing
    assert row["APP_EXT_SOURCE_MEAN"] == pytest.approx(0.5)
    assert row["APP_EXT_SOURCE_MIN"] == 0.4
    assert row["APP_EXT_SOURCE_MAX"] == 0.6
    assert row["APP_EXT_SOURCE_COUNT"] == 2.0
    assert np.isnan(row["APP_EXT_SOURCE_PROD"])  # needs all three


def test_external_score_statistics_with_all_three_known():
    features = build(EXT_SOURCE_1=[0.2], EXT_SOURCE_2=[0.5], EXT_SOURCE_3=[0.8])
    row = features.loc[1]
    assert row["APP_EXT_SOURCE_PROD"] == pytest.approx(0.08)
    assert row["APP_EXT_SOURCE_MEAN"] == pytest.approx(0.5)


def test_no_external_score_at_all_gives_nan_statistics():
    features = build(EXT_SOURCE_1=[None])
    row = features.loc[1]
    assert row["APP_EXT_SOURCE_COUNT"] == 0.0
    for name in ("MEAN", "MIN", "MAX", "PROD"):
        assert np.isnan(row[f"APP_EXT_SOURCE_{name}"])


def test_documents_provided_are_counted():
    documents = {f"FLAG_DOCUMENT_{n}": [0] for n in range(2, 22)}
    documents["FLAG_DOCUMENT_3"] = [1]
    documents["FLAG_DOCUMENT_8"] = [1]
    assert build(**documents).loc[1, "APP_DOCUMENT_COUNT"] == 2.0


def test_counts_over_unknown_flags_are_unknown_not_zero():
    assert np.isnan(build(FLAG_DOCUMENT_3=[None]).loc[1, "APP_DOCUMENT_COUNT"])


def test_text_columns_pass_through_as_strings_with_unseen_levels_kept():
    features = build(OCCUPATION_TYPE=["Space pirate", None], CODE_GENDER=["F", "M"])
    assert features["OCCUPATION_TYPE"].dtype == object
    assert features.loc[1, "OCCUPATION_TYPE"] == "Space pirate"
    assert isinstance(features.loc[2, "OCCUPATION_TYPE"], float)  # NaN, not None
    assert np.isnan(features.loc[2, "OCCUPATION_TYPE"])
    assert list(features["CODE_GENDER"]) == ["F", "M"]


def test_target_and_the_key_are_never_features():
    frame = applications(1, 2, TARGET=[1, 0])
    features = application.features({"application": frame})
    assert "TARGET" not in features.columns
    assert "SK_ID_CURR" not in features.columns
    assert features.index.name == "SK_ID_CURR"
    assert list(features.index) == [1, 2]


def test_every_raw_column_is_kept_and_numbers_are_float64():
    features = build(AMT_CREDIT=[1.0])
    assert set(application.RAW_COLUMNS) <= set(features.columns)
    assert len(application.RAW_COLUMNS) == len(schema.APPLICATION.columns) - 2
    numeric = [c for c in features.columns if c not in application.CATEGORICAL_COLUMNS]
    assert (features[numeric].dtypes == np.float64).all()
    assert list(features.columns) == list(application.COLUMNS)


def test_a_missing_column_in_the_input_gives_nan():
    frame = applications(1, AMT_CREDIT=[1.0]).drop(columns=["EXT_SOURCE_3", "OCCUPATION_TYPE"])
    features = application.features({"application": frame})
    assert np.isnan(features.loc[1, "EXT_SOURCE_3"])
    assert np.isnan(features.loc[1, "OCCUPATION_TYPE"])
