"""The stored HTML report opens in a browser with no internet access (as in production)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from ml.monitoring.drift import drift_report
from tests.ml.monitoring.test_drift import applications

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Run in its own interpreter: the browser tests' session-wide Playwright (tests/browser)
# may already own this process's event loop, and Playwright's sync API refuses a second.
OPEN_OFFLINE = """
import json, sys
from playwright.sync_api import sync_playwright

executable, url = sys.argv[1], sys.argv[2]
fetched, errors = [], []
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
    )
    context = browser.new_context()

    def local_only(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("text=Drifted Columns", timeout=120_000)
    text = page.inner_text("body")
    browser.close()
print(json.dumps({"fetched": fetched, "errors": errors, "text": text}))
"""


def test_the_report_renders_offline_without_fetching_anything(tmp_path):
    executable = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if not executable:
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    report = drift_report(applications(1500, seed=0), applications(1500, seed=1, shifted=True))
    path = tmp_path / "report.html"
    path.write_text(report.html, encoding="utf-8")

    completed = subprocess.run(
        [sys.executable, "-c", OPEN_OFFLINE, executable, path.as_uri()],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert completed.returncode == 0, completed.stderr[-2000:]
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    assert seen["fetched"] == []
    assert seen["errors"] == []
    assert "Drift is detected for 25.0% of columns (2 out of 8)" in seen["text"]
    assert "AMT_CREDIT" in seen["text"]
