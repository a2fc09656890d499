"""Template comments stay comments: `{# … #}` ends on its own line.

Django reads `{#` only up to the end of its line; a comment spread over two
lines is printed on the page as text (it was, on the monitoring dashboard, in
both languages). Longer notes use `{% comment %}`.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_template_comment_spreads_over_two_lines():
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]

    assert open_comments == []
