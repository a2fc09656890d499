"""What-if, counterfactual and the population charts of a scored client's page."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from clients.models import Application
from scoring.models import CreditDecision, Explanation, Score

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def chart_spec(response, chart_id: str) -> dict:
    body = response.content.decode()
    match = re.search(rf'<script id="{chart_id}-spec" type="application/json">(.*?)</script>', body)
    assert match, f"no spec for {chart_id}"
    return json.loads(match.group(1))


def field_error(response, field: str) -> str:
    """The error crispy shows under `field`, tied to it by aria-describedby ("" when none)."""
    body = response.content.decode()
    match = re.search(rf'<div id="id_{field}_error"[^>]*>(.*?)</div>', body, flags=re.S)
    if not match:
        return ""
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', body)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def stored_rows() -> tuple[int, int, int]:
    return (Score.objects.count(), Explanation.objects.count(), CreditDecision.objects.count())


# -- What-if -------------------------------------------------------------------------


def test_a_much_larger_credit_changes_the_probability_and_saves_nothing(
    client, advisor, scored_client
):
    client.force_login(advisor)
    before_rows = stored_rows()
    credit = scored_client.amt_credit
    response = client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        {"amt_credit": f"{credit * 8:.0f}"},
        **HTMX,
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "<html" not in body  # the fragment htmx swaps in
    before = re.search(r'data-testid="what-if-before">(.*?)<', body).group(1)
    after = re.search(r'data-testid="what-if-after">(.*?)<', body).group(1)
    assert before != after
    assert 'data-testid="what-if-factors"' in body
    assert "Rien n'a été enregistré" in body
    # Nothing saved: no score, explanation or decision, the application unchanged.
    assert stored_rows() == before_rows
    assert Application.objects.get(pk=scored_client.pk).amt_credit == credit
    event = AuditEvent.objects.filter(detail__view="what_if").get()
    assert event.detail["changes"] == {"AMT_CREDIT": pytest.approx(credit * 8, abs=1)}


def test_french_numbers_with_spaces_and_commas_are_understood(client, advisor, scored_client):
    client.force_login(advisor)
    response = client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        {"amt_credit": "150\u202f000", "term_months": "24,5"},
        **HTMX,
    )
    assert 'data-testid="what-if-result"' in response.content.decode()
    event = AuditEvent.objects.filter(detail__view="what_if").get()
    assert event.detail["changes"] == {"AMT_CREDIT": 150_000.0, "TERM_MONTHS": 24.5}


def test_an_out_of_bounds_credit_is_shown_next_to_its_field(client, advisor, scored_client):
    client.force_login(advisor)
    url = reverse("dashboard:what-if", args=[scored_client.pk])
    response = client.post(url, {"amt_credit": "10"}, **HTMX)
    assert response.status_code == 200  # htmx swaps the form back in, with the error
    assert "doit être compris entre" in field_error(response, "amt_credit")
    assert 'data-testid="what-if-result"' not in response.content.decode()
    # Without JavaScript: the same form on a page of its own, as a 400.
    plain = client.post(url, {"amt_credit": "not a number"})
    assert plain.status_code == 400
    assert field_error(plain, "amt_credit")
    assert "<html" in plain.content.decode()
    assert not AuditEvent.objects.filter(detail__view="what_if").exists()


def test_instalment_and_term_together_are_refused_next_to_the_term(client, advisor, scored_client):
    client.force_login(advisor)
    response = client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        {"amt_annuity": "20000", "term_months": "36"},
        **HTMX,
    )
    assert "pas les deux" in field_error(response, "term_months")


def test_unchanged_values_ask_for_a_change(client, advisor, scored_client):
    client.force_login(advisor)
    page = client.get(reverse("dashboard:client", args=[scored_client.pk])).content.decode()
    # The form is pre-filled with the current values: submitting it as is changes nothing.
    prefilled = dict(
        re.findall(
            r'name="(amt_credit|amt_annuity|amt_goods_price|term_months)"'
            r'[^>]*value="([^"]*)"',
            page,
        )
    )
    assert set(prefilled) == {"amt_credit", "amt_annuity", "amt_goods_price", "term_months"}
    response = client.post(reverse("dashboard:what-if", args=[scored_client.pk]), prefilled, **HTMX)
    assert "Modifiez au moins une valeur" in html.unescape(response.content.decode())


# -- Counterfactual ----------------------------------------------------------------


def test_the_counterfactual_says_what_would_change_the_decision(client, advisor, scored_client):
    client.force_login(advisor)
    response = client.get(reverse("dashboard:counterfactual", args=[scored_client.pk]), **HTMX)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    sentence = re.search(r'data-testid="counterfactual-sentence">(.*?)</p>', body, re.S).group(1)
    if 'data-testid="counterfactual-try"' in body:
        # Found: the change, then the probability it reaches under the threshold.
        assert "La demande serait accordée" in sentence
        assert "sous le seuil de" in sentence
        # The suggestion can be run in the what-if (hidden fields of the same form).
        assert 'name="amt_credit"' in body or 'name="term_months"' in body
    else:
        assert "resterait refusée" in sentence or "déjà accordée" in sentence


def test_the_counterfactual_lists_the_other_ways_to_a_grant(
    client, advisor, application, monkeypatch
):
    """The page shows the smallest change, then the amount-only and term-only ones."""

    def found(*, application, language):
        def option(kind, reason, changes, probability):
            return {"kind": kind, "reason": reason, "changes": changes, "probability": probability}

        return {
            "status": "found",
            "threshold": 0.1,
            "reason": "Smallest change.",
            "suggestion": option(
                "smallest", "", {"AMT_CREDIT": 90000.0, "TERM_MONTHS": 36.0}, 0.09
            ),
            "alternatives": [
                option("amount_only", "Amount alone.", {"AMT_CREDIT": 60000.0}, 0.08),
                option("term_only", "Term alone.", {"TERM_MONTHS": 60.0}, 0.095),
            ],
        }

    monkeypatch.setattr("dashboard.views.what_if.counterfactual", found)
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("dashboard:counterfactual", args=[application.pk]), **HTMX)
    body = html.unescape(response.content.decode())
    items = re.search(r'data-testid="counterfactual-alternatives">(.*?)</ul>', body, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", items) == [
        "Amount alone. Probability of default 8.0%.",
        "Term alone. Probability of default 9.5%.",
    ]
    assert 'name="amt_credit" value="90000.0"' in body


# -- Population charts ------------------------------------------------------------------


def test_the_distribution_of_a_chosen_feature_marks_the_client(client, advisor, scored_client):
    client.force_login(advisor)
    url = reverse("dashboard:distribution", args=[scored_client.pk])
    response = client.get(url + "?feature=EXT_SOURCE_3", **HTMX)
    assert response.status_code == 200
    spec = chart_spec(response, "population-distribution-chart")
    assert [trace["name"] for trace in spec["data"]] == ["Remboursé", "En défaut"]
    assert spec["layout"]["shapes"][0]["type"] == "line"  # the client's value
    caption = html.unescape(response.content.decode()).split("data-testid=")[2]
    assert "des clients" in caption  # the service's sentence about the client's value
    assert AuditEvent.objects.filter(detail__view="distribution").count() == 1
    assert client.get(url + "?feature=TARGET").status_code == 400
    assert client.get(url).status_code == 400


def test_the_scatter_of_two_features_stars_the_client(client, supervisor, scored_client):
    from explanations.population import NUMERIC, comparable_features
    from scoring.population import population_reference

    client.force_login(supervisor)
    url = reverse("dashboard:bivariate", args=[scored_client.pk])
    # The model's two most important numeric features (which ones depends on the model).
    reference = population_reference(Score.objects.get(application=scored_client).model_version)
    numeric = [
        f["feature"] for f in comparable_features(reference=reference) if f["kind"] == NUMERIC
    ]
    x, y = numeric[:2]
    response = client.get(url + f"?x={x}&y={y}", **HTMX)
    assert response.status_code == 200
    traces = chart_spec(response, "population-scatter-chart")["data"]
    assert [trace["marker"]["symbol"] for trace in traces] == ["circle", "x", "star"]
    assert "Parmi les" in html.unescape(response.content.decode())
    assert client.get(url + "?x=EXT_SOURCE_3&y=CODE_GENDER").status_code == 400


def test_charts_of_an_unscored_client_are_404(client, advisor, portfolio_clients):
    client.force_login(advisor)
    url = reverse("dashboard:distribution", args=[portfolio_clients[-1].pk])
    assert client.get(url + "?feature=EXT_SOURCE_3").status_code == 404
