import json
import re

import numpy as np
import pandas as pd
import pytest

from ml.monitoring.drift import DriftError, drift_report

IMPORTANCE = {
    "EXT_SOURCE_2": 0.40,
    "AMT_CREDIT": 0.25,
    "DAYS_BIRTH": 0.15,
    "NAME_CONTRACT_TYPE": 0.08,
    "AMT_INCOME_TOTAL": 0.05,
    "FLAG_OWN_CAR": 0.03,
    "BUREAU_DEBT_SUM": 0.02,
    "OCCUPATION_TYPE": 0.01,
}


def applications(rows: int, *, seed: int, shifted: bool = False) -> pd.DataFrame:
    """Synthetic features; `shifted` moves AMT_CREDIT (+0.6 sd of its log) and the contract mix.

    Every other column keeps its distribution, only drawn afresh.
    """
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "EXT_SOURCE_2": rng.beta(5, 3, rows),
            "AMT_CREDIT": rng.lognormal(13.0 + (0.3 if shifted else 0.0), 0.5, rows),
            "DAYS_BIRTH": -rng.uniform(21, 68, rows) * 365.25,
            "NAME_CONTRACT_TYPE": rng.choice(
                ["Cash loans", "Revolving loans"], rows, p=[0.6, 0.4] if shifted else [0.9, 0.1]
            ),
            "AMT_INCOME_TOTAL": rng.lognormal(11.8, 0.6, rows),
            "FLAG_OWN_CAR": (rng.random(rows) < 0.35).astype(float),
            "BUREAU_DEBT_SUM": rng.lognormal(11, 1, rows),
            "OCCUPATION_TYPE": rng.choice(["Laborers", "Sales staff", "Core staff", None], rows),
            "TARGET": (rng.random(rows) < 0.08).astype(int),
            "OOF_PROBABILITY": rng.beta(1.2, 12, rows),
        },
        index=pd.Index(np.arange(100_000, 100_000 + rows), name="SK_ID_CURR"),
    )
    return frame


@pytest.fixture(scope="module")
def shifted_report():
    reference = applications(3000, seed=0)
    current = applications(2000, seed=1, shifted=True)
    return drift_report(
        reference, current, importance=IMPORTANCE, context={"model_version": "abc123"}
    )


def by_column(report):
    return {c["column"]: c for c in report.summary["columns"]}


def test_the_shifted_columns_are_flagged_and_no_other(shifted_report):
    columns = by_column(shifted_report)

    drifted = {name for name, column in columns.items() if column["drifted"]}
    assert drifted == {"AMT_CREDIT", "NAME_CONTRACT_TYPE"}
    assert shifted_report.summary["drifted_columns"] == 2
    assert shifted_report.summary["drift_share"] == pytest.approx(2 / 8)


def test_the_same_population_drawn_again_shows_no_drift():
    report = drift_report(applications(3000, seed=0), applications(2000, seed=2), html=False)

    assert report.summary["drifted_columns"] == 0
    assert report.summary["dataset_drift"] is False
    assert report.html is None


def test_drifted_columns_come_first_ranked_by_importance(shifted_report):
    order = [c["column"] for c in shifted_report.summary["columns"]]

    assert order[:2] == ["AMT_CREDIT", "NAME_CONTRACT_TYPE"]  # importance ranks 2 and 4
    assert order[2:] == ["EXT_SOURCE_2", "DAYS_BIRTH", "AMT_INCOME_TOTAL", "FLAG_OWN_CAR",
                         "BUREAU_DEBT_SUM", "OCCUPATION_TYPE"]  # fmt: skip
    credit = by_column(shifted_report)["AMT_CREDIT"]
    assert credit["importance"] == 0.25 and credit["importance_rank"] == 2


