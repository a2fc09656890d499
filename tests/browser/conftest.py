"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Never `playwright install`: the browser is /usr/bin/chromium (apt), and every
request to anything but the live server is refused and recorded, so a page
that reaches for a CDN fails its test instead of hanging.
"""

from __future__ import annotations

import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test body would otherwise be refused as "async-unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every run takes the screenshots, into test-output/screenshots/ (ignored by git), so that
# running the suite changes no committed file; `make screenshots` (SCREENSHOTS_DIR=docs/screenshots)
# refreshes the committed ones that the README shows.
_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = _ROOT / os.environ.get("SCREENSHOTS_DIR", "test-output/screenshots")


def _chromium_or_skip() -> str:
    path = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if path:
        return path
    message = f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium`"
    if os.environ.get("CI"):
        pytest.fail(message)  # .ci/run installs it: its absence in CI is a real failure
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs the pages tried to fetch from anywhere but the live server."""
    return []


@pytest.fixture(scope="session")
def warm_live_server(live_server) -> str:
    """The live server, after one request: the first one loads the URLconf and whatever it
    imports (the health check pulls in LightGBM), which can take longer than a page's timeout
    on a busy machine."""
    with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=300) as response:
        response.read()
    return live_server.url


@pytest.fixture
def new_page(browser, warm_live_server, transactional_db, external_requests) -> Iterator[object]:
    """`new_page()` opens a tab in a fresh browser context (its own cookies: another visitor),
    French like a new visitor, allowed to reach the live server only; 1280 x 900 unless
    given (`new_page(360, 780)`: a phone)."""
    server = urlsplit(warm_live_server)
    contexts = []

    def only_the_live_server(route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == server.netloc:
            route.continue_()
        else:
            external_requests.append(route.request.url)
            route.abort()

    def _new_page(width: int = 1280, height: int = 900):
        context = browser.new_context(
            base_url=warm_live_server,
            locale="fr-FR",
            viewport={"width": width, "height": height},
            # Bootstrap then drops its transitions: axe measures a button's colours as they
            # are, not half-way through its hover fade (a contrast check failed on the
            # just-clicked "Simulate this change" button, one run in three).
            reduced_motion="reduce",
        )
        context.route("**/*", only_the_live_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """The test's browser tab."""
    return new_page()


@pytest.fixture
def log_in(page):
    """Log in through the real form: `log_in(user)`, or `log_in(user, tab=other_tab)`."""
    from tests.factories import DEFAULT_PASSWORD

    def _log_in(user, password: str = DEFAULT_PASSWORD, *, tab=None) -> None:
        tab = tab or page
        tab.goto("/accounts/login/")
        tab.fill("input[name=username]", user.username)
        tab.fill("input[name=password]", password)
        # The navbar's language buttons are submit buttons too: aim at the login form's.
        with tab.expect_navigation():
            tab.click("main form button[type=submit]")

    return _log_in


@pytest.fixture
def screenshot(page):
    """`screenshot("portfolio-fr")` saves SCREENSHOTS_DIR/portfolio-fr.png (full page);
    `screenshot(name, tab=other, full_page=False)`: another tab, or its first screen only."""

    def _screenshot(name: str, *, tab=None, full_page: bool = True) -> Path:
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS_DIR / f"{name}.png"
        (tab or page).screenshot(path=str(path), full_page=full_page)
        return path

    return _screenshot
