"""similar_clients: nearest reference clients on the model's most important numeric features."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from explanations.population import similar_clients, similarity_features
from scoring.population import forget_population_references, population_reference
from scoring.registry import scoring_model_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(active_model_version):
    return scoring_model_for(active_model_version).reference_sample()


@pytest.fixture
def compared(active_model_version) -> list[str]:
    return [
        row["feature"]
        for row in similarity_features(reference=population_reference(active_model_version))
    ]


def _expected_distance(sample: pd.DataFrame, compared: list[str], client, row) -> float:
    """The documented distance, computed from scratch."""
    values = sample[compared]
    centre = values.median()
    iqr = values.quantile(0.75) - values.quantile(0.25)
    scale = iqr.where(iqr > 0, values.std(ddof=0)).where(lambda s: s > 0, 1.0)
    both = client.notna() & row.notna()
    difference = ((client - centre) / scale - (row - centre) / scale)[both]
    return math.sqrt((difference**2).sum() * len(compared) / both.sum())


def test_ten_numeric_features_by_importance_are_compared(active_model_version, sample, compared):
    importance = scoring_model_for(active_model_version).global_importance()

    assert len(compared) == 10
    ranks = [list(importance.index).index(name) for name in compared]
    assert ranks == sorted(ranks)
    assert all(sample[name].dtype == np.float64 for name in compared)


def test_k_neighbours_sorted_by_distance(active_model_version, sample, compared):
    client = sample.iloc[7][compared] * 1.05

    neighbours = similar_clients(
        reference=population_reference(active_model_version), features_row=client, k=10
    )

    assert len(neighbours) == 10
    distances = [n["distance"] for n in neighbours]
    assert distances == sorted(distances)
    first = neighbours[0]
    row = sample.loc[first["id"]]
    assert first["outcome"] == row["TARGET"]
    assert first["probability"] == pytest.approx(row["OOF_PROBABILITY"])
    assert set(first["values"]) == set(compared)
    assert first["distance"] == pytest.approx(
        _expected_distance(sample, compared, client.astype(float), row[compared].astype(float))
    )


def test_a_reference_row_finds_itself_first_at_distance_zero(
    active_model_version, sample, compared
):
    sk_id = int(sample.index[42])

    neighbours = similar_clients(
        reference=population_reference(active_model_version), features_row=sample.loc[sk_id], k=5
    )

    assert neighbours[0]["id"] == sk_id
    assert neighbours[0]["distance"] == 0.0
    assert neighbours[1]["distance"] > 0.0
    excluded = similar_clients(
        reference=population_reference(active_model_version),
        features_row=sample.loc[sk_id],
        k=5,
        exclude_id=sk_id,
    )
    assert sk_id not in [n["id"] for n in excluded]


def test_features_missing_on_either_side_are_left_out_and_the_rest_rescaled(
    active_model_version, sample, compared
):
    values = sample[compared]
    # A reference client missing some compared features but not most of them.
    missing = values.isna().sum(axis=1)
    sk_id = int(missing[(missing > 0) & (missing <= 3)].index[0])
    row = values.loc[sk_id]
    client = row.copy()
    client[row.isna()] = 123.0  # known for the client only: ignored for this neighbour
    client[compared[0]] = np.nan if pd.notna(row[compared[0]]) else client[compared[0]]

    neighbours = similar_clients(
        reference=population_reference(active_model_version), features_row=client, k=1000
    )

    found = {n["id"]: n for n in neighbours}
    assert found[sk_id]["distance"] == 0.0
    assert found[sk_id]["shared_features"] == int((client.notna() & row.notna()).sum())
    other = neighbours[-1]
    other_row = values.loc[other["id"]]
    assert other["distance"] == pytest.approx(
        _expected_distance(sample, compared, client, other_row)
    )
    assert other["values"] == {
        name: (None if pd.isna(other_row[name]) else float(other_row[name])) for name in compared
    }


def test_a_client_with_none_of_the_features_has_no_neighbours(active_model_version, compared):
    client = pd.Series({name: None for name in compared})

    assert (
        similar_clients(reference=population_reference(active_model_version), features_row=client)
        == []
    )


def test_the_prepared_matrix_is_kept_per_model_version(active_model_version, sample, compared):
    forget_population_references()
    row = sample.iloc[0]

    first = similar_clients(
        reference=population_reference(active_model_version), features_row=row, k=3
    )
    prepared = population_reference(active_model_version).neighbourhood
    second = similar_clients(
        reference=population_reference(active_model_version.version), features_row=row, k=3
    )

    assert second == first
    assert population_reference(active_model_version).neighbourhood is prepared
