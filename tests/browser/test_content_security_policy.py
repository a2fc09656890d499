"""The Content-Security-Policy in a real browser: every page works under it and Chromium
reports no violation, charts (Plotly) and htmx swaps included.

Violations are collected two ways: the `securitypolicyviolation` events of each document
(a listener Playwright adds before any script of the page runs) and the console messages
Chromium writes for a refused script, style or image.
"""

from __future__ import annotations

import pytest

from tests.browser.test_client_scoring import wait_for_chart
from tests.dashboard import scored

pytestmark = pytest.mark.browser

portfolio_clients = scored.portfolio_clients
scored_client = scored.scored_client

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample || ""}`
  );
});
"""


class Violations(list):
    """The CSP violations a tab met; `collect()` reads those of the current document."""

    def __init__(self, tab) -> None:
        super().__init__()
        self.tab = tab
        tab.add_init_script(RECORD_VIOLATIONS)
        tab.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.append(f"console: {message.text}")

    def collect(self) -> None:
        self.extend(self.tab.evaluate("window.__cspViolations || []"))
        self.tab.evaluate("window.__cspViolations = []")


@pytest.fixture
def violations(page) -> Violations:
    return Violations(page)


def test_the_client_page_draws_its_charts_and_swaps_under_the_policy_without_violation(
    page, log_in, advisor, scored_client, violations
):
    log_in(advisor)
    violations.collect()
    page.goto(f"/clients/{scored_client.pk}/")
    wait_for_chart(page, "decision-gauge")
    # The other charts are in sections folded until opened, and drawn then.
    for section, charts in (
        ("section-explanation", ("explanation-waterfall",)),
        ("section-population", ("population-distribution-chart", "population-scatter-chart")),
        ("section-what-if", ()),
    ):
        page.get_by_test_id(section).locator(":scope > summary").click()
        for chart in charts:
            wait_for_chart(page, chart)
    violations.collect()
    # The model page: the global importance, by client fact.
    page.goto("/model/")
    page.locator("[data-chart] .main-svg").first.wait_for(state="visible")
    violations.collect()
    page.goto(f"/clients/{scored_client.pk}/")
    page.get_by_test_id("section-population").locator(":scope > summary").click()
    page.get_by_test_id("section-what-if").locator(":scope > summary").click()

    # htmx swaps: another feature for the population charts, then a what-if.
    feature = page.locator("#population-distribution").locator("xpath=..").locator("select")
    if feature.count():
        options = feature.first.locator("option").all()
        if len(options) > 1:
            feature.first.select_option(options[1].get_attribute("value"))
            page.wait_for_timeout(500)
            wait_for_chart(page, "population-distribution-chart")
    credit = page.get_by_label("Montant du crédit", exact=True)
    credit.fill(f"{scored_client.amt_credit * 2:.0f}")
    page.get_by_test_id("what-if-submit").click()
    page.get_by_test_id("what-if-result").wait_for()
    violations.collect()

    assert violations == []


def test_the_other_pages_run_under_the_policy_without_violation(
    page, log_in, advisor, risk_staff, violations, new_page
):
    page.goto("/accounts/login/")
    violations.collect()
    log_in(advisor)
    page.get_by_label("Rechercher", exact=True).fill("2000")  # an htmx search
    page.wait_for_timeout(800)
    violations.collect()
    page.goto("/no/such/page/")
    violations.collect()
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info").first.wait_for()
    violations.collect()
    page.goto("/accounts/two-factor/")
    page.get_by_test_id("qr-code").locator("svg").wait_for()
    violations.collect()

    staff_tab = new_page()
    staff_violations = Violations(staff_tab)
    log_in(risk_staff, tab=staff_tab)
    staff_tab.goto("/admin/")
    staff_tab.locator("#content").wait_for()
    staff_violations.collect()

    assert violations == []
    assert staff_violations == []
