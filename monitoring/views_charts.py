"""The monitoring dashboard's charts: Plotly specs, each with its sentence and its data table.

Every builder takes a part of `monitoring.selectors.monitoring_dashboard`'s
JSON-ready figures and returns a `Chart` that `templates/partials/chart.html`
draws (static/js/charts.js, under the site's Content-Security-Policy): the
spec, a caption computed from the same numbers (shown under the chart and
naming it for screen readers) and the rows of the table that repeats every
figure. The `Chart`, the palette and the look are the `charts` package's,
shared with the advisors' pages; series also differ by marker shape or dash,
never by colour alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import charts
import formatting
from charts import FAVOURABLE, NEUTRAL, THRESHOLD, UNFAVOURABLE, Chart
from explanations.feature_labels import has_label, label
from monitoring.selectors import MIN_ROWS_FOR_PSI

STABLE_BELOW = 0.1
SIGNIFICANT_FROM = 0.25
# Feature names on the stability chart's axis wrap to lines of at most this many characters.
AXIS_LINE_CHARACTERS = 28

VERDICTS = {
    "stable": gettext_lazy("stable"),
    "investigate": gettext_lazy("to investigate"),
    "significant": gettext_lazy("significant shift"),
}
GROUPINGS = {
    "CODE_GENDER": gettext_lazy("Gender"),
    "age_band": gettext_lazy("Age band"),
}
GROUP_LABELS = {
    "F": gettext_lazy("Women"),
    "M": gettext_lazy("Men"),
    "XNA": gettext_lazy("Not stated"),
    "unknown": gettext_lazy("Unknown"),
    "<25": gettext_lazy("Under 25"),
    "25-34": gettext_lazy("25 to 34"),
    "35-44": gettext_lazy("35 to 44"),
    "45-54": gettext_lazy("45 to 54"),
    "55-64": gettext_lazy("55 to 64"),
    "65+": gettext_lazy("65 and over"),
}


def _layout(**overrides: Any) -> dict[str, Any]:
    """The monitoring charts: room for slanted period labels, a legend above the plot."""
    settings: dict[str, Any] = {
        "margin": {"l": 60, "r": 20, "t": 40, "b": 80},
        "height": 320,
        "showlegend": True,
        # Above the plot: below, it would collide with slanted period labels.
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    }
    return charts.layout(**(settings | overrides))


def _percent_axis(values: list[float | None], *, title: str) -> dict[str, Any]:
    top = max([v for v in values if v is not None] or [0.0])
    top = min(1.0, max(0.05, top * 1.15))
    ticks = [top * i / 4 for i in range(5)]
    return {
        "title": {"text": title},
        "range": [0, top],
        "tickvals": ticks,
        "ticktext": [formatting.percent(t, 1 if top < 0.2 else 0) for t in ticks],
        "gridcolor": "#e5e5e5",
        "zeroline": False,
    }


def verdict_label(verdict: str | None) -> str:
    return str(VERDICTS.get(verdict or "", "—"))


def feature_name(feature: str) -> str:
    """The feature's label in the page's language, its code when it has none."""
    return label(feature, formatting.active_language()) if has_label(feature) else feature


def group_label(group: str) -> str:
    return str(GROUP_LABELS.get(group, group))


def period_label(period: str, freq: str) -> str:
    day = dt.date.fromisoformat(period)
    if freq == "W":
        return _("week of %(day)s") % {"day": formatting.date(day, "d MMM")}
    return formatting.date(day, "d MMM")


def _period_axis(periods: list[str], freq: str) -> list[str]:
    return [period_label(p, freq) for p in periods]


def _unit(freq: str) -> str:
    """The period of the charts in words, for their sentences ("per week")."""
    return _("week") if freq == "W" else _("day")


def _share(value: float | None) -> str:
    return formatting.percent(value, 1) if value is not None else "—"


def _three_decimals(value: float | None) -> str:
    """A stability index, an AUC or a cost per client: three decimals, trailing zeros kept
    so that a column lines up (0.100), "—" when there is none."""
    return formatting.number(value, 3, trim=False) if value is not None else "—"


# ---------------------------------------------------------------------------
# 3. Score stability
# ---------------------------------------------------------------------------


def score_distribution(score_psi: dict[str, Any]) -> Chart:
    """Reference (training, out of fold) and current shares per probability bin, with the PSI."""
    bins = score_psi["bins"]
    labels = [_bin_label(b["label"]) for b in bins]
    data = [
        {
            "type": "bar",
            "name": _("Training clients (out of fold)"),
            "x": labels,
            "y": [b["reference_share"] for b in bins],
            "marker": {"color": NEUTRAL},
        },
        {
            "type": "bar",
            "name": _("Applications of the window"),
            "x": labels,
            "y": [b["current_share"] for b in bins],
            "marker": {"color": UNFAVOURABLE, "pattern": {"shape": "/"}},
        },
    ]
    shares = [b["reference_share"] for b in bins] + [b["current_share"] for b in bins]
    layout = _layout(
        barmode="group",
        height=360,
        xaxis={
            "title": {"text": _("Probability of default")},
            "type": "category",
            "tickangle": -45,
            "automargin": True,
        },
        yaxis=_percent_axis(shares, title=_("Share of applications")),
    )
    caption = _(
        "How the probabilities of default of the %(current)s applications scored in the window "
        "spread over the ten bands that each held a tenth of the training clients. Population "
        "stability index %(psi)s: %(verdict)s (below 0.1 stable, 0.1 to 0.25 to investigate, "
        "0.25 and above a significant shift)."
    ) % {
        "current": formatting.number(score_psi["current_rows"], 0),
        "psi": _three_decimals(score_psi["value"]),
        "verdict": verdict_label(score_psi["verdict"]),
    }
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[
            _("Probability of default"),
            _("Training clients"),
            _("Applications of the window"),
            _("Part of the index"),
        ],
        table_rows=[
            [
                lab,
                _share(b["reference_share"]),
                _share(b["current_share"]),
                _three_decimals(b["contribution"]),
            ]
            for lab, b in zip(labels, bins, strict=True)
        ],
    )


def score_psi_by_period(rows: list[dict[str, Any]], freq: str) -> Chart:
    """The score stability index of each period, with the 0.1 and 0.25 lines."""
    labels = _period_axis([r["period"] for r in rows], freq)
    values = [r["value"] for r in rows]
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": values,
            "text": [_three_decimals(v) for v in values],
            "textposition": "outside",
            "marker": {
                "color": [_verdict_colour(v) for v in values],
                "pattern": {"shape": ["x" if r["few"] else "" for r in rows]},
            },
            "name": _("Population stability index"),
        }
    ]
    shapes = [
        {**_training_line(limit), "line": {"color": NEUTRAL, "dash": "dash", "width": 1}}
        for limit in (STABLE_BELOW, SIGNIFICANT_FROM)
    ]
    layout = _layout(
        showlegend=False,
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": _("Population stability index")},
            "range": [0, max(values + [0.3]) * 1.2],
            "gridcolor": "#e5e5e5",
        },
        shapes=shapes,
    )
    moved = [r for r in rows if r["verdict"] != "stable" and not r["few"]]
    caption = _(
        "The stability index of the probabilities scored each %(unit)s against the training "
        "clients; dashed lines at 0.1 (investigate) and 0.25 (significant shift). Hatched "
        "bars: fewer than %(few)s applications, too few to conclude."
    ) % {
        "unit": _unit(freq),
        "few": formatting.number(MIN_ROWS_FOR_PSI, 0),
    }
    if moved:
        caption += " " + _("Periods past 0.1: %(periods)s.") % {
            "periods": ", ".join(
                f"{period_label(r['period'], freq)} ({_three_decimals(r['value'])})" for r in moved
            )
        }
    else:
        caption += " " + _("No period of enough applications went past 0.1.")
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[
            _("Period"),
            _("Applications scored"),
            _("Population stability index"),
            _("Verdict"),
        ],
        table_rows=[
            [
                label,
                formatting.number(r["rows"], 0),
                _three_decimals(r["value"]),
                verdict_label(r["verdict"]) + (" " + _("(too few)") if r["few"] else ""),
            ]
            for label, r in zip(labels, rows, strict=True)
        ],
    )


def _verdict_colour(value: float) -> str:
    if value >= SIGNIFICANT_FROM:
        return UNFAVOURABLE
    return THRESHOLD if value >= STABLE_BELOW else FAVOURABLE


def _bin_label(raw: str) -> str:
    """ "(0.05, 0.08]" -> "5.0 % – 8.0 %" in the page's language; "missing" -> its word."""
    if raw == "missing":
        return _("missing")
    low, high = raw.strip("(]) ").split(",")

    def one(text: str) -> str:
        text = text.strip()
        if text in ("inf", "-inf"):
            return ""
        return formatting.percent(max(0.0, float(text)), 1)

    low_text, high_text = one(low), one(high)
    if not low_text:
        return _("up to %(high)s") % {"high": high_text}
    if not high_text:
        return _("above %(low)s") % {"low": low_text}
    return f"{low_text} – {high_text}"


