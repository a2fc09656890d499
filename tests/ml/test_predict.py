import math

import numpy as np
import pytest

from ml.predict import GRANTED, REFUSED, ScoringModel, load_model
from tests.ml.trained import saved_artifact, tables_copy


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> ScoringModel:
    return load_model(saved_artifact(tmp_path_factory.mktemp("model") / "artifact"))


@pytest.fixture(scope="module")
def features(model):
    return model.features(tables_copy())


def test_predictions_are_calibrated_probabilities_with_decisions_at_the_threshold(model, features):
    prediction = model.predict(features.iloc[:200])

    assert ((prediction.probability > 0) & (prediction.probability < 1)).all()
    refused = prediction.probability >= model.threshold
    assert (prediction.decision[refused] == REFUSED).all()
    assert (prediction.decision[~refused] == GRANTED).all()
    assert list(prediction.index) == list(features.index[:200])
    frame = prediction.as_frame()
    assert list(frame.columns) == ["probability", "decision", "raw_score"]


def test_one_application_is_scored_like_in_a_batch(model, features):
    batch = model.predict(features)
    one = model.predict(features.iloc[[17]])

    assert one.raw_score[0] == pytest.approx(batch.raw_score[17], abs=1e-12)


def test_explanations_sum_to_the_raw_score(model, features):
    rows = features.iloc[:50]

    explanation = model.explain(rows)

    total = explanation.contributions.sum(axis=1).to_numpy() + explanation.base_value
    np.testing.assert_allclose(total, model.predict(rows).raw_score, atol=1e-6)
    assert list(explanation.contributions.columns) == model.feature_names
    assert explanation.base_value == pytest.approx(model.expected_raw_score())


def test_a_missing_value_reaches_lightgbm_as_nan_not_zero(model, features):
    row = features.iloc[[0]].copy()
    row["EXT_SOURCE_3"] = np.nan
    row["AMT_ANNUITY"] = np.nan
    row["OCCUPATION_TYPE"] = np.nan

    matrix = model.encode(row)

    for name in ("EXT_SOURCE_3", "AMT_ANNUITY", "OCCUPATION_TYPE"):
        assert math.isnan(matrix[0, model.feature_names.index(name)])
    np.testing.assert_array_equal(
        model.predict(row).raw_score, model.booster.predict(matrix, raw_score=True)
    )


def test_history_features_are_nan_for_an_application_that_comes_alone(model):
    tables = tables_copy()
    alone = {"application": tables["application"].iloc[:3].drop(columns=["TARGET"])}

    features = model.features(alone)

    assert list(features.columns) == model.feature_names
    history = [name for name in model.feature_names if name.startswith("BUREAU_")]
    assert history and features[history].isna().all().all()
    assert len(model.predict(features).probability) == 3


def test_better_external_scores_lower_the_predicted_risk(model):
    tables = tables_copy()
    risk = {}
    for value in (0.3, 0.7):  # everything else fixed, derived features rebuilt
        application = tables["application"].copy()
        application[["EXT_SOURCE_2", "EXT_SOURCE_3"]] = value
        features = model.features({**tables, "application": application})
        risk[value] = model.predict(features).probability

    assert risk[0.7].mean() < risk[0.3].mean()
    assert (risk[0.7] <= risk[0.3]).mean() > 0.8


def test_global_importance_is_sorted_and_names_features(model):
    importance = model.global_importance()

    assert importance.is_monotonic_decreasing
    assert set(importance.index) == set(model.feature_names)
    assert (importance >= 0).all()


def test_the_reference_sample_holds_features_target_and_oof_probability(model):
    sample = model.reference_sample()

    assert {"TARGET", "OOF_PROBABILITY"} <= set(sample.columns)
    assert set(model.feature_names) <= set(sample.columns)
    assert sample.index.name == "SK_ID_CURR"
    assert sample["CODE_GENDER"].dtype == object
    # Missing text is NaN as in the feature frames, never the string "nan" or pd.NA.
    occupation = sample["OCCUPATION_TYPE"]
    assert occupation.isna().any() and "nan" not in set(occupation.dropna())
    assert model.predict(sample[model.feature_names]).probability.shape == (len(sample),)
