"""The dashboard's charts as Plotly figure specs, each with the sentence that says what it shows.

Every builder takes the JSON-ready payload of a service (`explanation_for_score`,
`global_importance`, `feature_distribution`, `bivariate`) and returns a
`Chart`: the Plotly spec (embedded in the page with `json_script`, drawn by
static/js/charts.js), a caption computed from the same numbers (shown under
the chart and used as its text alternative) and the rows of the data table
that repeats the figures for screen readers and keyboard users.

The `Chart`, the palette and the look every chart of the site shares are in
the `charts` package (the monitoring pages draw with them too). Colour is never
the only cue: outcomes also differ by marker shape or bar pattern, and bars
carry their signed value as text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import charts
import formatting
from charts import (
    FAVOURABLE,
    FAVOURABLE_FILL,
    NEUTRAL,
    THRESHOLD,
    UNFAVOURABLE,
    UNFAVOURABLE_FILL,
    Chart,
)
from dashboard.wording import (
    advisory_sentence,
    band_label,
    confidence_band,
    decision_label,
    decision_sentence,
    percent,
)
from explanations.feature_labels import SCORE, value_kind
from explanations.reasons import format_value

# Clients near the client's point in a scatter: how many the sentence counts.
NEAREST_IN_SCATTER = 100
ROW_HEIGHT = 30  # pixels per one-line bar of a horizontal chart
LINE_HEIGHT = 16  # pixels per extra line of a wrapped bar label
# Bar labels are wrapped at word boundaries to lines of at most this many characters,
# never cut: a fact's label ("Late months in the bureau's monthly history") stays whole.
AXIS_LINE_CHARACTERS = 24
# The decision gauge: one scale for every client, so that two clients compare at a
# glance. Calibrated probabilities of default sit mostly below 30% and the business
# threshold near 10%: 0-50% keeps both readable (a 0-100% dial would squeeze them into
# its first fifth); a probability above 50% fills the dial and its number says the rest.
GAUGE_TOP = 50.0


def _layout(**overrides: Any) -> dict[str, Any]:
    """The dashboard's charts: small margins (axis labels take what they need), no legend
    unless the chart asks for one."""
    settings: dict[str, Any] = {"margin": {"l": 10, "r": 20, "t": 10, "b": 40}, "showlegend": False}
    return charts.layout(**(settings | overrides))


def _signed(value: float, decimals: int = 2) -> str:
    return formatting.signed(value, decimals)


def wrap(label: str, width: int = AXIS_LINE_CHARACTERS) -> str:
    """`label` wrapped for a bar's axis (`charts.wrap`), at the dashboard's width."""
    return charts.wrap(label, width)


def _unique(labels: list[str]) -> list[str]:
    """Labels kept distinct (a category axis merges equal labels)."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result


def _bars_height(labels: list[str], *, extra: int) -> int:
    """The height of a horizontal bar chart whose wrapped labels are `labels`."""
    lines = sum(label.count("<br>") for label in labels)
    return extra + ROW_HEIGHT * len(labels) + LINE_HEIGHT * lines


def _points_text(points: float) -> str:
    """A signed number of percentage points: "+3.1", "−0.4"."""
    return formatting.signed(points, 1)


# ---------------------------------------------------------------------------
# The decision: a gauge with the threshold
# ---------------------------------------------------------------------------


def gauge_range(threshold: float) -> float:
    """The top of the gauge, in percent: `GAUGE_TOP` for every client of a model, unless
    its threshold would sit at the very end of the dial (then the whole 0-100%)."""
    return GAUGE_TOP if 100 * threshold <= 0.9 * GAUGE_TOP else 100.0