def feature_stability(rows: list[dict[str, Any]]) -> Chart:
    """PSI of the most important features, most important first, with the 0.1 and 0.25 lines."""
    shown = [r for r in rows if r["psi"] is not None]
    names = [
        charts.wrap(name, AXIS_LINE_CHARACTERS)
        for name in _distinct_names([r["feature"] for r in shown])
    ]
    values = [r["psi"] for r in shown]
    top = max(values + [0.3]) * 1.1
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": names,
            "text": [_three_decimals(v) for v in values],
            "textposition": "outside",
            "marker": {"color": [_verdict_colour(v) for v in values]},
            "name": _("Population stability index"),
        }
    ]
    lines = [
        {
            "type": "line",
            "x0": limit,
            "x1": limit,
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": NEUTRAL, "dash": "dash", "width": 1},
        }
        for limit in (STABLE_BELOW, SIGNIFICANT_FROM)
    ]
    layout = _layout(
        height=70 + sum(20 + 14 * name.count("<br>") for name in names) + 12 * len(names),
        showlegend=False,
        margin={"l": 10, "r": 50, "t": 10, "b": 50},
        xaxis={"title": {"text": _("Population stability index")}, "range": [0, top]},
        yaxis={"autorange": "reversed", "automargin": True},
        shapes=lines,
    )
    moved = [r for r in shown if r["verdict"] == "investigate"]
    shifted = [r for r in shown if r["verdict"] == "significant"]
    if not shown:
        caption = _("No important feature could be compared with the training clients.")
    elif not moved and not shifted:
        caption = ngettext(
            "The %(count)s most important feature of the model is as stable as when it learnt "
            "(index below 0.1).",
            "The %(count)s most important features of the model are all as stable as when it "
            "learnt (index below 0.1).",
            len(shown),
        ) % {"count": len(shown)}
    else:
        caption = _(
            "Of the %(count)s most important features, most important first, %(shifted)s "
            "shifted significantly (index 0.25 or more) and %(moved)s moved enough to "
            "investigate (0.1 to 0.25): %(names)s."
        ) % {
            "count": len(shown),
            "shifted": len(shifted),
            "moved": len(moved),
            "names": ", ".join(feature_name(r["feature"]) for r in shifted + moved),
        }
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[
            _("Feature"),
            _("Importance rank"),
            _("Population stability index"),
            _("Verdict"),
        ],
        table_rows=[
            [
                name,
                str(r["importance_rank"]),
                _three_decimals(r["psi"]),
                verdict_label(r["verdict"]) if r["psi"] is not None else _("not comparable"),
            ]
            for name, r in zip(_distinct_names([r["feature"] for r in rows]), rows, strict=True)
        ],
    )


