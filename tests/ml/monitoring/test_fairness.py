import json
import math

import numpy as np
import pandas as pd
import pytest

from ml.monitoring.fairness import FairnessError, age_band, fairness_report


def block(n, *, gender, age, decision, target, probability):
    return pd.DataFrame(
        {
            "CODE_GENDER": [gender] * n,
            "DAYS_BIRTH": [-age * 365.25] * n,
            "decision": [decision] * n,
            "TARGET": [target] * n,
            "probability": [probability] * n,
        }
    )


def constructed_portfolio() -> pd.DataFrame:
    """Women (aged 30): 250 clients, 200 granted (0.8); men (aged 50): 200 clients,
    120 granted (0.6, ratio 0.75); XNA: 10 clients, all granted (too few to count).

    Labelled women: granted 160 (8 defaults), refused 40 (20 defaults), plus 50
    recent clients without outcome (40 granted). Labelled men: granted 120 (12
    defaults), refused 80 (30 defaults). Probabilities: 0.1 when granted, 0.3 when
    refused.
    """
    f = dict(gender="F", age=30)
    m = dict(gender="M", age=50)
    parts = [
        block(8, **f, decision="granted", target=1, probability=0.1),
        block(152, **f, decision="granted", target=0, probability=0.1),
        block(20, **f, decision="refused", target=1, probability=0.3),
        block(20, **f, decision="refused", target=0, probability=0.3),
        block(40, **f, decision="granted", target=np.nan, probability=0.1),
        block(10, **f, decision="refused", target=np.nan, probability=0.3),
        block(12, **m, decision="granted", target=1, probability=0.1),
        block(108, **m, decision="granted", target=0, probability=0.1),
        block(30, **m, decision="refused", target=1, probability=0.3),
        block(50, **m, decision="refused", target=0, probability=0.3),
        block(10, gender="XNA", age=70, decision="granted", target=0, probability=0.1),
    ]
    return pd.concat(parts, ignore_index=True)


def figures(report, grouping):
    return {(row["group"], row["metric"]): row for row in report["groupings"][grouping]["rows"]}


@pytest.fixture(scope="module")
def report():
    return fairness_report(constructed_portfolio(), n_boot=400, seed=1)


def test_approval_rates_and_the_four_fifths_ratio(report):
    rows = figures(report, "CODE_GENDER")

    assert report["groupings"]["CODE_GENDER"]["reference_group"] == "F"
    assert rows["F", "approval_rate"]["value"] == pytest.approx(0.8)
    assert rows["M", "approval_rate"]["value"] == pytest.approx(0.6)
    assert rows["M", "approval_ratio"]["value"] == pytest.approx(0.75)
    assert rows["M", "approval_ratio"]["flagged"] is True
    assert rows["F", "approval_ratio"]["value"] == 1.0
    assert rows["F", "approval_ratio"]["flagged"] is False
    assert rows["F", "approval_rate"]["n"] == 250 and rows["M", "approval_rate"]["n"] == 200


def test_a_group_below_the_minimum_size_is_not_significant_and_never_flagged(report):
    rows = figures(report, "CODE_GENDER")

    # XNA is approved at 100%, yet it is not the reference: 10 clients say nothing.
    assert rows["XNA", "approval_rate"]["value"] == 1.0
    assert rows["XNA", "approval_rate"]["significant"] is False
    assert rows["XNA", "approval_ratio"]["value"] == pytest.approx(1.25)
    assert rows["XNA", "approval_ratio"]["flagged"] is False

    smaller = fairness_report(constructed_portfolio(), n_boot=50, min_group_size=300)
    assert smaller["groupings"]["CODE_GENDER"]["reference_group"] is None
    assert not any(row["flagged"] for row in smaller["groupings"]["CODE_GENDER"]["rows"])


def test_outcome_figures_are_computed_on_the_labelled_rows_only(report):
    rows = figures(report, "CODE_GENDER")

    assert report["labelled_rows"] == 410
    # Good payers refused: women 20 of 172, men 50 of 158.
    assert rows["F", "good_payer_refusal_rate"]["value"] == pytest.approx(20 / 172)
    assert rows["F", "good_payer_refusal_rate"]["n"] == 172
    assert rows["M", "good_payer_refusal_rate"]["value"] == pytest.approx(50 / 158)
    # Defaults among the granted: women 8 of 160, men 12 of 120.
    assert rows["F", "default_rate_among_approved"]["value"] == pytest.approx(0.05)
    assert rows["M", "default_rate_among_approved"]["value"] == pytest.approx(0.1)
    assert rows["M", "default_rate_among_approved"]["n"] == 120


def test_calibration_compares_mean_predicted_with_observed_defaults(report):
    rows = figures(report, "CODE_GENDER")

    # Women: mean predicted (160 x 0.1 + 40 x 0.3) / 200 = 0.14, observed 28 / 200 = 0.14.
    assert rows["F", "mean_predicted"]["value"] == pytest.approx(0.14)
    assert rows["F", "observed_default_rate"]["value"] == pytest.approx(0.14)
    assert rows["F", "calibration_gap"]["value"] == pytest.approx(0.0, abs=1e-12)
    # Men: predicted 0.18, observed 42 / 200 = 0.21: under-estimated by 3 points.
    assert rows["M", "calibration_gap"]["value"] == pytest.approx(-0.03)


