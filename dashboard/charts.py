"""The dashboard's charts as Plotly figure specs, each with the sentence that says what it shows.

Every builder takes the JSON-ready payload of a service (`explanation_for_score`,
`global_importance`, `feature_distribution`, `bivariate`) and returns a
`Chart`: the Plotly spec (embedded in the page with `json_script`, drawn by
static/js/charts.js), a caption computed from the same numbers (shown under
the chart and used as its text alternative) and the rows of the data table
that repeats the figures for screen readers and keyboard users.

Colours are the CSS custom properties of static/css/dashboard.css
("var(--cs-favourable)"): charts.js resolves them, so the Okabe-Ito palette
is defined in one place. Colour is never the only cue: outcomes also differ
by marker shape or bar pattern, and bars carry their signed value as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import formatting
from dashboard.wording import (
    band_label,
    confidence_band,
    decision_label,
    decision_sentence,
    percent,
)
from explanations.reasons import format_value

FAVOURABLE = "var(--cs-favourable)"  # lowers the risk / repaid / granted
UNFAVOURABLE = "var(--cs-unfavourable)"  # raises the risk / defaulted / refused
NEUTRAL = "var(--cs-neutral)"
THRESHOLD = "var(--cs-threshold)"
FAVOURABLE_FILL = "var(--cs-favourable-fill)"
UNFAVOURABLE_FILL = "var(--cs-unfavourable-fill)"

# Clients near the client's point in a scatter: how many the sentence counts.
NEAREST_IN_SCATTER = 100
ROW_HEIGHT = 30  # pixels per bar of a horizontal chart
# Bar labels longer than this are shortened on the axis (in full on hover and in the table):
# a history feature's label can run to 80 characters, which would leave no room for bars.
AXIS_LABEL_CHARACTERS = 42


@dataclass
class Chart:
    """A Plotly figure, its caption (a sentence from the data) and its data table."""

    spec: dict[str, Any]
    caption: str
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


def _separators() -> str:
    """Plotly's decimal and thousands separators for the page language."""
    return formatting.decimal_sign() + formatting.group_sign()


