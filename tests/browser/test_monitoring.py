"""Risk staff in a real browser: from the admin index to the monitoring dashboard, charts drawn,
the window changed, the audit trail filtered; axe-core finds no serious or critical violation.
Screenshots: monitoring-dashboard-fr, monitoring-dashboard-en, admin-index-staff-fr."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from scoring.models import Score
from tests.browser.test_client_scoring import wait_for_chart
from tests.browser.test_dashboard import axe_violations
from tests.dashboard import scored

pytestmark = pytest.mark.browser

portfolio_clients = scored.portfolio_clients

CHARTS = (
    "score-distribution",
    "score-psi-by-period",
    "feature-stability",
    "volume",
    "mean-probability",
    "decision-rates",
    "auc",
    "cost",
    "fairness-CODE_GENDER",
    "fairness-age_band",
)


@pytest.fixture
def history(portfolio_clients, score_now, advisor):
    """The 12 clients scored over the last four weeks, the outcomes of the last two unknown."""
    now = timezone.now()
    for position, application in enumerate(portfolio_clients):
        score = score_now(application, requested_by=advisor)
        when = now - dt.timedelta(days=3 + 7 * (position % 4))
        Score.objects.filter(pk=score.pk).update(created_at=when, finished_at=when)
        if position % 4 < 2:
            application.target = None
            application.save(update_fields=["target"])
    return portfolio_clients


def test_staff_open_the_dashboard_from_the_admin_index_and_read_every_chart(
    page, log_in, risk_staff, history, screenshot, external_requests
):
    log_in(risk_staff)
    page.goto("/admin/")
    screenshot("admin-index-staff-fr", full_page=False)
    page.get_by_test_id("admin-monitoring-dashboard").click()
    page.wait_for_url("**/monitoring/")

    assert page.locator("h1").inner_text() == "Surveillance du modèle"
    for chart in CHARTS:
        wait_for_chart(page, chart)
        caption = page.get_by_test_id(f"caption-{chart}").inner_text()
        assert len(caption) > 40, chart
    assert axe_violations(page) == []
    screenshot("monitoring-dashboard-fr")

    # Per day instead of per week: the same window, more periods.
    page.get_by_label("Par", exact=True).select_option("D")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**period=D**")
    wait_for_chart(page, "volume")
    daily = page.get_by_test_id("chart-volume").locator("tbody tr").count()
    assert daily >= 4

    # A window that ends before it starts is refused, naming the field; nothing is lost.
    page.get_by_label("De", exact=True).fill("2026-10-10")
    page.get_by_label("À", exact=True).fill("2026-10-01")
    page.get_by_role("button", name="Afficher").click()
    assert "même jour que son début ou après" in page.get_by_test_id("error-until").inner_text()
    assert page.get_by_label("De", exact=True).input_value() == "2026-10-10"
    assert axe_violations(page) == []

    # The drift reports, in the administration, one link away.
    page.get_by_test_id("link-drift-reports").click()
    page.wait_for_url("**/admin/monitoring/driftreport/")
    page.go_back()

    # The same page in English.
    page.get_by_test_id("language-en").click()
    page.goto("/monitoring/")
    assert page.locator("h1").inner_text() == "Monitoring the model"
    for chart in CHARTS:
        wait_for_chart(page, chart)
    screenshot("monitoring-dashboard-en")
    assert external_requests == []


def test_staff_filter_the_audit_trail_by_client(page, log_in, risk_staff, history):
    log_in(risk_staff)
    page.goto("/admin/audit/auditevent/")
    client = str(history[0].pk)

    page.get_by_test_id("filter-client").locator("input[type=text]").fill(client)
    page.get_by_test_id("filter-client").locator("input[type=submit]").click()
    page.wait_for_url(f"**client={client}**")

    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert client in text
    assert axe_violations(page) == []
