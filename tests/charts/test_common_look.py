"""What every chart of the site shares (charts/): the advisors' and the risk staff's
charts come out with one look, in the page's language. Built from payloads, no database."""

from __future__ import annotations

import pytest
from django.utils import translation

import charts
from dashboard import charts as dashboard_charts
from monitoring import views_charts as monitoring_charts

SHARED = ("separators", "paper_bgcolor", "plot_bgcolor", "font")


def _both(language: str) -> tuple[charts.Chart, charts.Chart]:
    with translation.override(language):
        gauge = dashboard_charts.decision_gauge(
            probability=0.12, threshold=0.083, decision="refused"
        )
        volume = monitoring_charts.volume(
            [{"period": "2026-11-02", "volume": 1234}, {"period": "2026-11-09", "volume": 5}], "W"
        )
    return gauge, volume


@pytest.mark.parametrize(("language", "separators"), [("en", ".,"), ("fr", ",\u202f")])
def test_the_dashboard_and_monitoring_charts_share_the_look_and_the_separators_of_the_page(
    language, separators
):
    gauge, volume = _both(language)
    for chart in (gauge, volume):
        assert chart.spec["layout"]["separators"] == separators
        assert chart.spec["config"] == {"displayModeBar": False, "responsive": True}
    assert {key: gauge.spec["layout"][key] for key in SHARED} == {
        key: volume.spec["layout"][key] for key in SHARED
    }


def test_each_page_keeps_its_own_margins_and_legend():
    gauge, volume = _both("en")
    assert gauge.spec["layout"]["margin"] == {"l": 45, "r": 45, "t": 30, "b": 5}
    assert gauge.spec["layout"]["showlegend"] is False
    assert volume.spec["layout"]["margin"] == {"l": 60, "r": 20, "t": 40, "b": 80}
    assert volume.spec["layout"]["height"] == 320


def test_one_chart_changing_its_font_leaves_the_next_chart_alone():
    first, _volume = _both("en")
    first.spec["layout"]["font"]["size"] = 30
    second, _volume = _both("en")
    assert second.spec["layout"]["font"]["size"] == 13


def test_wrap_breaks_between_words_at_the_width_it_is_given():
    assert charts.wrap("Late months in the bureau's monthly history", 20) == (
        "Late months in the<br>bureau's monthly<br>history"
    )
    assert charts.wrap("Supercalifragilistic", 5) == "Supercalifragilistic"
