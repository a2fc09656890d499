"""What every chart of the site shares: the `Chart` a template draws, its palette, its look.

The advisors' pages (`dashboard.charts`) and the risk staff's monitoring
(`monitoring.views_charts`) both hand `templates/partials/chart.html` a Plotly
spec, a caption and a data table, drawn by static/js/charts.js under the
Content-Security-Policy. User interfaces may not import each other, so what
they share lives here, in a layer of its own just below them and above the
domain (pyproject.toml's import-linter contract): it imports only `formatting`.
Not in `formatting`, which turns one value into text and knows nothing of
figures; not in `explanations`, which says why a client scored as they did,
while the monitoring charts are about the model's population, not one client.
What each page draws (its traces, axes and sentences) stays with that page.

Colours are the CSS custom properties of static/css/dashboard.css: charts.js
resolves them, so the Okabe-Ito palette is defined in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import formatting

FAVOURABLE = "var(--cs-favourable)"  # lowers the risk / repaid / granted / stable
UNFAVOURABLE = "var(--cs-unfavourable)"  # raises the risk / defaulted / refused / shifted
NEUTRAL = "var(--cs-neutral)"
THRESHOLD = "var(--cs-threshold)"
FAVOURABLE_FILL = "var(--cs-favourable-fill)"
UNFAVOURABLE_FILL = "var(--cs-unfavourable-fill)"

WHITE = "#ffffff"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


@dataclass
class Chart:
    """A Plotly figure, its caption (a sentence from the data) and its data table."""

    spec: dict[str, Any]
    caption: str
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


def layout(*, margin: dict[str, int], **settings: Any) -> dict[str, Any]:
    """A Plotly layout in the site's look: the page language's decimal and thousands
    separators, white background, the page's font; `margin` and `settings` are the chart's."""
    return {
        "separators": formatting.decimal_sign() + formatting.group_sign(),
        "margin": margin,
        "paper_bgcolor": WHITE,
        "plot_bgcolor": WHITE,
        # A fresh dict per figure: a caller may change its own without changing the others'.
        "font": dict(FONT),
        **settings,
    }


def spec(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """The figure as charts.js takes it."""
    # No mode bar: its icons are unlabelled buttons for screen readers, and the
    # data table under each chart gives the exact numbers anyway.
    return {
        "data": data,
        "layout": layout,
        "config": {"displayModeBar": False, "responsive": True},
    }


def wrap(text: str, width: int) -> str:
    """`text` on lines of at most `width` characters, broken between words ("<br>" for
    Plotly), never cut; a single word longer than `width` keeps its own line."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines) or text