def _distinct_names(features: list[str]) -> list[str]:
    """Labels of `features`, with the feature's code where two share a label (a category
    axis would merge them)."""
    names = [feature_name(f) for f in features]
    return [
        f"{name} ({feature})" if names.count(name) > 1 else name
        for name, feature in zip(names, features, strict=True)
    ]


def volume(stability: list[dict[str, Any]], freq: str) -> Chart:
    periods = _period_axis([r["period"] for r in stability], freq)
    counts = [r["volume"] for r in stability]
    data = [
        {
            "type": "bar",
            "x": periods,
            "y": counts,
            "marker": {"color": NEUTRAL},
            "name": _("Applications scored"),
        }
    ]
    layout = _layout(
        showlegend=False,
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Applications scored")}, "rangemode": "tozero"},
    )
    busiest = max(stability, key=lambda r: r["volume"]) if stability else None
    caption = (
        _("Applications scored per %(unit)s: %(total)s in all, at most %(most)s (%(when)s).")
        % {
            "unit": _unit(freq),
            "total": formatting.number(sum(counts), 0),
            "most": formatting.number(busiest["volume"], 0),
            "when": period_label(busiest["period"], freq),
        }
        if busiest
        else _("No application was scored in this window.")
    )
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[_("Period"), _("Applications scored")],
        table_rows=[[p, formatting.number(c, 0)] for p, c in zip(periods, counts, strict=True)],
    )