def test_age_bands_are_a_second_grouping(report):
    rows = figures(report, "age_band")

    assert [g for g, m in rows if m == "approval_rate"] == ["25-34", "45-54", "65+"]
    assert rows["45-54", "approval_ratio"]["value"] == pytest.approx(0.75)
    assert rows["45-54", "approval_ratio"]["flagged"] is True


def test_confidence_intervals_match_the_normal_approximation_of_a_proportion():
    rng = np.random.default_rng(0)
    n = 2000
    frame = pd.DataFrame(
        {
            "CODE_GENDER": ["F"] * n,
            "DAYS_BIRTH": -40 * 365.25,
            "decision": np.where(rng.random(n) < 0.7, "granted", "refused"),
        }
    )
    rate = float((frame["decision"] == "granted").mean())

    report = fairness_report(frame, target=None, probability=None, n_boot=2000, seed=0)

    row = figures(report, "CODE_GENDER")["F", "approval_rate"]
    half_width = 1.96 * math.sqrt(rate * (1 - rate) / n)
    assert row["ci_low"] == pytest.approx(rate - half_width, abs=0.004)
    assert row["ci_high"] == pytest.approx(rate + half_width, abs=0.004)


def test_the_intervals_agree_with_fairlearns_own_bootstrap():
    from fairlearn.metrics import MetricFrame, selection_rate

    rng = np.random.default_rng(5)
    n = 1500
    gender = rng.choice(["F", "M"], n, p=[0.6, 0.4])
    granted = rng.random(n) < np.where(gender == "F", 0.75, 0.6)
    frame = pd.DataFrame(
        {"CODE_GENDER": gender, "DAYS_BIRTH": -40 * 365.25,
         "decision": np.where(granted, "granted", "refused")}
    )  # fmt: skip

    ours = figures(fairness_report(frame, target=None, n_boot=500, seed=0), "CODE_GENDER")
    theirs = MetricFrame(
        metrics=selection_rate, y_true=granted.astype(int), y_pred=granted.astype(int),
        sensitive_features=gender, n_boot=500, ci_quantiles=[0.025, 0.975], random_state=0,
    )  # fmt: skip

    low, high = theirs.by_group_ci
    for group in ("F", "M"):
        assert ours[group, "approval_rate"]["value"] == pytest.approx(theirs.by_group[group])
        assert ours[group, "approval_rate"]["ci_low"] == pytest.approx(low[group], abs=0.01)
        assert ours[group, "approval_rate"]["ci_high"] == pytest.approx(high[group], abs=0.01)


def test_outcomes_may_come_as_nullable_integers_from_the_database(report):
    frame = constructed_portfolio()
    frame["TARGET"] = frame["TARGET"].astype("Int64")

    assert fairness_report(frame, n_boot=400, seed=1) == report


def test_the_same_seed_gives_the_same_intervals():
    first = fairness_report(constructed_portfolio(), n_boot=100, seed=3)
    second = fairness_report(constructed_portfolio(), n_boot=100, seed=3)

    assert first == second


def test_the_report_is_json_ready(report):
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_approval_figures_alone_without_outcomes():
    frame = constructed_portfolio().drop(columns=["TARGET"])

    report = fairness_report(frame, n_boot=50)

    metrics = {row["metric"] for row in report["groupings"]["CODE_GENDER"]["rows"]}
    assert metrics == {"approval_rate", "approval_ratio"}
    assert report["labelled_rows"] == 0


@pytest.mark.parametrize(
    ("years", "band"),
    [(18, "<25"), (24.99, "<25"), (25, "25-34"), (34.9, "25-34"), (35, "35-44"),
     (45, "45-54"), (55, "55-64"), (64.99, "55-64"), (65, "65+"), (90, "65+"),
     (np.nan, "unknown")],
)  # fmt: skip
def test_age_bands_in_years(years, band):
    assert age_band(pd.Series([years]), unit="years").iloc[0] == band


def test_age_bands_from_kaggle_days_birth():
    # -9131 days is 24.999 years, -9132 is 25.002.
    bands = age_band(pd.Series([-9131, -9132, -23742, None]))

    assert list(bands) == ["<25", "25-34", "65+", "unknown"]


def test_bad_input_is_refused_with_a_clear_error():
    frame = constructed_portfolio()
    with pytest.raises(FairnessError, match="granted' or 'refused"):
        fairness_report(frame.assign(decision="ok"))
    with pytest.raises(FairnessError, match="TARGET must be"):
        fairness_report(frame.assign(TARGET=3))
    with pytest.raises(FairnessError, match="TARGET must be"):
        fairness_report(frame.assign(TARGET="unknown"))
    with pytest.raises(FairnessError, match="no 'CODE_GENDER' column"):
        fairness_report(frame.drop(columns=["CODE_GENDER"]))
    with pytest.raises(FairnessError, match="between 0 and 1"):
        fairness_report(frame.assign(probability=1.5))
