"""The client against the model's reference population: features, distributions, scatter."""

from __future__ import annotations

import numpy as np
import pytest

from explanations.population import (
    OTHER_LEVELS,
    UnknownFeature,
    bivariate,
    comparable_features,
    feature_distribution,
)
from scoring.population import population_reference
from scoring.registry import scoring_model_for

pytestmark = pytest.mark.django_db

NUMERIC_FEATURE = "APP_CREDIT_TO_INCOME"
CATEGORICAL_FEATURE = "ORGANIZATION_TYPE"


@pytest.fixture
def sample(active_model_version):
    return scoring_model_for(active_model_version).reference_sample()


def test_comparable_features_follow_the_global_importance_with_their_kind(
    active_model_version,
):
    importance = scoring_model_for(active_model_version).global_importance()

    rows = comparable_features(
        reference=population_reference(active_model_version), top=30, language="fr"
    )

    assert len(rows) == 30
    assert [r["feature"] for r in rows] == list(importance.index[:30])
    kinds = {r["feature"]: r["kind"] for r in rows}
    assert {kinds[name] for name in kinds} <= {"numeric", "categorical"}
    if CATEGORICAL_FEATURE in kinds:
        assert kinds[CATEGORICAL_FEATURE] == "categorical"
    assert kinds["APP_EXT_SOURCE_MEAN"] == "numeric"
    assert all(r["label"] and r["label"] != r["feature"] for r in rows)


def test_a_numeric_histogram_shares_its_bins_and_counts_every_known_value(
    active_model_version, sample
):
    result = feature_distribution(
        reference=population_reference(active_model_version),
        feature=NUMERIC_FEATURE,
        client_value=3.0,
        bins=20,
    )

    values, target = sample[NUMERIC_FEATURE], sample["TARGET"]
    assert result["kind"] == "numeric"
    edges = np.array(result["bin_edges"])
    assert len(edges) == 21 and np.all(np.diff(edges) > 0)
    assert edges[0] == pytest.approx(values.quantile(0.01))
    assert edges[-1] == pytest.approx(values.quantile(0.99))
    for name, code in (("repaid", 0), ("defaulted", 1)):
        known = int(values[target == code].notna().sum())
        assert len(result["counts"][name]) == 20
        assert sum(result["counts"][name]) == result["n"][name] == known
        assert sum(result["shares"][name]) == pytest.approx(1.0)
        assert result["missing"][name] == int(values[target == code].isna().sum())
    # Outliers beyond the 99th percentile land in the last bin.
    assert result["counts"]["repaid"][-1] + result["counts"]["defaulted"][-1] >= int(
        (values > edges[-2]).sum()
    )


def test_the_clients_percentile_is_the_share_of_lower_values(active_model_version, sample):
    known = np.sort(sample[NUMERIC_FEATURE].dropna().to_numpy())
    # A value held by one client only, with 300 known values below it.
    position = next(i for i in range(300, len(known)) if known[i - 1] < known[i] < known[i + 1])

    result = feature_distribution(
        reference=population_reference(active_model_version),
        feature=NUMERIC_FEATURE,
        client_value=known[position],
    )

    client = result["client"]
    assert client["percentile"] == pytest.approx(100 * position / len(known))
    edges = result["bin_edges"]
    assert edges[client["bin"]] <= known[position] <= edges[client["bin"] + 1]
    assert client["sentence"].startswith("Your value (")
    assert (
        f"is higher than {round(100 * position / len(known))}% of clients." in (client["sentence"])
    )


def test_the_sentence_is_french_when_asked(active_model_version, sample):
    known = np.sort(sample[NUMERIC_FEATURE].dropna().to_numpy())
    value = known[int(len(known) * 0.82)]

    result = feature_distribution(
        reference=population_reference(active_model_version),
        feature=NUMERIC_FEATURE,
        client_value=value,
        language="fr",
    )

    sentence = result["client"]["sentence"]
    assert sentence.startswith("Votre valeur (")
    assert "est plus élevée que 82\u202f% des clients." in sentence
    assert result["label"] == "Montant du crédit / revenu annuel"


