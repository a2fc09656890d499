"""The monitoring pages of the admin site: staff read, run and acknowledge; no one else gets in."""

from __future__ import annotations

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.alerts import alerts_check
from monitoring.models import Alert, DriftReport

pytestmark = pytest.mark.django_db

EVIDENTLY_LIKE = (
    "<!doctype html><html><body><script>window.parent.document.title='x'</script></body></html>"
)


@pytest.fixture
def done_report(active_model_version):
    summary = {
        "rows": {"reference": 1500, "current": 1200},
        "columns_compared": 3,
        "drifted_columns": 1,
        "drift_share": 1 / 3,
        "drift_share_limit": 0.3,
        "dataset_drift": True,
        "columns": [
            {"column": "AMT_CREDIT", "drifted": True, "drift_score": 0.41, "threshold": 0.1,
             "method": "Wasserstein distance (normed)", "score_kind": "distance",
             "importance": 0.12, "importance_rank": 3},
            {"column": "EXT_SOURCE_2", "drifted": False, "drift_score": 0.02, "threshold": 0.1,
             "method": "Wasserstein distance (normed)", "score_kind": "distance",
             "importance": 0.3, "importance_rank": 1},
        ],
        "not_comparable": [{"column": "BURO_COUNT", "reason": "all_missing_in_current"}],
    }  # fmt: skip
    return DriftReport.objects.create(
        status=DriftReport.Status.DONE,
        source=DriftReport.Source.FILE,
        trigger=DriftReport.Trigger.COMMAND,
        current_file_name="application_test.csv",
        model_version=active_model_version,
        summary=summary,
        rows_reference=1500,
        rows_current=1200,
        columns_compared=3,
        drifted_columns=1,
        drift_share=1 / 3,
        dataset_drift=True,
        html_gzip=gzip.compress(EVIDENTLY_LIKE.encode()),
        html_size=len(EVIDENTLY_LIKE),
    )


@pytest.fixture
def open_alert(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = alerts_check(figures={"score_psi": 0.31})
    return alert


def pages(report: DriftReport, alert: Alert) -> list[str]:
    return [
        "/admin/",
        "/admin/monitoring/",
        "/admin/monitoring/driftreport/",
        f"/admin/monitoring/driftreport/{report.pk}/change/",
        f"/admin/monitoring/driftreport/{report.pk}/report/",
        "/admin/monitoring/driftreport/run/",
        "/admin/monitoring/alert/",
        f"/admin/monitoring/alert/{alert.pk}/change/",
        f"/admin/monitoring/alert/{alert.pk}/acknowledge/",
        "/admin/monitoring/alertlimits/1/change/",
        "/admin/django_celery_beat/periodictask/",
    ]


def test_every_monitoring_page_renders_for_staff(staff_browser, done_report, open_alert):
    for url in pages(done_report, open_alert):
        response = staff_browser.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "role", ["advisor", "supervisor", "client_user", "integration", "stranger"]
)
def test_every_other_role_is_refused(client, request, role, done_report, open_alert):
    client.force_login(request.getfixturevalue(role))

    for url in pages(done_report, open_alert):
        response = client.get(url)
        # Not staff: the admin site sends them to its login page and shows nothing (a
        # client's session is refused outright everywhere but the portal).
        if role == "client_user":
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_a_staff_account_without_the_monitoring_permissions_is_refused(
    client, done_report, open_alert
):
    from tests.factories import UserFactory

    clerk = UserFactory(username="staff-without-role", is_staff=True)
    client.force_login(clerk)

    for url in pages(done_report, open_alert)[2:-1]:
        assert client.get(url).status_code == 403, url


def test_the_report_page_shows_the_drift_that_matters_and_frames_the_report_sandboxed(
    staff_browser, done_report
):
    page = staff_browser.get(f"/admin/monitoring/driftreport/{done_report.pk}/change/")
    html = page.content.decode()

    # Only the drifted feature is ranked, with its rank in the model and its drift score.
    assert "AMT_CREDIT" in html and "0,4100" in html
    assert "EXT_SOURCE_2</code>" not in html
    frame = html[html.index("<iframe") : html.index("</iframe>")]
    assert 'sandbox="allow-scripts"' in frame and "allow-same-origin" not in frame
    assert f"/admin/monitoring/driftreport/{done_report.pk}/report/" in frame