def decision_gauge(
    *, probability: float, threshold: float, decision: str, advisory: bool = False
) -> Chart:
    """The gauge; `advisory` (manual review): no decision said, in words or colour."""
    top = gauge_range(threshold)
    colour = UNFAVOURABLE if decision == "refused" else FAVOURABLE
    if advisory:
        colour = NEUTRAL
    step = 10 if top <= 50 else 20
    ticks = list(range(0, int(top) + 1, step))
    data = [
        {
            "type": "indicator",
            "mode": "gauge+number",
            "value": round(100 * probability, 1),
            "number": {"suffix": formatting.percent_suffix(), "valueformat": ".1f"},
            "gauge": {
                "shape": "angular",
                "axis": {
                    "range": [0, top],
                    "tickvals": ticks,
                    "ticktext": [formatting.percent(tick / 100) for tick in ticks],
                    "tickwidth": 1,
                },
                "bar": {"color": colour, "thickness": 0.35},
                "bgcolor": "#ffffff",
                "borderwidth": 1,
                "bordercolor": NEUTRAL,
                "steps": [
                    {"range": [0, 100 * threshold], "color": FAVOURABLE_FILL},
                    {"range": [100 * threshold, top], "color": UNFAVOURABLE_FILL},
                ],
                "threshold": {
                    "line": {"color": THRESHOLD, "width": 4},
                    "thickness": 0.9,
                    "value": round(100 * threshold, 2),
                },
            },
        }
    ]
    caption = (
        advisory_sentence(probability=probability, threshold=threshold)
        if advisory
        else decision_sentence(probability=probability, threshold=threshold, decision=decision)
    )
    caption += " " + _(
        "The dial runs from %(bottom)s to %(top)s for every client; the black line is the "
        "threshold."
    ) % {"bottom": formatting.percent(0), "top": formatting.percent(top / 100)}
    band = confidence_band(probability, threshold)
    # Margins wide enough for the end labels of the dial ("50 %") at any width.
    layout = _layout(height=210, margin={"l": 45, "r": 45, "t": 30, "b": 5})
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[_("Measure"), _("Value")],
        table_rows=[
            [_("Probability of default"), percent(probability)],
            [_("Threshold"), percent(threshold)],
            *(
                [[_("Decision"), _("a person decides (manual review)")]]
                if advisory
                else [
                    [_("Decision"), decision_label(decision)],
                    [_("Confidence"), band_label(band)],
                ]
            ),
        ],
    )


# ---------------------------------------------------------------------------
# The local explanation: the client facts, in points of probability
# ---------------------------------------------------------------------------


def explanation_waterfall(payload: dict[str, Any]) -> Chart:
    """From the average client's probability of default to this client's, one bar per fact.

    The facts are the payload's (`explanation_body`): the same facts, signs and
    order as the reasons, in percentage points of probability (approximate:
    the caption and the page's footnote say why), then every other fact as one bar.
    """
    facts = payload["facts"]
    other = payload["other_facts"]
    start_value = 100 * float(payload["base_probability"])
    end_value = 100 * float(payload["client_probability"])
    start, end = _("Average client"), _("This client")
    others = ngettext("%(count)s other fact", "%(count)s other facts", other["count"]) % {
        "count": formatting.number(other["count"], 0)
    }
    names = [start, *(row["label"] for row in facts), others, end]
    steps = [float(row["points"]) for row in facts] + [float(other["points"])]
    text = [
        percent(start_value / 100),
        *(_points_text(step) for step in steps),
        percent(end_value / 100),
    ]
    hover = [
        f"{start}: {text[0]}",
        *(
            _("%(label)s: about %(points)s points") % {"label": row["label"], "points": step}
            for row, step in zip(facts, text[1:-2], strict=True)
        ),
        _("%(label)s: about %(points)s points") % {"label": others, "points": text[-2]},
        f"{end}: {text[-1]}",
    ]
    labels = _unique([wrap(name) for name in names])
    data = [
        {
            "type": "waterfall",
            "orientation": "h",
            "base": start_value,
            "y": labels,
            "x": [0.0, *steps, 0.0],
            "measure": ["absolute", *("relative" for _step in steps), "total"],
            "text": text,
            "textposition": "outside",
            "hovertext": hover,
            "hoverinfo": "text",
            "cliponaxis": False,
            "increasing": {"marker": {"color": UNFAVOURABLE}},
            "decreasing": {"marker": {"color": FAVOURABLE}},
            "totals": {"marker": {"color": NEUTRAL}},
            "connector": {"line": {"color": NEUTRAL, "width": 1, "dash": "dot"}},
        }
    ]
    layout = _layout(
        height=_bars_height(labels, extra=90),
        margin={"l": 10, "r": 60, "t": 10, "b": 50},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={
            "title": {"text": _("Probability of default (%), riskier to the right")},
            "ticksuffix": formatting.percent_suffix(),
            "zeroline": False,
            "automargin": True,
        },
    )
    return Chart(
        spec=charts.spec(data, layout),
        caption=_waterfall_caption(payload),
        table_head=[_("Fact"), _("What the client's file says"), _("Effect (points, approximate)")],
        table_rows=[
            [start, "", text[0]],
            *(
                [row["label"], row["sentence"] or "", _points_text(float(row["points"]))]
                for row in facts
            ),
            [others, "", _points_text(float(other["points"]))],
            [end, "", text[-1]],
        ],
    )


