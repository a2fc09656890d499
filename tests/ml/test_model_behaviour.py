"""Behaviour of a trained model with the default policy: directions that make sense, no gender.

The model is the one of tests/ml/trained.py: synthetic clients with their
whole history, trained by `ml.train.train_model` with its defaults (excluded
attributes and monotone constraints of `ml.policy`), saved and loaded back.

Monotonicity is promised between known values only (a missing value is not
ordered with respect to them, see `ml.policy`), so every value set here is a
known one.
"""

from __future__ import annotations

import numpy as np
import pytest

from ml import policy
from ml.features.application import EXT_SOURCES
from ml.predict import ScoringModel, load_model
from tests.ml.trained import saved_artifact, tables_copy

ROWS = 400
# Rounding noise of float sums across trees; a real violation is orders larger.
TOLERANCE = 1e-12


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> ScoringModel:
    return load_model(saved_artifact(tmp_path_factory.mktemp("model") / "artifact"))


@pytest.fixture(scope="module")
def features(model):
    return model.features(tables_copy())


def _probabilities_along(model, rows, feature, grid):
    """rows x grid: the probability of each row with `feature` set to each grid value."""
    return np.column_stack(
        [model.predict(rows.assign(**{feature: value})).probability for value in grid]
    )


@pytest.mark.parametrize("score", EXT_SOURCES)
def test_raising_an_external_score_never_raises_the_risk(model, score):
    """Through the raw application: mean, lowest, highest and product are rebuilt each time."""
    tables = tables_copy()
    application = tables["application"].iloc[:ROWS]
    grid = np.linspace(0.02, 0.98, 13)

    risk = []
    for value in grid:
        changed = {**tables, "application": application.assign(**{score: value})}
        risk.append(model.predict(model.features(changed)).probability)
    risk = np.column_stack(risk)

    assert np.diff(risk, axis=1).max() <= TOLERANCE
    # ... and the score does matter: the test would see a wrong direction.
    assert (risk[:, 0] - risk[:, -1]).mean() > 0.01


def test_raising_the_share_of_late_instalments_never_lowers_the_risk(model, features):
    """On the feature itself, for clients with instalment history.

    Through the raw instalments table, paying late also moves features that
    have no established direction (payment dates, days paid early, the spread
    of delays): the promise is per feature, all else equal, which is what the
    constraint gives and what an explanation of that feature relies on.
    """
    rows = features[features["INST_COUNT"] > 0].iloc[:ROWS]
    risk = _probabilities_along(model, rows, "INST_LATE_SHARE", np.linspace(0.0, 1.0, 11))

    assert len(rows) == ROWS
    assert np.diff(risk, axis=1).min() >= -TOLERANCE
    assert (risk[:, -1] - risk[:, 0]).max() > 0  # the model does use it


def test_every_constrained_feature_moves_the_risk_only_its_way(model, features):
    constrained = model.metadata["monotone_constraints"]["features"]
    rows = features.iloc[:200]
    matrix = model.encode(rows)
    wrong_way = {}
    for row in constrained:
        position = model.feature_names.index(row["name"])
        known = features[row["name"]].dropna()
        if known.nunique() < 2:
            continue  # nothing to compare on this synthetic data
        grid = np.unique(np.quantile(known, np.linspace(0, 1, 9)))
        raw = []
        for value in grid:
            changed = matrix.copy()
            changed[:, position] = value
            raw.append(model.raw_score(changed))
        steps = np.diff(np.column_stack(raw), axis=1) * row["direction"]
        if steps.min() < -TOLERANCE:
            wrong_way[row["name"]] = float(steps.min())

    assert len(constrained) > 50
    assert wrong_way == {}


def test_gender_and_family_status_are_not_features_nor_in_any_explanation(model, features):
    removed = set(policy.excluded_features(policy.EXCLUDED_ATTRIBUTES))

    assert removed == {"CODE_GENDER", "NAME_FAMILY_STATUS"}
    assert not removed & set(model.feature_names)
    assert not removed & {f["name"] for f in model.metadata["features"]}
    assert not removed & set(model.global_importance().index)
    assert not removed & set(model.booster.feature_name())
    explanation = model.explain(features.iloc[:50])
    assert not removed & set(explanation.contributions.columns)
    assert not removed & set(explanation.feature_values.columns)


def test_the_gender_of_an_application_changes_nothing(model):
    application = tables_copy()["application"].iloc[:ROWS]
    women = application.assign(CODE_GENDER="F", NAME_FAMILY_STATUS="Married")
    men = application.assign(CODE_GENDER="M", NAME_FAMILY_STATUS="Single / not married")

    np.testing.assert_array_equal(
        model.predict(model.features({"application": women})).raw_score,
        model.predict(model.features({"application": men})).raw_score,
    )


def test_the_excluded_attributes_stay_in_the_reference_sample_and_the_fairness_figures(model):
    sample = model.reference_sample()

    assert {"CODE_GENDER", "NAME_FAMILY_STATUS"} <= set(sample.columns)
    assert set(sample["CODE_GENDER"].dropna()) <= {"F", "M", "XNA"}
    assert {row["group"] for row in model.metadata["fairness"]["CODE_GENDER"]} >= {"F", "M"}
    card = (model.artifact_dir / "model_card.md").read_text()
    assert "## Excluded attributes" in card and "## Monotone constraints" in card
    assert "| CODE_GENDER | CODE_GENDER | Sex is a protected ground" in card
    assert "| EXT_SOURCE_3 | -1 | External credit scores" in card