def _layout(**overrides: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "separators": _separators(),
        "margin": {"l": 10, "r": 20, "t": 10, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        "showlegend": False,
    }
    layout.update(overrides)
    return layout


def _spec(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    # No mode bar: its icons are unlabelled buttons for screen readers, and the
    # data table under each chart gives the exact numbers anyway.
    return {
        "data": data,
        "layout": layout,
        "config": {"displayModeBar": False, "responsive": True},
    }


def _short(label: str) -> str:
    if len(label) <= AXIS_LABEL_CHARACTERS:
        return label
    return label[: AXIS_LABEL_CHARACTERS - 1].rstrip(" ,(") + "…"


def _unique_short(labels: list[str]) -> list[str]:
    """Shortened labels, kept distinct (a category axis merges equal labels)."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        short = _short(label)
        seen[short] = seen.get(short, 0) + 1
        result.append(short if seen[short] == 1 else f"{short} ({seen[short]})")
    return result


def _signed(value: float, decimals: int = 2) -> str:
    return formatting.signed(value, decimals)


# ---------------------------------------------------------------------------
# The decision: a gauge with the threshold
# ---------------------------------------------------------------------------


def gauge_range(probability: float, threshold: float) -> float:
    """The top of the gauge, in percent: a 0-100 dial would squeeze a threshold of 8%
    into its first tick, so it spans three times the threshold (or the probability, if
    higher), rounded up to ten."""
    top = max(3 * threshold, 1.2 * probability, 0.1) * 100
    return float(min(100, math.ceil(top / 10) * 10))


def decision_gauge(*, probability: float, threshold: float, decision: str) -> Chart:
    top = gauge_range(probability, threshold)
    colour = UNFAVOURABLE if decision == "refused" else FAVOURABLE
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
                    "ticksuffix": formatting.percent_suffix(),
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
    caption = decision_sentence(probability=probability, threshold=threshold, decision=decision)
    band = confidence_band(probability, threshold)
    return Chart(
        spec=_spec(data, _layout(height=200, margin={"l": 35, "r": 35, "t": 20, "b": 5})),
        caption=caption,
        table_head=[_("Measure"), _("Value")],
        table_rows=[
            [_("Probability of default"), percent(probability)],
            [_("Threshold"), percent(threshold)],
            [_("Decision"), decision_label(decision)],
            [_("Confidence"), band_label(band)],
        ],
    )


# ---------------------------------------------------------------------------
# The local explanation: a SHAP waterfall in log-odds
# ---------------------------------------------------------------------------


def explanation_waterfall(payload: dict[str, Any]) -> Chart:
    """Base value -> each of the top contributions -> the rest -> the client's raw score.

    In log-odds (the model's raw output, where SHAP values add up exactly);
    the caption says so and gives the calibrated probability it becomes.
    """
    contributions = payload["contributions"]
    other = float(payload.get("other_features") or 0.0)
    base, raw = float(payload["base_value"]), float(payload["raw_score"])
    start, end = _("Average client (start)"), _("This client (raw score)")
    others = _("All other factors")
    labels = [start, *(row["label"] for row in contributions), others, end]
    # The bars start from the average client's score (`base`), not from 0: drawn from 0,
    # that first bar would dwarf the contributions the chart is about.
    steps = [float(row["contribution"]) for row in contributions] + [other]
    values = [0.0, *steps, 0.0]
    measures = ["absolute", *("relative" for _step in steps), "total"]
    text = [
        formatting.number(base, 2, trim=False),
        *(_signed(step) for step in steps),
        formatting.number(raw, 2, trim=False),
    ]
    hover = [
        f"{start}: {text[0]}",
        *(
            f"{row['label']}: {row['display_value']} ({_signed(row['contribution'])})"
            for row in contributions
        ),
        f"{others}: {_signed(other)}",
        f"{end}: {text[-1]}",
    ]
    data = [
        {
            "type": "waterfall",
            "orientation": "h",
            "base": base,
            "y": _unique_short(labels),
            "x": values,
            "measure": measures,
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
        height=80 + ROW_HEIGHT * len(labels),
        margin={"l": 10, "r": 60, "t": 10, "b": 40},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"title": {"text": _("Score (log-odds), riskier to the right")}, "zeroline": False},
    )
    return Chart(
        spec=_spec(data, layout),
        caption=_waterfall_caption(payload),
        table_head=[_("Factor"), _("Client's value"), _("Effect on the score")],
        table_rows=[
            [start, "", formatting.number(base, 2, trim=False)],
            *(
                [row["label"], row["display_value"], _signed(float(row["contribution"]))]
                for row in contributions
            ),
            [others, "", _signed(other)],
            [end, "", formatting.number(raw, 2, trim=False)],
        ],
    )


def _waterfall_caption(payload: dict[str, Any]) -> str:
    contributions = payload["contributions"]
    values = {
        "base": formatting.number(payload["base_value"], 2, trim=False),
        "raw": formatting.number(payload["raw_score"], 2, trim=False),
        "probability": percent(payload["probability"]),
    }
    sentences = [
        _(
            "Scores are in log-odds, the model's raw output, where the factors add up: "
            "from %(base)s for an average client, this client's factors lead to %(raw)s, "
            "which the calibration turns into a probability of default of %(probability)s."
        )
        % values
    ]
    raising = [row for row in contributions if row["contribution"] > 0]
    lowering = [row for row in contributions if row["contribution"] < 0]
    if raising:
        top = max(raising, key=lambda row: row["contribution"])
        sentences.append(
            _("The factor raising the risk most is “%(label)s” (%(value)s, %(effect)s).")
            % {
                "label": top["label"],
                "value": top["display_value"],
                "effect": _signed(top["contribution"]),
            }
        )
    if lowering:
        top = min(lowering, key=lambda row: row["contribution"])
        sentences.append(
            _("The factor lowering the risk most is “%(label)s” (%(value)s, %(effect)s).")
            % {
                "label": top["label"],
                "value": top["display_value"],
                "effect": _signed(top["contribution"]),
            }
        )
    return " ".join(sentences)


# ---------------------------------------------------------------------------
# The global explanation: mean |SHAP| per feature
# ---------------------------------------------------------------------------


def global_importance_bars(rows: list[dict[str, Any]]) -> Chart:
    labels = [row["label"] for row in rows]
    values = [float(row["importance"]) for row in rows]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": _unique_short(labels),
            "x": values,
            "hovertext": labels,
            "marker": {"color": FAVOURABLE},
            "text": [formatting.number(v, 3, trim=False) for v in values],
            "textposition": "outside",
            "cliponaxis": False,
            "hoverinfo": "text+x",
        }
    ]
    layout = _layout(
        height=60 + ROW_HEIGHT * len(rows),
        margin={"l": 10, "r": 50, "t": 10, "b": 40},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"title": {"text": _("Mean |SHAP| (log-odds)")}, "nticks": 5},
    )
    if len(rows) >= 3:
        caption = _(
            "Across all clients, the factors that weigh most on the model's scores are "
            "“%(first)s”, “%(second)s” and “%(third)s”."
        ) % {"first": labels[0], "second": labels[1], "third": labels[2]}
    elif rows:
        caption = _("Across all clients, the factor that weighs most is “%(first)s”.") % {
            "first": labels[0]
        }
    else:
        caption = _("The model's global importance is not available.")
    caption += " " + _(
        "A longer bar means the factor moves scores more, up or down: it says nothing "
        "about the direction for one client."
    )
    return Chart(
        spec=_spec(data, layout),
        caption=caption,
        table_head=[_("Factor"), _("Average effect")],
        table_rows=[
            [label, formatting.number(value, 3, trim=False)]
            for label, value in zip(labels, values, strict=True)
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
        first_cells = x
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
            "ticktext": [format_value(feature, edge) for edge in ticks],
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
        height=320,
        barmode="group",
        bargap=0.1,
        showlegend=True,
        legend={"orientation": "h", "y": -0.35},
        margin={"l": 10, "r": 20, "t": 30, "b": 40},
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
        cells = cells if isinstance(cells, list) else [cells]
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
        spec=_spec(data, layout),
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
        height=380,
        showlegend=True,
        legend={"orientation": "h", "y": -0.3},
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        **axes,
    )
    return Chart(
        spec=_spec(data, layout),
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
