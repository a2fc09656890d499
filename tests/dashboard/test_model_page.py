"""The model's page (/model/): what drives the active model overall, by client fact, and its
figures; moved off the client pages (issue 9)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/model/"


def chart_spec(response, chart_id: str) -> dict:
    match = re.search(
        rf'<script id="{chart_id}-spec" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert match, f"no spec for {chart_id}"
    return json.loads(match.group(1))


def test_the_model_page_is_at_its_address():
    assert reverse("dashboard:model") == URL


@pytest.mark.parametrize("role", ["advisor", "supervisor", "risk_staff"])
def test_advisors_supervisors_and_staff_read_what_drives_the_model(
    client, request, role, active_model_version
):
    client.force_login(request.getfixturevalue(role))
    page = client.get(URL)
    body = page.content.decode()

    assert page.status_code == 200
    assert "Comment le modèle décide" in body
    assert active_model_version.version in body
    bars = chart_spec(page, "global-importance")["data"][0]
    # Client facts, not features: the labels of explanations/facts.py, in French.
    assert "Scores de crédit externes" in [label.replace("<br>", " ") for label in bars["y"]]
    assert len(bars["y"]) == 15
    assert bars["x"] == sorted(bars["x"], reverse=True)
    assert 0 < sum(bars["x"]) <= 100  # shares of the model's average effect, in %
    assert 'data-testid="model-features"' in body
    assert 'aria-current="page"' in body.split('data-testid="nav-model"')[0].rsplit("<a", 1)[1]


@pytest.mark.parametrize("role", ["client_user", "integration", "stranger"])
def test_clients_integrations_and_users_without_a_role_are_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_without_an_active_model_the_page_says_so(client, advisor):
    client.force_login(advisor)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'data-testid="no-active-model"' in page.content.decode()


def test_the_navbar_links_to_it_for_staff_only(client, advisor, client_user, application):
    client.force_login(advisor)
    assert 'data-testid="nav-model"' in client.get(reverse("dashboard:portfolio")).content.decode()
    client.force_login(client_user)
    own = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="nav-model"' not in own


def test_the_model_page_dates_the_model_in_words_on_one_line(client, advisor, active_model_version):
    from django.utils import timezone, translation

    import formatting

    client.force_login(advisor)
    body = client.get(URL).content.decode()

    with translation.override("fr"):
        registered = formatting.date(timezone.localdate(active_model_version.created_at))
    assert f"<dd>{registered}</dd>" in body  # "5 décembre 2026", no-break spaces
    assert " " not in registered
