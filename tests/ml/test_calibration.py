import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from ml.calibration import (
    Calibrator,
    brier,
    expected_calibration_error,
    fit_calibrator,
    logit,
    reliability_table,
    sigmoid,
)


def _outcomes(seed: int = 0, n: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """True default probabilities (8% on average) and outcomes drawn from them."""
    rng = np.random.default_rng(seed)
    true_p = sigmoid(rng.normal(-2.8, 1.0, size=n))
    return true_p, (rng.random(n) < true_p).astype(int)


def test_platt_repairs_squashed_probabilities():
    true_p, y = _outcomes()
    squashed = sigmoid(0.4 * logit(true_p) - 0.5)  # under-confident, shifted

    calibrated = fit_calibrator(squashed, y).transform(squashed)

    assert brier(y, calibrated) < brier(y, squashed)
    assert expected_calibration_error(y, calibrated) < 0.01
    assert np.abs(calibrated - true_p).mean() < 0.01


def test_platt_undoes_the_inflation_of_scale_pos_weight():
    true_p, y = _outcomes(seed=1)
    # Weighting defaulters 11 times multiplies the odds by 11.
    inflated = sigmoid(logit(true_p) + np.log(11))

    calibrator = fit_calibrator(inflated, y)
    calibrated = calibrator.transform(inflated)

    assert brier(y, inflated) - brier(y, calibrated) > 0.01
    assert calibrator.params["b"] == pytest.approx(-np.log(11), abs=0.15)
    assert calibrated.mean() == pytest.approx(y.mean(), abs=0.005)


def test_isotonic_also_improves_brier_on_miscalibrated_data():
    true_p, y = _outcomes(seed=2)
    squashed = sigmoid(0.4 * logit(true_p))

    calibrated = fit_calibrator(squashed, y, method="isotonic").transform(squashed)

    assert brier(y, calibrated) < brier(y, squashed)


def test_platt_keeps_the_ranking_so_auc_is_unchanged():
    true_p, y = _outcomes(seed=3)
    raw = sigmoid(0.5 * logit(true_p) + 0.3)

    calibrated = fit_calibrator(raw, y).transform(raw)

    assert roc_auc_score(y, calibrated) == pytest.approx(roc_auc_score(y, raw), abs=1e-12)


@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_a_calibrator_survives_a_json_round_trip(method):
    true_p, y = _outcomes(seed=4, n=5000)
    calibrator = fit_calibrator(true_p, y, method=method)

    restored = Calibrator.from_json(calibrator.to_json())

    np.testing.assert_array_equal(restored.transform(true_p), calibrator.transform(true_p))


def test_log_odds_and_probability_inputs_agree():
    true_p, y = _outcomes(seed=5, n=5000)
    calibrator = fit_calibrator(true_p, y)

    np.testing.assert_allclose(
        calibrator.transform_log_odds(logit(true_p)), calibrator.transform(true_p)
    )


def test_an_unknown_method_or_a_single_class_is_refused():
    with pytest.raises(ValueError, match="unknown calibration method"):
        fit_calibrator(np.array([0.1, 0.9]), np.array([0, 1]), method="magic")
    with pytest.raises(ValueError, match="both classes"):
        fit_calibrator(np.array([0.1, 0.9]), np.array([0, 0]))


def test_brier_is_the_mean_squared_error():
    assert brier(np.array([0, 1]), np.array([0.2, 0.6])) == pytest.approx((0.04 + 0.16) / 2)


def test_the_reliability_table_has_ten_bins_covering_every_row():
    true_p, y = _outcomes(seed=6)

    table = reliability_table(y, true_p, bins=10)

    assert list(table.columns) == [
        "bin",
        "lower",
        "upper",
        "count",
        "mean_predicted",
        "observed_rate",
    ]
    assert len(table) == 10
    assert table["count"].sum() == len(y)
    assert (table["mean_predicted"] >= table["lower"]).all()
    assert (table["mean_predicted"] <= table["upper"]).all()
    # Well-calibrated input: observed rates follow the predictions.
    np.testing.assert_allclose(table["observed_rate"], table["mean_predicted"], atol=0.02)


def test_uniform_reliability_bins_are_tenths():
    table = reliability_table(np.array([0, 1, 1]), np.array([0.05, 0.55, 1.0]), strategy="uniform")

    assert table["lower"].tolist() == pytest.approx([i / 10 for i in range(10)])
    assert table["count"].tolist() == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