def decision_rates(stability: list[dict[str, Any]], freq: str, training: dict[str, Any]) -> Chart:
    """Approval rate, share near the threshold and share overridden per period."""
    periods = _period_axis([r["period"] for r in stability], freq)
    series = [
        ("approval_rate", _("Approved by the model"), FAVOURABLE, "circle", "solid"),
        (
            "near_threshold_share",
            _("Within two points of the threshold"),
            THRESHOLD,
            "diamond",
            "dot",
        ),  # fmt: skip
        ("override_share", _("Overridden by an advisor"), UNFAVOURABLE, "square", "dash"),
    ]
    data = [
        _line_trace(
            name, periods, [r[key] for r in stability], colour=colour, symbol=symbol, dash=dash
        )
        for key, name, colour, symbol, dash in series
    ]
    values = [r[key] for r in stability for key, *_rest in series]
    training_approval = (
        1 - training["refusal_rate"] if training.get("refusal_rate") is not None else None
    )
    shapes = []
    if training_approval is not None:
        shapes.append(_training_line(training_approval))
        values.append(training_approval)
    layout = _layout(
        xaxis={"type": "category"},
        yaxis=_percent_axis(values, title=_("Share of the applications")),
        shapes=shapes,
    )
    last = next((r for r in reversed(stability) if r["volume"]), None)
    if last is None:
        caption = _("No application was scored in this window.")
    else:
        caption = _(
            "Per %(unit)s, the share of applications the model approved, the share within two "
            "percentage points of the threshold (decisions a small change would flip) and the "
            "share an advisor overrode. Last period (%(when)s): %(approved)s approved, "
            "%(near)s near the threshold, %(overridden)s overridden."
        ) % {
            "unit": _unit(freq),
            "when": period_label(last["period"], freq),
            "approved": _share(last["approval_rate"]),
            "near": _share(last["near_threshold_share"]),
            "overridden": _share(last["override_share"]),
        }
        if training_approval is not None:
            caption += " " + _("The dotted grey line is the training approval rate (%(rate)s).") % {
                "rate": _share(training_approval)
            }
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[_("Period"), _("Applications scored")] + [name for _k, name, *_r in series],
        table_rows=[
            [p, formatting.number(r["volume"], 0)] + [_share(r[key]) for key, *_rest in series]
            for p, r in zip(periods, stability, strict=True)
        ],
    )


def _line_trace(
    name: str,
    x: list[str],
    y: list[Any],
    *,
    colour: str,
    symbol: str,
    dash: str | None = None,
    size: int = 8,
) -> dict[str, Any]:
    """One series per period, as a line with markers: the marker's shape (and the dash)
    tells series apart where colour cannot."""
    line = {"color": colour} if dash is None else {"color": colour, "dash": dash}
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": x,
        "y": y,
        "line": line,
        "marker": {"symbol": symbol, "size": size},
    }


def _training_line(value: float) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": value,
        "y1": value,
        "line": {"color": NEUTRAL, "dash": "dot", "width": 2},
    }


def mean_probability(
    stability: list[dict[str, Any]], freq: str, *, threshold: float, training: dict[str, Any]
) -> Chart:
    periods = _period_axis([r["period"] for r in stability], freq)
    values = [r["mean_probability"] for r in stability]
    data = [
        _line_trace(
            _("Mean probability of default"), periods, values, colour=UNFAVOURABLE, symbol="circle"
        )
    ]
    shapes = [
        {**_training_line(threshold), "line": {"color": THRESHOLD, "dash": "dash", "width": 2}}
    ]
    default_rate = training.get("default_rate")
    if default_rate is not None:
        shapes.append(_training_line(default_rate))
    layout = _layout(
        showlegend=False,
        xaxis={"type": "category"},
        yaxis=_percent_axis(values + [threshold, default_rate], title=_("Probability of default")),
        shapes=shapes,
    )
    caption = _(
        "The mean probability of default of the applications scored per %(unit)s; the dashed "
        "line is the refusal threshold (%(threshold)s)"
    ) % {"unit": _unit(freq), "threshold": _share(threshold)}
    if default_rate is not None:
        caption += _(
            ", the dotted grey line the default rate of the training clients (%(rate)s)"
        ) % {"rate": _share(default_rate)}
    caption += "."
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[_("Period"), _("Mean probability of default")],
        table_rows=[[p, _share(v)] for p, v in zip(periods, values, strict=True)],
    )


