"""ml.features.aggregate: the numpy grouped reductions agree with pandas and keep NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.features import aggregate
from ml.features.aggregate import Groups, Input, Scope


@pytest.fixture
def rows():
    """200 rows over clients 0..29 (some without rows), 25% missing values."""
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 25, size=200)
    values = rng.normal(size=200)
    values[rng.random(200) < 0.25] = np.nan
    return keys, values


@pytest.mark.parametrize("func", ["min", "max", "mean", "sum", "std"])
def test_reductions_match_pandas_groupby_with_nan_skipped(rows, func):
    keys, values = rows
    ids = pd.Index(np.arange(30))
    ours = Groups(keys, ids).reduce(func, values)
    grouped = pd.Series(values).groupby(keys)
    expected = (grouped.sum(min_count=1) if func == "sum" else grouped.agg(func)).reindex(ids)
    np.testing.assert_allclose(ours, expected.to_numpy(), equal_nan=True)
    assert np.isnan(ours[25:]).all()  # clients without rows


def test_a_client_whose_values_are_all_missing_gets_nan_not_zero():
    groups = Groups(np.array([1, 1, 2]), pd.Index([1, 2]))
    values = np.array([np.nan, np.nan, 3.0])
    for func in ("sum", "mean", "min", "max"):
        assert np.isnan(groups.reduce(func, values)[0]), func
    assert groups.count().tolist() == [2.0, 1.0]


def test_rows_of_unknown_clients_are_ignored():
    groups = Groups(np.array([5, 1, 9, 1]), pd.Index([1, 2]))
    values = groups.pick(np.array([100.0, 1.0, 100.0, 2.0]))
    assert groups.reduce("sum", values)[0] == 3.0
    assert np.isnan(groups.count()[1])


def test_nested_subsets_take_masks_over_the_same_rows(rows):
    keys, values = rows
    groups = Groups(keys, pd.Index(np.arange(30)))
    positive = values > 0
    large = np.abs(values) > 1
    nested = groups.within(positive).within(large)
    direct = groups.within(positive & large)
    np.testing.assert_array_equal(nested.codes, direct.codes)
    np.testing.assert_allclose(
        nested.reduce("mean", values), direct.reduce("mean", values), equal_nan=True
    )
    counts = nested.count()
    assert np.nansum(counts) == (positive & large).sum()
    assert np.isnan(counts[25:]).all() and (counts[:25][groups.has_rows[:25]] >= 0).all()


def test_last_and_rank_follow_the_ordering_column_not_the_row_order():
    groups = Groups(np.array([1, 1, 1, 2, 2]), pd.Index([1, 2]))
    month = np.array([-1.0, -3.0, -2.0, -5.0, -4.0])
    values = np.array([10.0, 30.0, 20.0, 50.0, 40.0])
    assert groups.last(values, by=month).tolist() == [10.0, 40.0]
    assert groups.rank_from_last(by=month).tolist() == [0, 2, 1, 1, 0]


def test_stacked_inputs_give_the_same_answer_in_small_chunks(rows, monkeypatch):
    keys, values = rows
    groups = Groups(keys, pd.Index(np.arange(30)))
    inputs = {f"V{n}": Input(f"value {n}", ("t.V",)) for n in range(5)}
    data = {f"V{n}": values * (n + 1) for n in range(5)}
    scope = Scope(prefix="T_", rows="rows", aggregates={n: ("min", "mean", "std") for n in data})
    whole = aggregate.aggregate(groups, scope, inputs, data)
    monkeypatch.setattr(aggregate, "_STACK_LIMIT", 1)  # one input per stack
    chunked = aggregate.aggregate(groups, scope, inputs, data)
    assert whole.keys() == chunked.keys()
    for name in whole:
        np.testing.assert_allclose(whole[name], chunked[name], equal_nan=True)
    np.testing.assert_allclose(
        whole["T_V2_MEAN"], groups.reduce("mean", values) * 3, equal_nan=True
    )
