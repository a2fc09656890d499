"""ml.policy: the excluded attributes and the monotone directions, and how training applies them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml import policy
from ml.features import CATEGORICAL_FEATURES, FEATURE_NAMES, FEATURE_SOURCES, build_features
from ml.train import train_on_features
from tests.ml.features.tables import applications


def test_gender_and_family_status_are_excluded_by_default_each_with_a_reason():
    assert policy.EXCLUDED_ATTRIBUTES == ("CODE_GENDER", "NAME_FAMILY_STATUS")
    for attribute in policy.EXCLUDED_ATTRIBUTES:
        assert policy.exclusion_reason(attribute) == policy.EXCLUSION_REASONS[attribute]


def test_excluding_an_attribute_removes_every_feature_computed_from_it():
    removed = policy.excluded_features(["DAYS_BIRTH"])

    assert "DAYS_BIRTH" in removed and "APP_AGE_YEARS" in removed
    for name in FEATURE_NAMES:
        computed_from_birth = "application.DAYS_BIRTH" in FEATURE_SOURCES[name]
        assert (name in removed) == computed_from_birth, name
    assert policy.excluded_features(["CODE_GENDER"]) == ("CODE_GENDER",)
    assert policy.excluded_features([]) == ()


def test_excluding_a_column_that_does_not_exist_is_refused():
    with pytest.raises(policy.PolicyError, match="SEX"):
        policy.excluded_features(["CODE_GENDER", "SEX"])


def test_every_monotone_feature_is_a_numeric_feature_with_a_direction_and_a_reason():
    assert len(policy.MONOTONE_DIRECTIONS) > 50
    for name, direction in policy.MONOTONE_DIRECTIONS.items():
        assert name in FEATURE_NAMES and name not in CATEGORICAL_FEATURES
        assert direction in (policy.INCREASES_RISK, policy.DECREASES_RISK)
        assert policy.monotone_reason(name)
    # The directions the issue is about.
    assert policy.MONOTONE_DIRECTIONS["EXT_SOURCE_3"] == policy.DECREASES_RISK
    assert policy.MONOTONE_DIRECTIONS["INST_LATE_SHARE"] == policy.INCREASES_RISK
    assert policy.MONOTONE_DIRECTIONS["INST_UNDERPAID_SHARE"] == policy.INCREASES_RISK
    assert policy.MONOTONE_DIRECTIONS["BUREAU_BB_LATE_MONTHS_SUM"] == policy.INCREASES_RISK
    assert not set(policy.MONOTONE_DIRECTIONS) & set(
        policy.excluded_features(policy.EXCLUDED_ATTRIBUTES)
    )


def test_the_constraints_follow_the_feature_order_with_zero_for_the_others():
    names = ["AMT_CREDIT", "EXT_SOURCE_2", "INST_LATE_SHARE", "OCCUPATION_TYPE"]

    assert policy.monotone_constraints(names) == [0, -1, 1, 0]
    assert policy.monotone_constraints(names, {}) == [0, 0, 0, 0]
    with pytest.raises(policy.PolicyError, match="-1, 0 or"):
        policy.monotone_constraints(names, {"AMT_CREDIT": 2})


def test_every_derived_external_score_feature_moves_with_each_score():
    """What makes the model monotone in a raw score: no feature built on it moves the other way."""
    rng = np.random.default_rng(3)
    base = {name: rng.uniform(0.05, 0.95, 200) for name in ("EXT_SOURCE_1", "EXT_SOURCE_2")}
    base["EXT_SOURCE_1"][:50] = np.nan  # a missing other score is left out, still monotone
    derived = [
        name
        for name in FEATURE_NAMES
        if "application.EXT_SOURCE_3" in FEATURE_SOURCES[name] and name != "EXT_SOURCE_3"
    ]
    frames = []
    for value in (0.1, 0.5, 0.9):
        frame = applications(*range(1, 201), **base, EXT_SOURCE_3=[value] * 200)
        frames.append(build_features({"application": frame})[derived].to_numpy())

    assert derived and "APP_EXT_SOURCE_MEAN" in derived
    low, middle, high = frames
    for before, after in ((low, middle), (middle, high)):
        known = ~np.isnan(before) & ~np.isnan(after)
        assert (after[known] >= before[known]).all()
        assert (np.isnan(before) == np.isnan(after)).all()  # a known score stays known


# -- training applies the policy (a small planted problem, trained in seconds) ---------------


def _planted(n: int = 3000, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Features where the gender carries signal, and the raw application it comes from."""
    rng = np.random.default_rng(seed)
    score = rng.uniform(size=n)
    gender = rng.choice(["F", "M"], size=n)
    index = pd.Index(np.arange(n) + 100_000, name="SK_ID_CURR")
    features = pd.DataFrame(
        {
            "EXT_SOURCE_2": score,
            "NOISE": rng.normal(size=n),
            "CODE_GENDER": gender,
            "NAME_FAMILY_STATUS": rng.choice(["Married", "Single / not married"], size=n),
        },
        index=index,
    )
    logit = 2 - 5 * score + 0.8 * (gender == "M")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return features, features.reset_index(), y


def _train(**kwargs):
    features, application, y = _planted()
    return train_on_features(
        features,
        y,
        application=application,
        folds=2,
        seed=0,
        params={"learning_rate": 0.2},
        progress=lambda message: None,
        **kwargs,
    )


def test_by_default_the_excluded_attributes_are_out_of_the_model_but_kept_for_fairness():
    result = _train()
    metadata = result.metadata
    names = [f["name"] for f in metadata["features"]]

    assert names == ["EXT_SOURCE_2", "NOISE"]
    assert result.encoder.feature_names == names
    assert [row["attribute"] for row in metadata["excluded_attributes"]] == [
        "CODE_GENDER",
        "NAME_FAMILY_STATUS",
    ]
    assert metadata["excluded_attributes"][0]["features"] == ["CODE_GENDER"]
    assert {row["group"] for row in metadata["fairness"]["CODE_GENDER"]} == {"F", "M"}
    assert set(metadata["fairness"]) == {"CODE_GENDER", "NAME_FAMILY_STATUS"}  # by each one
    sample = result.reference_sample
    assert set(sample["CODE_GENDER"]) == {"F", "M"}  # a column of the sample, not a feature
    assert "CODE_GENDER" not in metadata["reference_statistics"]
    assert metadata["monotone_constraints"]["features"] == [
        {
            "name": "EXT_SOURCE_2",
            "direction": -1,
            "reason": policy.MONOTONE_REASONS["EXT_SOURCE_2"],
        }
    ]
    assert metadata["monotone_constraints"]["method"] == policy.MONOTONE_METHOD
    assert metadata["monotone_constraints"]["method_reason"] == policy.MONOTONE_METHOD_REASON
    assert "monotone_constraints" not in metadata["model"]["params"]  # listed by name instead
    assert "[monotone_constraints: -1,0]" in result.booster.model_to_string()


def test_the_excluded_attributes_and_the_constraints_are_configurable():
    result = _train(excluded_attributes=["NAME_FAMILY_STATUS"], monotone_directions=None)
    metadata = result.metadata

    assert [f["name"] for f in metadata["features"]] == ["EXT_SOURCE_2", "NOISE", "CODE_GENDER"]
    assert metadata["categorical_features"] == ["CODE_GENDER"]
    assert metadata["monotone_constraints"] == {
        "method": None,
        "method_reason": None,
        "features": [],
    }
    assert "[monotone_constraints: ]" in result.booster.model_to_string()  # LightGBM's "none"
    assert list(result.reference_sample.columns[-1:]) == ["NAME_FAMILY_STATUS"]