# ---------------------------------------------------------------------------
# 4. Performance
# ---------------------------------------------------------------------------


def _metric_series(periods: list[dict[str, Any]], part: str, key: str) -> list[float | None]:
    return [(p[part] or {}).get(key) for p in periods]


def performance_metric(performance: dict[str, Any], freq: str, *, metric: str) -> Chart:
    """AUC ("auc") or cost per client ("cost_per_client") per period: realised, expected
    on every row (CBPE), and the training figure."""
    periods = performance["periods"]
    training = (performance.get("training") or {}).get(metric)
    labels = _period_axis([p["period"] for p in periods], freq)
    realised = _metric_series(periods, "realised", metric)
    expected = _metric_series(periods, "expected", metric)
    data = [
        _line_trace(
            _("Realised (outcomes known)"),
            labels,
            realised,
            colour=FAVOURABLE,
            symbol="circle",
            size=9,
        ),
        _line_trace(
            _("Expected from the probabilities"),
            labels,
            expected,
            colour=THRESHOLD,
            symbol="diamond-open",
            dash="dash",
            size=9,
        ),
    ]
    shapes = [_training_line(training)] if training is not None else []
    layout = _layout(
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": _("AUC") if metric == "auc" else _("Cost per client")},
            "gridcolor": "#e5e5e5",
        },
        shapes=shapes,
    )
    if metric == "auc":
        caption = _(
            "How well the model ranks defaulters above good payers (AUC, 0.5 is chance, 1 is "
            "perfect), per %(unit)s: realised where the outcomes are known, expected from the "
            "calibrated probabilities everywhere (confidence-based estimation). Training: "
            "%(training)s (dotted grey line)."
        )
    else:
        caption = _(
            "The business cost per client (a missed defaulter counts %(fn)s, a good client "
            "refused %(fp)s), per %(unit)s: realised where the outcomes are known, expected "
            "from the calibrated probabilities everywhere. Training: %(training)s (dotted grey "
            "line)."
        )
    first = periods[0]["expected"] if periods else {}
    caption = caption % {
        "unit": _unit(freq),
        "training": _three_decimals(training),
        "fn": formatting.number(first.get("cost_fn"), 0),
        "fp": formatting.number(first.get("cost_fp"), 0),
    }
    return Chart(
        spec=charts.spec(data, layout),
        caption=caption,
        table_head=[
            _("Period"),
            _("Applications scored"),
            _("Outcomes known"),
            _("Realised"),
            _("Expected on the same clients"),
            _("Expected on all"),
            _("Training"),
        ],
        table_rows=[
            [
                lab,
                formatting.number(p["rows"], 0),
                formatting.number(p["labelled_rows"], 0),
                _three_decimals((p["realised"] or {}).get(metric)),
                _three_decimals((p["expected_on_labelled"] or {}).get(metric)),
                _three_decimals(p["expected"].get(metric)),
                _three_decimals(training),
            ]
            for lab, p in zip(labels, periods, strict=True)
        ],
    )


def auc_text(value: float | None) -> str:
    return _three_decimals(value)


def calibration_rows(performance: dict[str, Any], freq: str) -> list[list[str]]:
    """Per period with outcomes: clients, mean predicted, observed default rate, gap, Brier."""
    rows = []
    for p in performance["periods"]:
        realised = p["realised"]
        if not realised:
            continue
        predicted = (p["expected_on_labelled"] or {}).get("default_rate")
        observed = realised.get("default_rate")
        gap = None if predicted is None or observed is None else predicted - observed
        rows.append(
            [
                period_label(p["period"], freq),
                formatting.number(p["labelled_rows"], 0),
                _share(predicted),
                _share(observed),
                formatting.signed(100 * gap, 1) if gap is not None else "—",
                formatting.number(realised.get("brier"), 4, trim=False),
            ]
        )
    return rows


def training_calibration_rows(training: dict[str, Any]) -> list[list[str]]:
    """The training reliability table (out of fold): per tenth of the probability."""
    rows = []
    for row in training.get("calibration") or []:
        rows.append(
            [
                f"{_share(row.get('lower'))} – {_share(row.get('upper'))}",
                formatting.number(row.get("count"), 0),
                _share(row.get("mean_predicted")),
                _share(row.get("observed_rate")),
            ]
        )
    return rows


