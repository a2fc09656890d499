"""The monitoring dashboard fits the screen, on a phone and on a laptop, in French and English:
every wide table scrolls inside its own box instead of pushing the page sideways."""

from __future__ import annotations

import pytest

from tests.browser.test_client_scoring import wait_for_chart
from tests.browser.test_monitoring import history  # noqa: F401  (a fixture)
from tests.dashboard import scored

pytestmark = pytest.mark.browser

portfolio_clients = scored.portfolio_clients

# The boxes that overflow, named for the failure message.
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
    && !e.closest('.table-responsive, details:not([open])'))
  .slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_no_table_of_the_dashboard_overflows_the_page(
    new_page,
    log_in,
    risk_staff,
    history,  # noqa: F811
    language,
    width,
):
    tab = new_page(width, 900)
    log_in(risk_staff, tab=tab)
    tab.goto("/monitoring/")
    # The language a visitor picks (the navbar's buttons, folded away on a phone) is this cookie.
    tab.context.add_cookies([{"name": "django_language", "value": language, "url": tab.url}])
    tab.goto("/monitoring/")
    heading = {"fr": "Surveillance du modèle", "en": "Monitoring the model"}[language]
    assert tab.locator("h1").inner_text() == heading
    wait_for_chart(tab, "fairness-age_band")
    # Every table's figures shown, as someone reading them would open them.
    for summary in tab.locator("main details > summary").all():
        summary.click()

    assert tab.locator("main table").count() >= 4
    page_width = tab.evaluate("document.documentElement.scrollWidth")
    assert page_width <= tab.evaluate("window.innerWidth"), tab.evaluate(OVERFLOWING)
    for table in tab.locator("main table").all():
        # Each table sits in a box that scrolls when it must, rather than leaving the screen.
        assert table.evaluate("t => t.closest('.table-responsive') !== null")
    if width >= 1280:
        # On a laptop the fairness tables are read whole, none of their columns scrolled away.
        for grouping in ("CODE_GENDER", "age_band"):
            box = tab.get_by_test_id(f"fairness-{grouping}").locator(".table-responsive")
            assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), grouping