def test_a_missing_client_value_is_said_and_has_no_percentile(active_model_version):
    result = feature_distribution(
        reference=population_reference(active_model_version),
        feature=NUMERIC_FEATURE,
        client_value=None,
    )

    assert result["client"]["percentile"] is None
    assert result["client"]["sentence"] == "This value is not known for this client."


def test_categorical_levels_have_shares_by_outcome(active_model_version, sample):
    column, target = sample[CATEGORICAL_FEATURE], sample["TARGET"]
    top_level = column.value_counts().index[0]

    result = feature_distribution(
        reference=population_reference(active_model_version),
        feature=CATEGORICAL_FEATURE,
        client_value=top_level,
        bins=5,
        language="fr",
    )

    assert result["kind"] == "categorical"
    assert len(result["levels"]) == 6 and result["levels"][-1] == OTHER_LEVELS
    assert result["levels"][0] == top_level
    for name, code in (("repaid", 0), ("defaulted", 1)):
        assert sum(result["counts"][name]) == result["n"][name]
        assert result["n"][name] == int(column[target == code].notna().sum())
    assert result["counts"]["repaid"][0] == int(((column == top_level) & (target == 0)).sum())
    client = result["client"]
    assert client["level"] == 0
    assert client["share_same"] == pytest.approx((column == top_level).sum() / column.notna().sum())
    assert client["default_rate_same"] == pytest.approx(target[column == top_level].mean())
    assert "des clients ont la même valeur que vous" in client["sentence"]


def test_a_level_beyond_the_listed_ones_counts_as_other(active_model_version, sample):
    rare_level = sample[CATEGORICAL_FEATURE].value_counts().index[-1]

    result = feature_distribution(
        reference=population_reference(active_model_version),
        feature=CATEGORICAL_FEATURE,
        client_value=rare_level,
        bins=3,
    )

    assert result["client"]["level"] == result["levels"].index(OTHER_LEVELS)


def test_an_unknown_feature_is_refused(active_model_version):
    with pytest.raises(UnknownFeature, match="NOT_A_FEATURE"):
        feature_distribution(
            reference=population_reference(active_model_version),
            feature="NOT_A_FEATURE",
            client_value=1,
        )
    with pytest.raises(UnknownFeature, match="TARGET"):
        feature_distribution(
            reference=population_reference(active_model_version), feature="TARGET", client_value=1
        )


def test_bivariate_gives_the_population_and_the_clients_point(active_model_version, sample):
    x, y = "APP_EXT_SOURCE_MEAN", NUMERIC_FEATURE

    result = bivariate(
        reference=population_reference(active_model_version),
        x=x,
        y=y,
        client_values={x: 0.42, y: None},
        max_points=300,
    )

    assert result["client"] == {"x": 0.42, "y": None}
    points = result["points"]
    assert result["shown"] == len(points["x"]) == len(points["id"]) == 300
    assert result["total"] == int((sample[x].notna() & sample[y].notna()).sum())
    rows = sample.loc[points["id"]]
    assert rows[x].tolist() == points["x"]
    assert rows["TARGET"].tolist() == points["outcome"]
    assert rows["OOF_PROBABILITY"].tolist() == pytest.approx(points["probability"])
    again = bivariate(
        reference=population_reference(active_model_version),
        x=x,
        y=y,
        client_values={},
        max_points=300,
    )
    assert again["points"]["id"] == points["id"]  # the same sample every time
    assert result["x"]["feature"] == x and result["x"]["label"]


def test_bivariate_needs_numeric_features(active_model_version):
    with pytest.raises(UnknownFeature, match="categorical"):
        bivariate(
            reference=population_reference(active_model_version),
            x=CATEGORICAL_FEATURE,
            y=NUMERIC_FEATURE,
            client_values={},
        )