# ---------------------------------------------------------------------------
# 5. Fairness
# ---------------------------------------------------------------------------


def fairness_approval(grouping: str, report: dict[str, Any]) -> Chart:
    """Approval rate per group with its 95% interval; not significant groups hatched."""
    rows = [r for r in report["rows"] if r["metric"] == "approval_rate"]
    ratios = {r["group"]: r for r in report["rows"] if r["metric"] == "approval_ratio"}
    groups = [group_label(r["group"]) for r in rows]
    values = [r["value"] for r in rows]
    data = [
        {
            "type": "bar",
            "x": groups,
            "y": values,
            "text": [_share(v) for v in values],
            "textposition": "outside",
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": [
                    (r["ci_high"] - r["value"]) if r["ci_high"] is not None else 0 for r in rows
                ],
                "arrayminus": [
                    (r["value"] - r["ci_low"]) if r["ci_low"] is not None else 0 for r in rows
                ],
                "color": "#333333",
            },
            "marker": {
                "color": [
                    UNFAVOURABLE if ratios.get(r["group"], {}).get("flagged") else FAVOURABLE
                    for r in rows
                ],
                "pattern": {"shape": ["" if r["significant"] else "x" for r in rows]},
            },
            "name": _("Approval rate"),
        }
    ]
    layout = _layout(
        showlegend=False,
        xaxis={"type": "category"},
        yaxis=_percent_axis(
            [r["ci_high"] for r in rows] + values, title=_("Approved by the model")
        ),
    )
    flagged = [group_label(g) for g, r in ratios.items() if r["flagged"]]
    reference = report.get("reference_group")
    caption = _(
        "%(grouping)s: the share of applications the model approved in each group, with its "
        "95%% confidence interval. Hatched bars are groups too small to conclude."
    ) % {"grouping": GROUPINGS.get(grouping, grouping)}
    if reference is not None:
        if flagged:
            caption += " " + _(
                "Below four fifths of the most approved group (%(reference)s): %(groups)s."
            ) % {"reference": group_label(reference), "groups": ", ".join(flagged)}
        else:
            caption += " " + _(
                "Every group is approved at least four fifths as often as the most approved "
                "(%(reference)s)."
            ) % {"reference": group_label(reference)}
    return Chart(spec=charts.spec(data, layout), caption=caption)


FAIRNESS_COLUMNS = (
    ("approval_rate", gettext_lazy("Approval rate")),
    ("approval_ratio", gettext_lazy("Ratio to the most approved")),
    ("good_payer_refusal_rate", gettext_lazy("Good payers refused")),
    ("default_rate_among_approved", gettext_lazy("Defaults among the approved")),
    ("mean_predicted", gettext_lazy("Predicted default rate")),
    ("observed_default_rate", gettext_lazy("Observed default rate")),
)


def fairness_table(report: dict[str, Any]) -> dict[str, Any]:
    """Head and rows (one per group) of the grouping's figures, each with its interval."""
    by_group: dict[str, dict[str, dict[str, Any]]] = {}
    for row in report["rows"]:
        by_group.setdefault(row["group"], {})[row["metric"]] = row
    metrics = [(key, name) for key, name in FAIRNESS_COLUMNS if any(
        key in cells for cells in by_group.values()
    )]  # fmt: skip
    rows = []
    for group, cells in by_group.items():
        approval = cells.get("approval_rate", {})
        line = {
            "group": group_label(group),
            "n": formatting.number(approval.get("n"), 0),
            "significant": approval.get("significant", False),
            "flagged": cells.get("approval_ratio", {}).get("flagged", False),
            "cells": [],
        }
        for key, _name in metrics:
            cell = cells.get(key)
            line["cells"].append(_fairness_cell(key, cell))
        rows.append(line)
    return {"head": [str(name) for _k, name in metrics], "rows": rows}


def _fairness_cell(key: str, cell: dict[str, Any] | None) -> dict[str, Any]:
    if cell is None or cell["value"] is None:
        return {"value": "—", "interval": "", "significant": True}
    show = (lambda v: formatting.number(v, 2, trim=False)) if key == "approval_ratio" else _share
    interval = ""
    if cell["ci_low"] is not None and cell["ci_high"] is not None:
        interval = f"{show(cell['ci_low'])} – {show(cell['ci_high'])}"
    return {
        "value": show(cell["value"]),
        "interval": interval,
        "significant": cell["significant"],
        "n": formatting.number(cell["n"], 0),
    }
