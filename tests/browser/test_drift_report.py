"""Risk staff in a real browser open a drift report in the admin site: the drifted features
ranked by importance, Evidently's report drawn in its sandboxed frame, whose script cannot
reach the admin page; axe-core finds no serious or critical violation.
Screenshot: drift-report-fr."""

from __future__ import annotations

import pytest
from django.core.files.base import File

from monitoring.drift import drift_report_create, drift_report_run
from monitoring.models import DriftReport
from tests.browser.test_dashboard import axe_violations
from tests.monitoring.conftest import COMPARED, write_applications

pytestmark = pytest.mark.browser


@pytest.fixture
def drift_report(active_model_version, tmp_path):
    path = write_applications(tmp_path / "application_new.csv", rows=1200, seed=99, shifted=True)
    with open(path, "rb") as handle:
        report = drift_report_create(
            trigger=DriftReport.Trigger.ADMIN,
            current_file=File(handle, name=path.name),
            columns=COMPARED,
            queue=False,
        )
    report = drift_report_run(report_id=str(report.pk))
    assert report.status == DriftReport.Status.DONE, report.error
    return report


def test_staff_open_a_drift_report_drawn_in_a_sandboxed_frame(
    page, log_in, risk_staff, drift_report, screenshot, external_requests
):
    log_in(risk_staff)
    page.goto("/admin/monitoring/driftreport/")
    page.get_by_role("link", name="fichier application_new.csv").click()
    page.wait_for_url(f"**/{drift_report.pk}/change/")

    ranked = page.locator("table.drift-report-columns tbody tr")
    assert ranked.count() == 2
    assert "AMT_CREDIT" in ranked.nth(0).inner_text() + ranked.nth(1).inner_text()

    frame_element = page.locator("iframe.drift-report-frame")
    assert frame_element.get_attribute("sandbox") == "allow-scripts"
    frame = page.frame_locator("iframe.drift-report-frame")
    # Evidently's own page draws itself with its script (its bundle is inline).
    frame.locator("body *").first.wait_for(timeout=30_000)
    frame_page = next(f for f in page.frames if f.url.endswith("/report/"))
    frame_page.wait_for_function("document.body.innerText.length > 200", timeout=30_000)
    assert "AMT_CREDIT" in frame_page.evaluate("document.body.innerText")
    # Its script runs in an opaque origin: the admin page and its cookies are out of reach.
    assert frame_page.evaluate("window.origin") == "null"
    reach = frame_page.evaluate(
        "() => { try { return window.parent.document.title } catch (e) { return 'refused' } }"
    )
    assert reach == "refused"
    assert frame_page.evaluate(
        "() => { try { return document.cookie } catch (e) { return 'refused' } }"
    ) in ("", "refused")

    assert axe_violations(page) == []
    assert external_requests == []
    screenshot("drift-report-fr")