def test_each_column_carries_evidentlys_score_method_threshold_and_verdict(shifted_report):
    credit = by_column(shifted_report)["AMT_CREDIT"]
    contract = by_column(shifted_report)["NAME_CONTRACT_TYPE"]

    # Over 1,000 reference rows Evidently uses distances, with 0.1 as the threshold.
    assert credit["method"] == "Wasserstein distance (normed)"
    assert credit["kind"] == "numerical" and credit["score_kind"] == "distance"
    assert credit["drift_score"] > credit["threshold"] == 0.1
    assert credit["status"] == "FAIL"
    assert contract["method"] == "Jensen-Shannon distance"
    assert contract["kind"] == "categorical"
    assert by_column(shifted_report)["EXT_SOURCE_2"]["status"] == "SUCCESS"


def test_the_dataset_verdict_is_evidentlys_test_on_the_drift_share(shifted_report):
    summary = shifted_report.summary

    # 2 of 8 columns = 0.25, below the 0.3 limit.
    assert summary["dataset_drift"] is False
    assert summary["dataset_test"]["status"] == "SUCCESS"
    assert summary["drift_share_limit"] == 0.3

    stricter = drift_report(
        applications(3000, seed=0), applications(2000, seed=1, shifted=True),
        drift_share=0.2, html=False,
    )  # fmt: skip
    assert stricter.summary["dataset_drift"] is True
    assert stricter.summary["dataset_test"]["status"] == "FAIL"


def test_target_probability_and_ids_are_not_compared(shifted_report):
    compared = set(by_column(shifted_report))

    assert not compared & {"TARGET", "OOF_PROBABILITY", "SK_ID_CURR"}
    assert shifted_report.summary["columns_compared"] == 8


def test_columns_missing_on_one_side_are_listed_as_not_comparable():
    reference = applications(3000, seed=0)
    current = applications(2000, seed=1).drop(columns=["FLAG_OWN_CAR"])
    current["BUREAU_DEBT_SUM"] = np.nan  # an application file without history
    reference["PREV_COUNT"], current["PREV_COUNT"] = np.nan, 1.0

    report = drift_report(reference, current, html=False)

    assert report.summary["not_comparable"] == [
        {"column": "BUREAU_DEBT_SUM", "reason": "all_missing_in_current"},
        {"column": "FLAG_OWN_CAR", "reason": "absent_in_current"},
        {"column": "PREV_COUNT", "reason": "all_missing_in_reference"},
    ]
    assert report.summary["columns_compared"] == 6


def test_a_small_reference_gets_statistical_tests_whose_p_values_read_the_other_way():
    report = drift_report(
        applications(800, seed=0), applications(800, seed=1, shifted=True), html=False
    )

    credit = by_column(report)["AMT_CREDIT"]
    assert credit["method"] == "K-S p_value"
    assert credit["score_kind"] == "p_value"
    assert credit["drifted"] is True and credit["drift_score"] < credit["threshold"]


def test_the_summary_is_json_with_the_context_rows_and_version(shifted_report):
    summary = json.loads(shifted_report.summary_json())

    assert summary["rows"] == {"reference": 3000, "current": 2000}
    assert summary["context"] == {"model_version": "abc123"}
    assert summary["evidently_version"].startswith("0.7.")
    assert summary["format"] == 1


def test_the_html_report_is_self_contained(shifted_report):
    html = shifted_report.html

    assert html.lstrip().startswith("<!DOCTYPE html>")
    # No script, stylesheet or font fetched from elsewhere: the application has no internet.
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<link[^>]*\bhref=", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "window.drawDashboard" in html  # Evidently's bundle is embedded
    assert "AMT_CREDIT" in html


def test_bad_input_is_refused_with_a_clear_error():
    reference = applications(300, seed=0)
    with pytest.raises(DriftError, match="rows on both sides"):
        drift_report(reference, reference.iloc[:0])
    with pytest.raises(DriftError, match="should hold numbers, found 'lots'"):
        drift_report(reference, reference.assign(AMT_CREDIT="lots"), html=False)
    with pytest.raises(DriftError, match="no column can be compared"):
        drift_report(reference[["AMT_CREDIT"]], reference[["EXT_SOURCE_2"]])
    with pytest.raises(DriftError, match="JSON"):
        drift_report(reference, reference, context={"when": object()})