def _waterfall_caption(payload: dict[str, Any]) -> str:
    facts = payload["facts"]
    sentences = [
        _(
            "From %(start)s for an average client, this client's facts lead to a probability "
            "of default of %(end)s. Each bar is the approximate number of percentage points "
            "a fact adds (to the right) or removes (to the left)."
        )
        % {
            "start": percent(payload["base_probability"]),
            "end": percent(payload["client_probability"]),
        }
    ]
    raising = [row for row in facts if row["direction"] == "raising"]
    lowering = [row for row in facts if row["direction"] == "lowering"]
    if raising:
        top = max(raising, key=lambda row: row["points"])
        sentences.append(
            _("The fact raising the risk most is “%(label)s” (about %(points)s points).")
            % {"label": top["label"], "points": _points_text(top["points"])}
        )
    if lowering:
        top = min(lowering, key=lambda row: row["points"])
        sentences.append(
            _("The fact lowering the risk most is “%(label)s” (about %(points)s points).")
            % {"label": top["label"], "points": _points_text(top["points"])}
        )
    return " ".join(sentences)


# ---------------------------------------------------------------------------
# The global explanation: each fact's share of the model's effect
# ---------------------------------------------------------------------------


def global_importance_bars(rows: list[dict[str, Any]]) -> Chart:
    """The facts by their share of the model's average effect (fact_importance rows)."""
    names = [row["label"] for row in rows]
    shares = [100 * float(row["share"]) for row in rows]
    labels = _unique([wrap(name, 30) for name in names])
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": shares,
            "hovertext": names,
            "marker": {"color": FAVOURABLE},
            "text": [percent(share / 100) for share in shares],
            "textposition": "outside",
            "cliponaxis": False,
            "hoverinfo": "text+x",
        }
    ]
    layout = _layout(
        height=_bars_height(labels, extra=70),
        margin={"l": 10, "r": 50, "t": 10, "b": 50},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={
            "title": {"text": _("Share of the model's average effect (%)")},
            "ticksuffix": formatting.percent_suffix(),
            "nticks": 5,
            "automargin": True,
        },
    )
    if len(rows) >= 3:
        caption = _(
            "Across past clients, the facts that weigh most on the model's scores are "
            "“%(first)s”, “%(second)s” and “%(third)s”."
        ) % {"first": names[0], "second": names[1], "third": names[2]}
    elif rows:
        caption = _("Across past clients, the fact that weighs most is “%(first)s”.") % {
            "first": names[0]
        }
    else:
        caption = _("The model's global importance is not available.")
    caption += " " + _(
        "A longer bar means the fact moves scores more, up or down: it says nothing about "
        "the direction for one client."
    )
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[_("Fact"), _("Share of the average effect")],
        table_rows=[
            [name, percent(share / 100)] for name, share in zip(names, shares, strict=True)
        ],
    )


# ---------------------------------------------------------------------------
# Client vs population: one feature
# ---------------------------------------------------------------------------


def _outcome_names() -> dict[str, str]:
    return {"repaid": _("Repaid"), "defaulted": _("Defaulted")}


def _bar_trace(name: str, outcome: str, x: list[Any], shares: list[float]) -> dict[str, Any]:
    defaulted = outcome == "defaulted"
    return {
        "type": "bar",
        "name": name,
        "x": x,
        "y": [round(100 * share, 2) for share in shares],
        "marker": {
            "color": UNFAVOURABLE if defaulted else FAVOURABLE,
            # A hatch tells the two outcomes apart without colour (print, colour blindness).
            "pattern": {
                "shape": "/" if defaulted else "",
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
                "size": 6,
            },
        },
        "hovertemplate": "%{y:.1f}%<extra>" + name + "</extra>",
    }


