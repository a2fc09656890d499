import pytest

from ml.monitoring.alerts import (
    AUC_GAP,
    DRIFT_SHARE,
    FAIRNESS_RATIO,
    SCORE_PSI,
    Crossing,
    Limits,
    auc_gap_crossed,
    crossings,
    drift_share_crossed,
    fairness_ratio_crossed,
    score_psi_crossed,
)


def test_quiet_figures_raise_no_alert():
    figures = {
        "drift_share": 0.1,
        "score_psi": 0.12,
        "fairness_ratios": {"CODE_GENDER=M": 0.92},
        "expected_auc": 0.75,
        "training_auc": 0.77,
    }

    assert crossings(figures) == []


def test_every_figure_past_its_limit_is_reported_with_its_message_key():
    figures = {
        "drift_share": 0.45,
        "score_psi": 0.31,
        "fairness_ratios": {"CODE_GENDER=M": 0.75, "age_band=<25": 0.9},
        "expected_auc": 0.70,
        "training_auc": 0.77,
    }

    found = crossings(figures)

    assert [c.kind for c in found] == [DRIFT_SHARE, SCORE_PSI, FAIRNESS_RATIO, AUC_GAP]
    assert found[2] == Crossing(
        kind=FAIRNESS_RATIO,
        value=0.75,
        limit=0.8,
        message_key="monitoring.alert.fairness_ratio",
        subject="CODE_GENDER=M",
    )
    assert found[3].value == pytest.approx(0.07)
    assert all(c.message_key.startswith("monitoring.alert.") for c in found)


def test_limits_are_reached_at_equality_except_the_ratio_which_must_be_below():
    assert drift_share_crossed(0.3, 0.3) and not drift_share_crossed(0.29, 0.3)
    assert score_psi_crossed(0.25, 0.25) and not score_psi_crossed(0.2499, 0.25)
    assert fairness_ratio_crossed(0.79, 0.8) and not fairness_ratio_crossed(0.8, 0.8)
    assert auc_gap_crossed(0.70, 0.75, 0.05)  # 0.75 - 0.70 is 0.04999... in floating point
    assert not auc_gap_crossed(0.71, 0.75, 0.05)


def test_a_better_auc_than_in_training_is_no_alert():
    assert crossings({"expected_auc": 0.85, "training_auc": 0.77}) == []


def test_figures_not_measured_are_skipped():
    assert crossings({}) == []
    assert crossings({"drift_share": None, "expected_auc": 0.5}) == []


def test_limits_can_be_set_and_are_checked():
    strict = Limits(drift_share=0.1, score_psi=0.1, fairness_ratio=0.9, auc_gap=0.01)

    assert [c.kind for c in crossings({"drift_share": 0.15, "score_psi": 0.12}, strict)] == [
        DRIFT_SHARE,
        SCORE_PSI,
    ]
    with pytest.raises(ValueError, match="drift_share"):
        Limits(drift_share=-0.1)
    with pytest.raises(ValueError, match="at most 1"):
        Limits(fairness_ratio=1.2)
    assert Limits().as_dict() == {
        "drift_share": 0.3,
        "score_psi": 0.25,
        "fairness_ratio": 0.8,
        "auc_gap": 0.05,
    }


def test_a_fairness_report_is_read_for_its_significant_ratios_only():
    report = {
        "groupings": {
            "CODE_GENDER": {
                "reference_group": "F",
                "rows": [
                    {"grouping": "CODE_GENDER", "group": "M", "metric": "approval_ratio",
                     "value": 0.7, "significant": True, "flagged": True},
                    {"grouping": "CODE_GENDER", "group": "XNA", "metric": "approval_ratio",
                     "value": 0.2, "significant": False, "flagged": False},
                    {"grouping": "CODE_GENDER", "group": "M", "metric": "approval_rate",
                     "value": 0.5, "significant": True, "flagged": False},
                ],
            }
        }
    }  # fmt: skip

    found = crossings({"fairness_ratios": report})

    assert [(c.subject, c.value) for c in found] == [("CODE_GENDER=M", 0.7)]


def test_a_crossing_is_json_ready():
    import json

    (crossing,) = crossings({"score_psi": 0.4})

    assert json.loads(json.dumps(crossing.as_dict()))["kind"] == SCORE_PSI
