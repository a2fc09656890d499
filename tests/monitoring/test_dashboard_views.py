"""The monitoring dashboard: risk staff see it (from the admin index too); no other role does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from monitoring.models import DashboardFigures
from monitoring.tasks import dashboard_figures_scheduled
from tests.dashboard import scored

portfolio_clients = scored.portfolio_clients

URL = reverse("monitoring:dashboard")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scored_window(portfolio_clients, score_now, advisor):
    """The 12 synthetic clients scored now by the session's real model, the figures of
    the default window (the last 12 weeks, per week) computed by the scheduled task."""
    scores = [score_now(application, requested_by=advisor) for application in portfolio_clients]
    dashboard_figures_scheduled.apply().get()
    return scores


def refuse_to_compute(**kwargs):
    raise AssertionError("the page computed the figures in the request")


@pytest.fixture
def computing_forbidden(monkeypatch):
    """Any computation of the figures fails the test: the page must only read them."""
    monkeypatch.setattr("monitoring.selectors.monitoring_dashboard_compute", refuse_to_compute)
    monkeypatch.setattr(
        "monitoring.dashboard_figures.monitoring_dashboard_compute", refuse_to_compute
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_risk_staff_see_every_section_with_charts_and_tables(risk_staff, scored_window, language):
    client = signed_in(risk_staff)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    html = response.content.decode()
    for section in ("summary", "stability", "decisions", "performance", "fairness"):
        assert f'data-testid="{section}"' in html or f'data-testid="section-{section}"' in html
    for chart in ("score-distribution", "score-psi-by-period", "feature-stability", "volume",
                  "decision-rates", "mean-probability", "auc", "cost", "fairness-CODE_GENDER",
                  "fairness-age_band"):  # fmt: skip
        assert f'data-testid="chart-{chart}"' in html, chart
        assert f'id="{chart}-spec"' in html
    assert "vendor/plotly/plotly.min.js" in html
    heading = "Les scores sont-ils stables ?" if language == "fr" else "Are the scores stable?"
    assert heading in html
    # Only aggregates: no client is named on the page.
    for score in scored_window:
        assert f"/clients/{score.application_id}/" not in html


def test_the_figures_count_the_scored_applications_of_the_window(risk_staff, scored_window):
    response = signed_in(risk_staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    figures = response.context["figures"]
    assert figures["rows"] == len(scored_window)
    assert sum(r["volume"] for r in figures["stability"]) == len(scored_window)
    assert figures["score_psi"]["current_rows"] == len(scored_window)
    assert figures["feature_psi"], "the most important features are compared"


@pytest.mark.parametrize(
    "role", ["advisor", "supervisor", "client_user", "integration", "stranger"]
)
def test_every_other_role_is_refused(request, role):
    user = request.getfixturevalue(role)

    assert signed_in(user).get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_window_ending_before_it_starts_is_refused_naming_the_field(risk_staff):
    response = signed_in(risk_staff).get(
        URL, {"since": "2026-10-10", "until": "2026-10-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert 'data-testid="error-until"' in response.content.decode()
    assert "on or after its start" in response.content.decode()


def test_a_date_that_is_not_one_is_refused_naming_the_field(risk_staff):
    response = signed_in(risk_staff).get(URL, {"since": "31/02/2026"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert 'data-testid="error-since"' in response.content.decode()


def test_without_an_active_model_the_page_says_so(risk_staff):
    response = signed_in(risk_staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'data-testid="no-active-model"' in response.content.decode()


def test_an_empty_window_says_that_nothing_was_scored(risk_staff, active_model_version):
    dashboard_figures_scheduled.apply().get()

    response = signed_in(risk_staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'data-testid="no-scores"' in response.content.decode()


def test_the_admin_index_links_risk_staff_to_the_dashboard(risk_staff):
    response = signed_in(risk_staff).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()
    assert 'data-testid="admin-monitoring-dashboard"' in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_before_any_figures_exist_the_page_says_they_are_being_computed_and_asks_a_worker_once(
    risk_staff,
    active_model_version,
    portfolio_clients,
    score_now,
    advisor,
    computing_forbidden,
    django_capture_on_commit_callbacks,
    language,
):
    for application in portfolio_clients:
        score_now(application, requested_by=advisor)
    client = signed_in(risk_staff)

    with django_capture_on_commit_callbacks() as queued:
        first = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
        second = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)

    assert first.status_code == second.status_code == 200
    html = first.content.decode()
    assert 'data-testid="computing"' in html and 'data-testid="summary"' not in html
    notice = "en cours de calcul" if language == "fr" else "being computed"
    assert notice in html
    # One task for the window; reloading while it runs queues no other.
    assert len(queued) == 1
    assert DashboardFigures.objects.get().requested_at is not None


def test_the_page_shows_the_figures_the_task_stored_with_their_time_without_computing(
    risk_staff, scored_window, computing_forbidden, django_assert_max_num_queries
):
    client = signed_in(risk_staff)
    client.get(URL)  # the session and the permissions, once

    with django_assert_max_num_queries(12):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["figures"]["rows"] == len(scored_window)
    assert 'data-testid="computed-at"' in response.content.decode()
    assert not response.context["outdated"]


def test_a_new_score_keeps_the_last_figures_on_the_page_and_asks_for_newer_ones(
    risk_staff,
    active_model_version,
    portfolio_clients,
    score_now,
    advisor,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    *first, last = portfolio_clients
    for application in first:
        score_now(application, requested_by=advisor)
    dashboard_figures_scheduled.apply().get()
    score_now(last, requested_by=advisor)
    monkeypatch.setattr(
        "monitoring.dashboard_figures.monitoring_dashboard_compute", refuse_to_compute
    )

    with django_capture_on_commit_callbacks() as queued:
        response = signed_in(risk_staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["figures"]["rows"] == len(first)
    assert response.context["outdated"]
    assert "newer figures are being computed" in response.content.decode()
    assert len(queued) == 1


def test_figures_the_worker_could_not_compute_are_reported_not_retried_by_each_view(
    risk_staff, scored_window, monkeypatch, django_capture_on_commit_callbacks
):
    from ml.artifact import ArtifactError
    from monitoring.dashboard_figures import dashboard_figures_refresh

    def unreadable(**kwargs):
        raise ArtifactError("archive hash mismatch")

    monkeypatch.setattr("monitoring.dashboard_figures.monitoring_dashboard_compute", unreadable)
    dashboard_figures_refresh()

    with django_capture_on_commit_callbacks() as queued:
        response = signed_in(risk_staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert 'data-testid="model-error"' in response.content.decode()
    assert queued == []


def test_a_figure_that_is_not_a_number_is_stored_as_missing(active_model_version, monkeypatch):
    from monitoring.dashboard_figures import dashboard_figures_refresh

    def with_gaps(**kwargs):
        return {"rows": 3, "expected": {"auc": float("nan")}, "psi": [1.0, float("inf")]}

    monkeypatch.setattr("monitoring.dashboard_figures.monitoring_dashboard_compute", with_gaps)

    stored = dashboard_figures_refresh()

    assert stored.figures == {"rows": 3, "expected": {"auc": None}, "psi": [1.0, None]}


def test_the_figures_of_windows_nobody_opened_for_a_week_are_deleted_by_the_refresh(
    active_model_version, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    from monitoring.dashboard_figures import STALE_AFTER, dashboard_figures_refresh

    monkeypatch.setattr(
        "monitoring.dashboard_figures.monitoring_dashboard_compute", lambda **kwargs: {"rows": 0}
    )
    long_ago = timezone.now() - STALE_AFTER - dt.timedelta(hours=1)
    lately = timezone.now() - dt.timedelta(days=1)

    def window(day: int, **times) -> DashboardFigures:
        return DashboardFigures.objects.create(
            since=dt.date(2025, 1, day), until=dt.date(2025, 2, day), freq="W", **times
        )

    forgotten = window(1, requested_at=long_ago, computed_at=long_ago)
    asked_lately = window(2, requested_at=lately, computed_at=long_ago)
    computed_lately = window(3, requested_at=long_ago, computed_at=lately)
    just_created = window(4)

    default = dashboard_figures_refresh()

    kept = set(DashboardFigures.objects.values_list("pk", flat=True))
    assert forgotten.pk not in kept
    assert {asked_lately.pk, computed_lately.pk, just_created.pk, default.pk} <= kept
