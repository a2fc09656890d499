import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from ml.monitoring.performance import (
    PerformanceError,
    expected_auc,
    expected_performance,
    performance_by_period,
    period_start,
    realised_performance,
    training_figures,
)


def pairwise_expected_auc(p: np.ndarray) -> float:
    """CBPE's AUC written as a sum over pairs: client i the defaulter, j the good payer.

    Each ordered pair (i, j), i = j included, is a (defaulter, good payer) pair with
    probability p_i (1 - p_j); it is ranked right when p_i > p_j, half when tied.
    """
    right = (p[:, None] > p[None, :]) + 0.5 * (p[:, None] == p[None, :])
    weights = p[:, None] * (1 - p[None, :])
    return float((weights * right).sum() / (p.sum() * (1 - p).sum()))


def test_perfectly_separated_probabilities_expect_a_perfect_auc_and_no_cost():
    p = np.array([0.0, 0.0, 0.0, 1.0, 1.0])

    expected = expected_performance(p, threshold=0.5, cost_fn=10, cost_fp=1)

    assert expected["auc"] == 1.0
    assert expected["cost_per_client"] == 0.0
    assert expected["confusion"] == {"tn": 3.0, "fp": 0.0, "fn": 0.0, "tp": 2.0}


def test_a_constant_probability_expects_chance_ranking():
    p = np.full(100, 0.2)

    assert expected_auc(p) == pytest.approx(0.5)
    # Everyone granted: 20 expected defaulters missed, 10 each, over 100 clients.
    assert expected_performance(p, threshold=0.5)["cost_per_client"] == pytest.approx(2.0)
    # Everyone refused: 80 expected good clients refused, 1 each.
    assert expected_performance(p, threshold=0.1)["cost_per_client"] == pytest.approx(0.8)


def test_the_expected_auc_equals_its_pairwise_definition_ties_included():
    rng = np.random.default_rng(1)
    p = np.round(rng.beta(1, 6, size=300), 2)  # many ties

    assert expected_auc(p) == pytest.approx(pairwise_expected_auc(p), abs=1e-12)


def test_the_expected_cost_is_the_hand_computed_one():
    p = np.array([0.05, 0.1, 0.2, 0.6])

    # threshold 0.15: granted 0.05 and 0.1 (expected defaults 0.15, x10 = 1.5);
    # refused 0.2 and 0.6 (expected good clients 0.8 + 0.4 = 1.2, x1).
    expected = expected_performance(p, threshold=0.15, cost_fn=10, cost_fp=1)

    assert expected["cost_per_client"] == pytest.approx((1.5 + 1.2) / 4)
    assert expected["refusal_rate"] == 0.5
    assert expected["default_rate"] == pytest.approx(0.2375)


def test_on_calibrated_probabilities_the_realised_figures_match_the_expected_ones():
    rng = np.random.default_rng(7)
    p = rng.beta(1.2, 12, size=200_000)  # about 9% defaults, like the portfolio
    y = (rng.random(len(p)) < p).astype(int)  # outcomes drawn from the probabilities

    expected = expected_performance(p, threshold=0.12)
    realised = realised_performance(y, p, threshold=0.12)

    assert realised["auc"] == pytest.approx(expected["auc"], abs=0.005)
    assert realised["cost_per_client"] == pytest.approx(expected["cost_per_client"], rel=0.02)
    assert realised["default_rate"] == pytest.approx(expected["default_rate"], abs=0.002)


def test_miscalibrated_probabilities_show_a_gap_between_expected_and_realised():
    rng = np.random.default_rng(7)
    p = rng.beta(1.2, 12, size=50_000)
    y = (rng.random(len(p)) < np.clip(2 * p, 0, 1)).astype(int)  # twice the predicted risk

    expected = expected_performance(p, threshold=0.12)
    realised = realised_performance(y, p, threshold=0.12)

    assert realised["cost_per_client"] > 1.5 * expected["cost_per_client"]


def test_realised_performance_on_the_hand_example():
    y = np.array([0, 0, 1, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.9])

    realised = realised_performance(y, p, threshold=0.25, cost_fn=10, cost_fp=1)

    assert realised["auc"] == pytest.approx(8 / 9)  # 8 of the 9 (defaulter, good) pairs
    assert realised["cost_per_client"] == pytest.approx(1 / 6)  # one good client refused
    assert realised["confusion"] == {"tn": 2, "fp": 1, "fn": 0, "tp": 3}
    assert sum(row["count"] for row in realised["calibration"]) == 6


