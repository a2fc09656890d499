"""The stored HTML report opens in a browser with no internet access (as in production)."""

import os
import shutil

import pytest

from ml.monitoring.drift import drift_report
from tests.ml.monitoring.test_drift import applications

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def test_the_report_renders_offline_without_fetching_anything(tmp_path):
    executable = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if not executable:
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    report = drift_report(applications(1500, seed=0), applications(1500, seed=1, shifted=True))
    path = tmp_path / "report.html"
    path.write_text(report.html, encoding="utf-8")
    fetched, errors = [], []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context()

            def local_only(route) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:")):
                    route.continue_()
                else:
                    fetched.append(route.request.url)
                    route.abort()

            context.route("**/*", local_only)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(path.as_uri())
            page.wait_for_selector("text=Drifted Columns", timeout=60_000)
            text = page.inner_text("body")
        finally:
            browser.close()

    assert fetched == []
    assert errors == []
    assert "Drift is detected for 25.0% of columns (2 out of 8)" in text
    assert "AMT_CREDIT" in text
