import numpy as np
import pandas as pd
import pytest

from ml.monitoring.stability import StabilityError, stability_by_period


def scores(rows):
    return pd.DataFrame(
        rows, columns=["scored_at", "probability", "decision", "threshold", "overridden"]
    ).assign(scored_at=lambda f: pd.to_datetime(f["scored_at"]))


DAY_ONE_AND_THREE = scores(
    [
        ("2026-03-02 09:00", 0.05, "granted", 0.12, False),
        ("2026-03-02 10:00", 0.10, "granted", 0.12, False),  # 2 points below: near
        ("2026-03-02 11:00", 0.30, "refused", 0.12, True),
        ("2026-03-02 12:00", 0.11, "granted", 0.12, False),  # near
        ("2026-03-04 09:00", 0.13, "refused", 0.12, False),  # near
    ]
)


def test_each_day_gets_volume_approval_mean_probability_and_the_two_shares():
    first, gap, third = stability_by_period(DAY_ONE_AND_THREE, freq="D")

    assert first == {
        "period": "2026-03-02",
        "volume": 4,
        "approval_rate": 0.75,
        "mean_probability": pytest.approx(0.14),
        "near_threshold_share": 0.5,
        "override_share": 0.25,
    }
    assert gap == {
        "period": "2026-03-03",
        "volume": 0,
        "approval_rate": None,
        "mean_probability": None,
        "near_threshold_share": None,
        "override_share": None,
    }
    assert third["volume"] == 1 and third["approval_rate"] == 0.0
    assert third["near_threshold_share"] == 1.0


def test_weeks_group_monday_to_sunday():
    frame = pd.concat(
        [DAY_ONE_AND_THREE, scores([("2026-03-09 08:00", 0.5, "refused", 0.12, False)])]
    )

    weeks = stability_by_period(frame, freq="W")

    assert [(w["period"], w["volume"]) for w in weeks] == [("2026-03-02", 5), ("2026-03-09", 1)]
    assert weeks[0]["approval_rate"] == pytest.approx(3 / 5)


def test_a_single_threshold_and_no_override_column_are_accepted():
    frame = DAY_ONE_AND_THREE.drop(columns=["threshold", "overridden"])

    (first, _, _) = stability_by_period(frame, threshold=0.3, overridden=None)

    assert first["near_threshold_share"] == 0.25  # only 0.30 is within 2 points of 0.3
    assert first["override_share"] is None


def test_an_empty_frame_gives_no_period():
    assert stability_by_period(DAY_ONE_AND_THREE.iloc[:0]) == []


def test_bad_input_is_refused_with_a_clear_error():
    with pytest.raises(StabilityError, match="no column"):
        stability_by_period(DAY_ONE_AND_THREE.drop(columns=["decision"]))
    bad_decision = DAY_ONE_AND_THREE.assign(decision="maybe")
    with pytest.raises(StabilityError, match="granted' or 'refused"):
        stability_by_period(bad_decision)
    with pytest.raises(StabilityError, match="between 0 and 1"):
        stability_by_period(DAY_ONE_AND_THREE.assign(probability=np.nan))
    with pytest.raises(ValueError, match="'D'"):
        stability_by_period(DAY_ONE_AND_THREE, freq="M")


def test_the_decision_words_are_those_of_the_model():
    from ml.monitoring import _columns
    from ml.predict import GRANTED, REFUSED

    assert (_columns.GRANTED, _columns.REFUSED) == (GRANTED, REFUSED)
