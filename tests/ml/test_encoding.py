import math

import numpy as np
import pandas as pd
import pytest

from ml.encoding import CategoryEncoder, EncodingError


def _training_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "AMT_CREDIT": [100.0, np.nan, 300.0, 400.0, 500.0, 600.0],
            "CODE_GENDER": ["F", "F", "F", "M", "M", np.nan],
            "OCCUPATION_TYPE": ["Drivers", "Drivers", "Cooks", "Cooks", "Cooks", "Pilots"],
        },
        index=pd.Index([1, 2, 3, 4, 5, 6], name="SK_ID_CURR"),
    )


def test_codes_follow_training_frequency_and_ignore_row_order():
    frame = _training_frame()
    encoder = CategoryEncoder.fit(frame, min_count=1)
    shuffled = CategoryEncoder.fit(frame.sample(frac=1.0, random_state=4), min_count=1)

    assert encoder.categories == {
        "CODE_GENDER": ["F", "M"],
        "OCCUPATION_TYPE": ["Cooks", "Drivers", "Pilots"],
    }
    assert shuffled.categories == encoder.categories
    assert encoder.code("OCCUPATION_TYPE", "Drivers") == 1.0


def test_unseen_levels_and_missing_values_become_nan():
    encoder = CategoryEncoder.fit(_training_frame(), min_count=1)
    new = pd.DataFrame(
        {
            "AMT_CREDIT": [1.0, 2.0, 3.0],
            "CODE_GENDER": ["XNA", None, np.nan],
            "OCCUPATION_TYPE": ["Astronauts", "Cooks", pd.NA],
        }
    )

    matrix = encoder.transform(new)

    assert np.isnan(matrix[:, 1]).all()
    assert math.isnan(matrix[0, 2]) and matrix[1, 2] == 0.0 and math.isnan(matrix[2, 2])


def test_rare_levels_share_one_reserved_code():
    encoder = CategoryEncoder.fit(_training_frame(), min_count=2)

    assert encoder.categories["OCCUPATION_TYPE"] == ["Cooks", "Drivers"]
    assert encoder.code("OCCUPATION_TYPE", "Pilots") == 2.0  # the rare code
    assert math.isnan(encoder.code("OCCUPATION_TYPE", "Astronauts"))
    assert encoder.decode("OCCUPATION_TYPE", 2.0) == "<rare>"


def test_numeric_nan_stays_nan_and_is_never_zero():
    encoder = CategoryEncoder.fit(_training_frame(), min_count=1)

    matrix = encoder.transform(_training_frame())

    assert matrix.dtype == np.float64
    assert math.isnan(matrix[1, 0])
    assert matrix[0, 0] == 100.0


def test_the_matrix_follows_the_saved_feature_order_whatever_the_frame_order():
    frame = _training_frame()
    encoder = CategoryEncoder.fit(frame, min_count=1)
    reordered = frame[["OCCUPATION_TYPE", "AMT_CREDIT", "CODE_GENDER"]].assign(EXTRA=1)

    np.testing.assert_array_equal(encoder.transform(reordered), encoder.transform(frame))


def test_a_missing_feature_column_is_named():
    encoder = CategoryEncoder.fit(_training_frame())

    with pytest.raises(EncodingError, match="AMT_CREDIT"):
        encoder.transform(_training_frame().drop(columns=["AMT_CREDIT"]))


def test_text_in_a_numeric_column_is_named():
    encoder = CategoryEncoder.fit(_training_frame())
    bad = _training_frame().astype({"AMT_CREDIT": object})
    bad.loc[3, "AMT_CREDIT"] = "lots"

    with pytest.raises(EncodingError, match="'AMT_CREDIT'.*'lots'"):
        encoder.transform(bad)


def test_the_code_tables_survive_a_json_round_trip():
    encoder = CategoryEncoder.fit(_training_frame(), min_count=2)

    restored = CategoryEncoder.from_json(encoder.to_json())

    assert restored.feature_names == encoder.feature_names
    assert restored.categories == encoder.categories
    np.testing.assert_array_equal(
        restored.transform(_training_frame()), encoder.transform(_training_frame())
    )


def test_an_explicit_categorical_list_overrides_dtype_detection():
    frame = _training_frame().assign(CODE_GENDER=np.nan)  # all missing: float dtype

    encoder = CategoryEncoder.fit(frame, categorical=["CODE_GENDER", "OCCUPATION_TYPE"])

    assert encoder.categorical_names == ["CODE_GENDER", "OCCUPATION_TYPE"]
    assert encoder.categories["CODE_GENDER"] == []
