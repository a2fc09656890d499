"""The monitoring dashboard: risk staff see it (from the admin index too); no other role does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.dashboard import scored

portfolio_clients = scored.portfolio_clients

URL = reverse("monitoring:dashboard")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scored_window(portfolio_clients, score_now, advisor):
    """The 12 synthetic clients scored now by the session's real model."""
    return [score_now(application, requested_by=advisor) for application in portfolio_clients]


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
    response = signed_in(risk_staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'data-testid="no-scores"' in response.content.decode()


def test_the_admin_index_links_risk_staff_to_the_dashboard(risk_staff):
    response = signed_in(risk_staff).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()
    assert 'data-testid="admin-monitoring-dashboard"' in response.content.decode()