def test_one_class_only_gives_no_auc_rather_than_an_error():
    assert realised_performance([0, 0, 0], [0.1, 0.2, 0.3], threshold=0.5)["auc"] is None
    assert expected_auc(np.zeros(5)) is None
    assert expected_auc(np.ones(5)) is None


def test_bad_input_is_refused_with_a_clear_error():
    with pytest.raises(PerformanceError, match="no probability"):
        expected_performance([], threshold=0.5)
    with pytest.raises(PerformanceError, match="between 0 and 1"):
        expected_performance([0.2, 1.3], threshold=0.5)
    with pytest.raises(PerformanceError, match="missing"):
        expected_performance([0.2, np.nan], threshold=0.5)
    with pytest.raises(PerformanceError, match="known TARGET"):
        realised_performance([0, np.nan], [0.2, 0.3], threshold=0.5)
    with pytest.raises(PerformanceError, match="0 or 1"):
        realised_performance([0, 2], [0.2, 0.3], threshold=0.5)


def test_weeks_start_on_monday_and_aware_times_are_taken_in_utc():
    times = pd.Series(
        pd.to_datetime(["2026-03-01 23:30", "2026-03-02 00:10", "2026-03-08 12:00"])
    ).dt.tz_localize("Europe/Paris")  # 2026-03-01 is a Sunday

    weeks = period_start(times, "W")
    days = period_start(times, "D")

    # 23:30 in Paris on Sunday is 22:30 UTC on Sunday; 00:10 on Monday is still Sunday in UTC.
    assert [d.date().isoformat() for d in days] == ["2026-03-01", "2026-03-01", "2026-03-08"]
    assert [w.date().isoformat() for w in weeks] == ["2026-02-23", "2026-02-23", "2026-03-02"]


def test_performance_by_period_sets_expected_realised_and_training_side_by_side():
    rng = np.random.default_rng(3)
    rows = 400
    frame = pd.DataFrame(
        {
            "scored_at": pd.date_range("2026-03-02", periods=rows, freq="30min"),
            "probability": rng.beta(1.2, 12, size=rows),
        }
    )
    # Outcomes known for the first week only.
    frame["TARGET"] = np.where(
        frame["scored_at"] < "2026-03-09", (rng.random(rows) < frame["probability"]), np.nan
    )
    training = {"auc": 0.77, "cost_per_client": 0.45}

    result = performance_by_period(frame, threshold=0.12, freq="W", training=training)

    first, second = result["periods"]
    assert result["training"] == training
    assert (first["period"], second["period"]) == ("2026-03-02", "2026-03-09")
    assert first["rows"] + second["rows"] == rows
    assert first["labelled_rows"] == first["rows"] and second["labelled_rows"] == 0
    assert first["realised"]["rows"] == first["rows"]
    assert first["expected_on_labelled"]["rows"] == first["rows"]
    assert second["realised"] is None and second["expected"]["auc"] is not None
    week_two = frame["scored_at"] >= "2026-03-09"
    assert second["expected"]["auc"] == pytest.approx(
        expected_auc(frame.loc[week_two, "probability"].to_numpy())
    )


def test_training_figures_come_from_the_artifact_metadata():
    metadata = {
        "metrics": {
            "oof_auc": 0.78,
            "cost": {"cost_per_client": 0.48},
            "default_rate": 0.08,
            "refusal_rate": 0.31,
            "reliability_after": [{"bin": 1}],
        }
    }

    assert training_figures(metadata) == {
        "auc": 0.78,
        "cost_per_client": 0.48,
        "default_rate": 0.08,
        "refusal_rate": 0.31,
        "calibration": [{"bin": 1}],
    }
    assert training_figures({})["auc"] is None


def test_the_realised_auc_is_sklearns():
    rng = np.random.default_rng(0)
    p = rng.random(500)
    y = (rng.random(500) < p).astype(int)

    assert realised_performance(y, p, threshold=0.5)["auc"] == pytest.approx(roc_auc_score(y, p))


def test_outcomes_may_come_as_nullable_integers_from_the_database():
    frame = pd.DataFrame(
        {
            "scored_at": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-04"]),
            "probability": [0.1, 0.5, 0.2],
            "TARGET": pd.array([0, 1, None], dtype="Int64"),
        }
    )

    (week,) = performance_by_period(frame, threshold=0.3)["periods"]

    assert week["labelled_rows"] == 2
    assert week["realised"]["auc"] == 1.0
    with pytest.raises(PerformanceError, match="TARGET must hold numbers"):
        performance_by_period(frame.assign(TARGET=["0", "x", None]), threshold=0.3)