def test_the_report_itself_is_served_with_its_own_sandboxing_policy(staff_browser, done_report):
    response = staff_browser.get(f"/admin/monitoring/driftreport/{done_report.pk}/report/")

    assert response.content.decode() == EVIDENTLY_LIKE
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts;") and "allow-same-origin" not in policy
    assert "connect-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]


def test_the_admin_pages_keep_the_sites_own_policy(staff_browser, done_report):
    response = staff_browser.get(f"/admin/monitoring/driftreport/{done_report.pk}/change/")

    assert "sandbox" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_staff_run_a_report_of_a_file_from_the_admin(
    staff_browser, risk_staff, active_model_version, shifted_applications_csv,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    upload = SimpleUploadedFile("application_test.csv", shifted_applications_csv.read_bytes())

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_browser.post(
            "/admin/monitoring/driftreport/run/", {"current_file": upload}
        )

    report = DriftReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:monitoring_driftreport_change", args=[report.pk])
    assert len(queued) == 1  # the worker's task, queued once the request commits
    assert report.status == DriftReport.Status.PENDING
    assert (report.trigger, report.requested_by) == (DriftReport.Trigger.ADMIN, risk_staff)
    assert report.current_file_name == "application_test.csv"


def test_a_run_with_a_reversed_period_is_refused_naming_the_field(
    staff_browser, active_model_version
):
    response = staff_browser.post(
        "/admin/monitoring/driftreport/run/", {"since": "2026-03-10", "until": "2026-03-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["until"]
    assert not DriftReport.objects.exists()


def test_staff_acknowledge_an_alert_with_a_comment(staff_browser, risk_staff, open_alert):
    url = f"/admin/monitoring/alert/{open_alert.pk}/acknowledge/"

    refused = staff_browser.post(url, {"comment": ""})
    accepted = staff_browser.post(url, {"comment": "Partner campaign; checked with sales."})

    assert refused.status_code == 200 and refused.context["form"].errors["comment"]
    assert accepted.status_code == 302
    open_alert.refresh_from_db()
    assert open_alert.status == Alert.Status.ACKNOWLEDGED
    assert open_alert.acknowledged_by == risk_staff


def test_open_alerts_are_listed_first(
    staff_browser, risk_staff, open_alert, django_capture_on_commit_callbacks
):
    from monitoring.alerts import alert_acknowledge

    alert_acknowledge(alert_id=open_alert.pk, user=risk_staff, comment="Seen.")
    with django_capture_on_commit_callbacks(execute=True):
        (newer_closed,) = alerts_check(figures={"drift_share": 0.5})
    alert_acknowledge(alert_id=newer_closed.pk, user=risk_staff, comment="Seen too.")
    with django_capture_on_commit_callbacks(execute=True):
        (still_open,) = alerts_check(figures={"fairness_ratios": {"CODE_GENDER=F": 0.5}})

    listing = staff_browser.get("/admin/monitoring/alert/")

    shown = list(listing.context["cl"].result_list)
    assert shown[0] == still_open


def test_staff_change_the_alert_limits(staff_browser, risk_staff):
    response = staff_browser.post(
        "/admin/monitoring/alertlimits/1/change/",
        {"drift_share": "0.4", "score_psi": "0.2", "fairness_ratio": "0.8", "auc_gap": "0.05"},
    )

    from monitoring.alerts import alert_limits_get

    limits = alert_limits_get()
    assert response.status_code == 302
    assert (limits.drift_share, limits.score_psi, limits.updated_by) == (0.4, 0.2, risk_staff)


def test_a_limit_out_of_range_is_refused(staff_browser):
    response = staff_browser.post(
        "/admin/monitoring/alertlimits/1/change/",
        {"drift_share": "1.5", "score_psi": "0.2", "fairness_ratio": "0.8", "auc_gap": "0.05"},
    )

    assert response.status_code == 200
    assert "drift_share" in response.context["adminform"].form.errors


def test_the_admin_index_lists_open_alerts_until_they_are_acknowledged(
    staff_browser, risk_staff, open_alert
):
    from monitoring.alerts import alert_acknowledge

    shown = staff_browser.get("/admin/").content.decode()
    alert_acknowledge(alert_id=open_alert.pk, user=risk_staff, comment="Seasonal.")
    after = staff_browser.get("/admin/").content.decode()

    assert "1 alerte ouverte" in shown and "indice de stabilité de la population 0,31" in shown
    assert 'data-testid="admin-open-alerts"' not in after
