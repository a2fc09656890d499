"""The charts' specs and the sentences that say what they show (dashboard/charts.py,
dashboard/wording.py): built from service payloads, no database."""

from __future__ import annotations

import pytest
from django.utils import translation

from dashboard import charts, wording


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("probability", "threshold", "band"),
    [
        (0.100, 0.083, wording.BORDERLINE),  # 1.7 points
        (0.070, 0.083, wording.BORDERLINE),
        (0.120, 0.083, wording.MODERATE),  # 3.7 points
        (0.135, 0.083, wording.CLEAR),  # 5.2 points
        (0.010, 0.083, wording.CLEAR),
    ],
)
def test_confidence_bands_follow_the_distance_to_the_threshold(probability, threshold, band):
    assert wording.confidence_band(probability, threshold) == band


def test_the_decision_sentence_gives_probability_threshold_decision_and_margin():
    sentence = wording.decision_sentence(probability=0.123, threshold=0.083, decision="refused")
    assert sentence.startswith(
        "Probability of default 12.3%, above the threshold of 8.3%: refused."
    )
    assert "4.0 points from the threshold: a fairly clear decision." in sentence
    close = wording.decision_sentence(probability=0.075, threshold=0.083, decision="granted")
    assert "below the threshold of 8.3%: granted." in close
    assert "Only 0.8 points from the threshold: a borderline decision" in close


def test_the_decision_sentence_is_french_by_default():
    with translation.override("fr"):
        sentence = wording.decision_sentence(probability=0.123, threshold=0.083, decision="refused")
    assert sentence.startswith(
        "Probabilité de défaut 12,3\u202f%, au-dessus du seuil de 8,3\u202f% : refusé."
    )


@pytest.mark.parametrize(
    ("probability", "threshold", "top"),
    [(0.05, 0.083, 30.0), (0.5, 0.083, 60.0), (0.97, 0.4, 100.0), (0.0, 0.01, 10.0)],
)
def test_the_gauge_spans_three_thresholds_or_the_probability(probability, threshold, top):
    assert charts.gauge_range(probability, threshold) == top


def test_the_gauge_marks_the_threshold_and_colours_by_decision():
    chart = charts.decision_gauge(probability=0.123, threshold=0.083, decision="refused")
    gauge = chart.spec["data"][0]["gauge"]
    assert gauge["threshold"]["value"] == pytest.approx(8.3)
    assert gauge["bar"]["color"] == charts.UNFAVOURABLE
    assert [step["range"] for step in gauge["steps"]] == [[0, 8.3], [8.3, 30.0]]
    assert chart.caption.startswith("Probability of default 12.3%")
    assert ["Threshold", "8.3%"] in chart.table_rows


PAYLOAD = {
    "probability": 0.123,
    "base_value": -2.5,
    "raw_score": -1.6,
    "other_features": 0.1,
    "contributions": [
        {
            "feature": "EXT_SOURCE_3",
            "label": "External score 3",
            "display_value": "0.12",
            "contribution": 0.9,
        },
        {
            "feature": "AMT_CREDIT",
            "label": "Credit amount " + "x" * 60,
            "display_value": "500,000",
            "contribution": 0.2,
        },
        {
            "feature": "DAYS_BIRTH",
            "label": "Age",
            "display_value": "52 years",
            "contribution": -0.3,
        },
    ],
}


def test_the_waterfall_goes_from_the_average_client_to_this_client_in_log_odds():
    chart = charts.explanation_waterfall(PAYLOAD)
    trace = chart.spec["data"][0]
    assert trace["measure"] == ["absolute", "relative", "relative", "relative", "relative", "total"]
    assert trace["base"] == -2.5
    assert trace["base"] + sum(trace["x"]) == pytest.approx(PAYLOAD["raw_score"])
    assert trace["y"][0] == "Average client (start)" and trace["y"][-1] == "This client (raw score)"
    # A long label is shortened on the axis, whole on hover and in the table.
    assert len(trace["y"][2]) == charts.AXIS_LABEL_CHARACTERS and trace["y"][2].endswith("…")
    assert PAYLOAD["contributions"][1]["label"] in trace["hovertext"][2]
    assert chart.table_rows[2][0] == PAYLOAD["contributions"][1]["label"]
    assert "log-odds" in chart.caption
    assert "“External score 3” (0.12, +0.90)" in chart.caption  # raises the risk most
    assert "“Age” (52 years, \u22120.30)" in chart.caption  # lowers it most


def test_global_importance_names_the_three_strongest_factors():
    rows = [
        {"feature": f"F{i}", "label": f"Factor {i}", "importance": 1.0 / (i + 1)} for i in range(15)
    ]
    chart = charts.global_importance_bars(rows)
    assert chart.spec["data"][0]["y"][:2] == ["Factor 0", "Factor 1"]
    assert "“Factor 0”, “Factor 1” and “Factor 2”" in chart.caption
    assert len(chart.table_rows) == 15


def test_the_distribution_marks_the_client_and_keeps_the_services_sentence():
    distribution = {
        "feature": "EXT_SOURCE_3",
        "label": "External score 3",
        "kind": "numeric",
        "bin_edges": [0.0, 0.25, 0.5, 0.75, 1.0],
        "shares": {"repaid": [0.1, 0.2, 0.3, 0.4], "defaulted": [0.4, 0.3, 0.2, 0.1]},
        "default_rate": [0.3, 0.15, None, 0.02],
        "n": {"repaid": 900, "defaulted": 100},
        "client": {"value": 1.7, "sentence": "Your value (1.70) is higher than 99% of clients."},
    }
    chart = charts.population_distribution(distribution)
    assert chart.spec["layout"]["shapes"][0]["x0"] == 1.0  # beyond the range: at its edge
    assert chart.caption.startswith("Your value (1.70) is higher than 99% of clients.")
    assert "900 clients who repaid and 100 who defaulted" in chart.caption
    assert chart.table_rows[2][-1] == "—"  # an empty bin has no default rate


def test_the_scatter_counts_defaults_among_the_closest_points():
    pairs = {
        "x": {"feature": "EXT_SOURCE_1", "label": "External score 1", "range": [0.0, 1.0]},
        "y": {"feature": "EXT_SOURCE_2", "label": "External score 2", "range": [0.0, 1.0]},
        "points": {
            "x": [0.1] * 50 + [0.9] * 150,
            "y": [0.1] * 50 + [0.9] * 150,
            "outcome": [1] * 50 + [0] * 150,
        },
        "total": 200,
        "shown": 200,
        "client": {"x": 0.12, "y": 0.1},
    }
    assert charts.nearest_default_rate(pairs, k=100) == pytest.approx(0.5)
    chart = charts.population_scatter(pairs)
    assert [trace["name"] for trace in chart.spec["data"]] == ["Repaid", "Defaulted", "This client"]
    assert "Among the 100 past clients closest to this one" in chart.caption
    assert "50.0% defaulted (25.0% of all the clients shown)" in chart.caption
    pairs["client"] = {"x": None, "y": 0.1}
    assert "one of the two values is missing" in charts.population_scatter(pairs).caption
