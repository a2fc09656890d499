import math

import numpy as np
import pandas as pd
import pytest

from ml.monitoring.psi import (
    INVESTIGATE,
    SIGNIFICANT,
    STABLE,
    PSIError,
    feature_stability,
    population_stability_index,
    psi_verdict,
)

# 1..1000: the deciles of the reference put exactly 100 values in each bin.
REFERENCE = np.arange(1, 1001, dtype=float)


def test_identical_distributions_have_an_index_of_zero():
    result = population_stability_index(REFERENCE, REFERENCE.copy())

    assert result.value == 0
    assert result.verdict == STABLE
    assert len(result.bins) == 10
    assert all(b.reference_share == pytest.approx(0.1) for b in result.bins)


def test_the_hand_computed_index_of_a_moved_distribution():
    # Current: 30% in the first decile, 10% in each of the next seven, nothing in the
    # last two. Empty bins count as the 1e-4 floor.
    current = np.concatenate(
        [np.repeat(np.arange(1, 101), 3)] + [np.arange(1, 101) + 100 * k for k in range(1, 8)]
    ).astype(float)

    result = population_stability_index(REFERENCE, current)

    expected = (0.3 - 0.1) * math.log(0.3 / 0.1) + 2 * (1e-4 - 0.1) * math.log(1e-4 / 0.1)
    assert result.value == pytest.approx(expected)
    assert result.value == pytest.approx(1.5999, abs=1e-4)
    assert result.verdict == SIGNIFICANT
    assert [b.current_share for b in result.bins] == pytest.approx([0.3] + [0.1] * 7 + [0, 0])


def test_values_beyond_the_reference_range_land_in_the_outer_bins():
    result = population_stability_index(REFERENCE, np.array([-50.0, 5000.0]))

    assert result.bins[0].current_share == 0.5
    assert result.bins[-1].current_share == 0.5
    assert result.bins[0].label.startswith("(-inf")
    assert result.bins[-1].label.endswith("inf)")


def test_a_categorical_index_compares_the_levels():
    # 50/50 becomes 25/75: (0.25-0.5)ln(0.5) + (0.75-0.5)ln(1.5) = 0.2747.
    reference = ["cash"] * 50 + ["revolving"] * 50
    current = ["cash"] * 25 + ["revolving"] * 75

    result = population_stability_index(reference, current, categorical=True)

    assert result.value == pytest.approx(-0.25 * math.log(0.5) + 0.25 * math.log(1.5))
    assert result.verdict == SIGNIFICANT
    assert {b.label for b in result.bins} == {"cash", "revolving"}


def test_a_level_seen_only_now_and_missing_values_count_as_bins():
    reference = ["a"] * 90 + [None] * 10
    current = ["a"] * 60 + [None] * 30 + ["new"] * 10

    result = population_stability_index(reference, current, categorical=True)

    shares = {b.label: (b.reference_share, b.current_share) for b in result.bins}
    assert shares == {"a": (0.9, 0.6), "missing": (0.1, 0.3), "new": (0.0, 0.1)}
    expected = (
        (0.6 - 0.9) * math.log(0.6 / 0.9)
        + (0.3 - 0.1) * math.log(0.3 / 0.1)
        + (0.1 - 1e-4) * math.log(0.1 / 1e-4)
    )
    assert result.value == pytest.approx(expected)


def test_missing_numbers_are_a_bin_of_their_own():
    current = np.append(REFERENCE[:900], [np.nan] * 100)

    result = population_stability_index(REFERENCE, current)

    assert result.bins[-1].label == "missing"
    assert result.bins[-1].reference_share == 0
    assert result.bins[-1].current_share == pytest.approx(0.1)
    # The last decile emptied and 10% became missing: two bins moved by 0.1.
    assert result.value == pytest.approx(2 * (0.1 - 1e-4) * math.log(0.1 / 1e-4))


def test_a_discrete_feature_gets_one_bin_per_value_not_empty_duplicates():
    reference = np.array([0.0] * 80 + [1.0] * 20)
    current = np.array([0.0] * 50 + [1.0] * 50)

    result = population_stability_index(reference, current)

    populated = [b for b in result.bins if b.reference_share or b.current_share]
    assert [(b.reference_share, b.current_share) for b in populated] == [(0.8, 0.5), (0.2, 0.5)]
    assert result.value == pytest.approx(-0.3 * math.log(0.5 / 0.8) + 0.3 * math.log(2.5))


@pytest.mark.parametrize(
    ("value", "verdict"),
    [(0.0, STABLE), (0.0999, STABLE), (0.1, INVESTIGATE), (0.2499, INVESTIGATE),
     (0.25, SIGNIFICANT), (3.0, SIGNIFICANT)],
)  # fmt: skip
def test_the_verdict_bands_are_those_risk_teams_use(value, verdict):
    assert psi_verdict(value) == verdict


def test_bad_input_is_refused_with_a_clear_error():
    with pytest.raises(PSIError, match="rows on both sides"):
        population_stability_index([], [1.0])
    with pytest.raises(PSIError, match="not a number"):
        population_stability_index([1.0, 2.0], ["a", "b"])
    with pytest.raises(PSIError, match="all missing"):
        population_stability_index([np.nan, np.nan], [1.0])


def test_feature_stability_covers_the_most_important_features_first():
    rng = np.random.default_rng(0)
    reference = pd.DataFrame(
        {
            "EXT_SOURCE_2": rng.uniform(0, 1, 5000),
            "AMT_CREDIT": rng.lognormal(13, 0.5, 5000),
            "NAME_CONTRACT_TYPE": rng.choice(["Cash loans", "Revolving loans"], 5000),
        }
    )
    current = pd.DataFrame(
        {
            "EXT_SOURCE_2": rng.uniform(0, 1, 3000),
            "AMT_CREDIT": rng.lognormal(13.6, 0.5, 3000),  # shifted
            "NAME_CONTRACT_TYPE": rng.choice(["Cash loans", "Revolving loans"], 3000),
        }
    )
    importance = {"EXT_SOURCE_2": 0.4, "AMT_CREDIT": 0.2, "BUREAU_DEBT": 0.15,
                  "NAME_CONTRACT_TYPE": 0.05}  # fmt: skip

    rows = feature_stability(reference, current, importance=importance, top=3)

    assert [r["feature"] for r in rows] == ["EXT_SOURCE_2", "AMT_CREDIT", "BUREAU_DEBT"]
    assert [r["importance_rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["verdict"] == STABLE
    assert rows[1]["verdict"] == SIGNIFICANT
    assert rows[2]["not_comparable"] == "absent" and rows[2]["psi"] is None
    categorical = feature_stability(reference, current, importance=importance, top=4)[3]
    assert categorical["feature"] == "NAME_CONTRACT_TYPE"
    assert categorical["verdict"] == STABLE


def test_the_result_is_json_ready():
    import json

    result = population_stability_index(REFERENCE, REFERENCE[::-1] * 1.1)

    assert json.loads(json.dumps(result.as_dict()))["verdict"] == result.verdict