def _tick(feature: str, value: float) -> str:
    """A tick label: the value as the explanations write it, but a score without its
    "(scale 0-1)" (the caption says it once; on every tick it buried the numbers)."""
    if value_kind(feature) == SCORE:
        return formatting.score_value(value)
    return format_value(feature, value)


def population_distribution(distribution: dict[str, Any]) -> Chart:
    """Shares of repaid and defaulted clients per bin (or level), the client's value marked."""
    names = _outcome_names()
    feature = distribution["feature"]
    client = distribution["client"]
    if distribution["kind"] == "categorical":
        levels = distribution["levels"]
        x = [
            _("Other values") if level == "__other__" else format_value(feature, level)
            for level in levels
        ]
        marked = client.get("level")
        marker_x = x[marked] if marked is not None else None
        xaxis: dict[str, Any] = {"type": "category", "automargin": True, "tickangle": -30}
        head = [_("Value")]
        first_cells = [[label] for label in x]
    else:
        edges = distribution["bin_edges"]
        x = [(low + high) / 2 for low, high in zip(edges[:-1], edges[1:], strict=True)]
        marker_x = None
        if client.get("value") is not None:
            marker_x = min(max(client["value"], edges[0]), edges[-1])
        step = max(1, len(edges) // 6)
        ticks = edges[::step]
        xaxis = {
            "tickvals": ticks,
            "ticktext": [_tick(feature, edge) for edge in ticks],
            "automargin": True,
            "tickangle": -30,
        }
        head = [_("From"), _("To")]
        first_cells = [
            [format_value(feature, low), format_value(feature, high)]
            for low, high in zip(edges[:-1], edges[1:], strict=True)
        ]
    data = [
        _bar_trace(names[outcome], outcome, x, distribution["shares"][outcome])
        for outcome in ("repaid", "defaulted")
    ]
    shapes, annotations = [], []
    if marker_x is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": marker_x,
                "x1": marker_x,
                "y0": 0,
                "y1": 1,
                "line": {"color": THRESHOLD, "width": 3, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "x": marker_x,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": _("This client"),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"color": "#000000"},
            }
        )
    layout = _layout(
        height=340,
        barmode="group",
        bargap=0.1,
        showlegend=True,
        # Above the plot, at the top of the figure: under it, the legend ran into the tilted
        # tick labels of the values (issue 9); the "This client" label sits below it.
        legend={"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0},
        margin={"l": 10, "r": 20, "t": 60, "b": 40},
        xaxis=xaxis,
        yaxis={"title": {"text": _("Share of the group (%)")}, "automargin": True},
        shapes=shapes,
        annotations=annotations,
    )
    n = distribution["n"]
    caption = " ".join(
        [
            client["sentence"],
            _(
                "Bars show how %(repaid)s clients who repaid and %(defaulted)s who defaulted "
                "spread over “%(label)s”; the dashed line marks this client."
            )
            % {
                "repaid": formatting.number(n["repaid"], 0),
                "defaulted": formatting.number(n["defaulted"], 0),
                "label": distribution["label"],
            },
        ]
    )
    rows = []
    for i, cells in enumerate(first_cells):
        rate = distribution["default_rate"][i]
        rows.append(
            [
                *cells,
                percent(distribution["shares"]["repaid"][i]),
                percent(distribution["shares"]["defaulted"][i]),
                percent(rate) if rate is not None else "—",
            ]
        )
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[
            *head,
            _("Share of repaid clients"),
            _("Share of defaulted clients"),
            _("Default rate"),
        ],
        table_rows=rows,
    )


# ---------------------------------------------------------------------------
# Client vs population: two features
# ---------------------------------------------------------------------------


def nearest_default_rate(pairs: dict[str, Any], *, k: int = NEAREST_IN_SCATTER) -> float | None:
    """The default rate of the `k` points nearest the client in the scatter (axes scaled
    to their 1st-99th percentile span), None when the client's point is unknown."""
    client = pairs["client"]
    points = pairs["points"]
    if client["x"] is None or client["y"] is None or not points["x"]:
        return None
    xs, ys = np.asarray(points["x"]), np.asarray(points["y"])
    spans = []
    for axis in ("x", "y"):
        span = pairs[axis]["range"]
        width = (span[1] - span[0]) if span else 0.0
        spans.append(width if width > 0 else 1.0)
    distance = ((xs - client["x"]) / spans[0]) ** 2 + ((ys - client["y"]) / spans[1]) ** 2
    nearest = np.argsort(distance, kind="stable")[:k]
    return float(np.asarray(points["outcome"])[nearest].mean())


