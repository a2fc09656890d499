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


@pytest.mark.parametrize(("probability", "threshold"), [(0.05, 0.083), (0.5, 0.083), (0.0, 0.01)])
def test_the_gauge_has_one_scale_for_every_client(probability, threshold):
    # Issue 9: the scale used to follow the client (0-30%, 0-100%); now 0-50% for all.
    spec = charts.decision_gauge(probability=probability, threshold=threshold, decision="granted")
    axis = spec.spec["data"][0]["gauge"]["axis"]
    assert axis["range"] == [0, 50.0]
    assert axis["ticktext"][-1] == "50%"  # the end label is written, never left to Plotly
    assert "from 0% to 50% for every client" in spec.caption


def test_a_threshold_near_the_end_of_the_dial_widens_it_to_a_hundred():
    assert charts.gauge_range(0.083) == 50.0
    assert charts.gauge_range(0.47) == 100.0


def test_the_gauge_marks_the_threshold_and_colours_by_decision():
    chart = charts.decision_gauge(probability=0.123, threshold=0.083, decision="refused")
    gauge = chart.spec["data"][0]["gauge"]
    assert gauge["threshold"]["value"] == pytest.approx(8.3)
    assert gauge["bar"]["color"] == charts.UNFAVOURABLE
    assert [step["range"] for step in gauge["steps"]] == [[0, 8.3], [8.3, 50.0]]
    assert chart.caption.startswith("Probability of default 12.3%")
    assert ["Threshold", "8.3%"] in chart.table_rows


def _fact(key, label, points, *, reason=True):
    return {
        "key": key,
        "label": label,
        "contribution": points / 10,
        "points": points,
        "direction": "raising" if points > 0 else "lowering",
        "sentence": f"{label}: the client's value.",
        "is_reason": reason,
        "features": [],
        "feature_count": 1,
    }


PAYLOAD = {
    "probability": 0.123,
    "base_probability": 0.08,
    "client_probability": 0.123,
    "facts": [
        _fact("external_scores", "External credit scores", 3.1),
        _fact("bureau_late_months", "Late months in the bureau's monthly history", 1.5),
        _fact("age", "Age", -0.9),
    ],
    "other_facts": {"count": 30, "contribution": 0.06, "points": 0.6},
}


def test_the_waterfall_goes_from_the_average_client_to_this_client_in_points():
    chart = charts.explanation_waterfall(PAYLOAD)
    trace = chart.spec["data"][0]
    assert trace["measure"] == ["absolute", "relative", "relative", "relative", "relative", "total"]
    assert trace["base"] == pytest.approx(8.0)
    assert trace["base"] + sum(trace["x"]) == pytest.approx(12.3)
    assert trace["y"][0] == "Average client" and trace["y"][-1] == "This client"
    assert trace["y"][-2] == "30 other facts"
    # The same facts, signs and order as the payload (and so as the reasons).
    assert trace["x"][1:4] == [3.1, 1.5, -0.9]
    assert trace["text"][1:4] == ["+3.1", "+1.5", "\u22120.9"]
    # A long label is wrapped between words, never cut.
    assert trace["y"][2] == "Late months in the<br>bureau's monthly history"
    assert chart.spec["layout"]["xaxis"]["title"]["text"].startswith("Probability of default")
    assert "log-odds" not in str(chart.spec) + chart.caption
    assert "“External credit scores” (about +3.1 points)" in chart.caption  # raises most
    assert "“Age” (about \u22120.9 points)" in chart.caption  # lowers most
    assert chart.table_rows[1] == [
        "External credit scores",
        "External credit scores: the client's value.",
        "+3.1",
    ]


def test_labels_wrap_between_words_and_keep_every_word():
    label = "Payment delays on point-of-sale and cash loans"
    wrapped = charts.wrap(label, 20)
    assert wrapped == "Payment delays on<br>point-of-sale and<br>cash loans"
    assert wrapped.replace("<br>", " ") == label
    assert charts.wrap("Supercalifragilisticexpialidocious", 10) == (
        "Supercalifragilisticexpialidocious"
    )


def test_global_importance_names_the_three_strongest_facts_in_shares():
    rows = [
        {"key": f"F{i}", "label": f"Fact {i}", "importance": 1.0 / (i + 1), "share": 0.3 / (i + 1)}
        for i in range(15)
    ]
    chart = charts.global_importance_bars(rows)
    assert chart.spec["data"][0]["y"][:2] == ["Fact 0", "Fact 1"]
    assert chart.spec["data"][0]["x"][0] == pytest.approx(30.0)
    assert "“Fact 0”, “Fact 1” and “Fact 2”" in chart.caption
    assert "SHAP" not in str(chart.spec)
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
