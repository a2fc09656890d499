"""Front-end assets are served by the project itself: no CDN, plotly from the plotly package."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
STATIC_DIR = Path(settings.BASE_DIR) / "static"


def test_no_template_loads_anything_from_another_site():
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES_DIR))
        for path in TEMPLATES_DIR.rglob("*.html")
        if external.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_our_css_and_js_import_nothing_from_another_site():
    for path in [*STATIC_DIR.glob("css/*.css"), *STATIC_DIR.glob("js/*.js")]:
        assert not re.search(r"(?:url\(|import\s).{0,5}(?:https?:)?//", path.read_text()), path


def test_vendored_libraries_are_found_with_their_licenses():
    for path in [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/bootstrap/LICENSE",
        "vendor/htmx/htmx.min.js",
        "vendor/htmx/LICENSE",
    ]:
        assert finders.find(path), path


def test_plotly_is_served_from_the_installed_package_not_from_the_repository():
    found = finders.find("vendor/plotly/plotly.min.js")
    assert found and "site-packages" in found.replace("\\", "/")
    assert not (STATIC_DIR / "vendor" / "plotly").exists()


def test_plotly_finder_lists_only_plotly_js_for_collectstatic():
    from clients.finders import PlotlyFinder

    listed = [(path, storage.prefix) for path, storage in PlotlyFinder().list([])]
    assert listed == [("plotly.min.js", "vendor/plotly")]


def test_plotly_finder_reports_no_problem_when_plotly_is_installed():
    from clients.finders import PlotlyFinder

    assert PlotlyFinder().check() == []