def population_scatter(pairs: dict[str, Any]) -> Chart:
    """The reference clients by outcome (colour and shape) and the client as a star."""
    names = _outcome_names()
    points = pairs["points"]
    outcome = np.asarray(points["outcome"], dtype=int)
    xs, ys = np.asarray(points["x"]), np.asarray(points["y"])
    data = []
    for value, key, symbol, colour in (
        (0, "repaid", "circle", FAVOURABLE),
        (1, "defaulted", "x", UNFAVOURABLE),
    ):
        mask = outcome == value
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": names[key],
                "x": xs[mask].tolist(),
                "y": ys[mask].tolist(),
                "marker": {"color": colour, "symbol": symbol, "size": 6, "opacity": 0.55},
                "hoverinfo": "skip",
            }
        )
    client = pairs["client"]
    if client["x"] is not None and client["y"] is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": _("This client"),
                "x": [client["x"]],
                "y": [client["y"]],
                "text": [_("This client")],
                "textposition": "top center",
                "textfont": {"color": "#000000"},
                "marker": {
                    "color": "#000000",
                    "symbol": "star",
                    "size": 18,
                    "line": {"color": "#ffffff", "width": 1.5},
                },
            }
        )
    axes = {}
    for axis in ("x", "y"):
        span = pairs[axis]["range"]
        spec: dict[str, Any] = {"title": {"text": pairs[axis]["label"]}, "automargin": True}
        if span:
            low, high = span
            value = client[axis]
            if value is not None:  # keep the client in view even when it is an outlier
                low, high = min(low, value), max(high, value)
            pad = (high - low) * 0.05 or 1.0
            spec["range"] = [low - pad, high + pad]
        axes[f"{axis}axis"] = spec
    layout = _layout(
        height=400,
        showlegend=True,
        legend={"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0},
        margin={"l": 10, "r": 20, "t": 40, "b": 40},
        **axes,
    )
    return Chart(
        spec=charts.spec(data, layout),
        caption=_scatter_caption(pairs),
        table_head=[_("Measure"), _("Value")],
        table_rows=_scatter_table(pairs),
    )


def _scatter_caption(pairs: dict[str, Any]) -> str:
    outcome = pairs["points"]["outcome"]
    overall = float(np.mean(outcome)) if outcome else None
    values = {
        "shown": formatting.number(pairs["shown"], 0),
        "total": formatting.number(pairs["total"], 0),
        "x": pairs["x"]["label"],
        "y": pairs["y"]["label"],
    }
    sentences = [
        _(
            "Each mark is a past client (%(shown)s of %(total)s shown) placed by “%(x)s” "
            "and “%(y)s”: circles repaid, crosses defaulted; the star is this client."
        )
        % values
    ]
    near = nearest_default_rate(pairs)
    if near is None:
        sentences.append(_("This client's point is unknown: one of the two values is missing."))
    elif overall is not None:
        count = min(NEAREST_IN_SCATTER, len(outcome))
        sentences.append(
            ngettext(
                "Among the %(count)s past client closest to this one on these two measures, "
                "%(near)s defaulted (%(overall)s of all the clients shown).",
                "Among the %(count)s past clients closest to this one on these two measures, "
                "%(near)s defaulted (%(overall)s of all the clients shown).",
                count,
            )
            % {"count": count, "near": percent(near), "overall": percent(overall)}
        )
    return " ".join(sentences)


def _scatter_table(pairs: dict[str, Any]) -> list[list[str]]:
    client = pairs["client"]
    outcome = pairs["points"]["outcome"]
    near = nearest_default_rate(pairs)
    return [
        [pairs["x"]["label"], format_value(pairs["x"]["feature"], client["x"])],
        [pairs["y"]["label"], format_value(pairs["y"]["feature"], client["y"])],
        [_("Past clients shown"), formatting.number(pairs["shown"], 0)],
        [_("Default rate among them"), percent(float(np.mean(outcome))) if outcome else "—"],
        [_("Default rate among the closest"), percent(near) if near is not None else "—"],
    ]
