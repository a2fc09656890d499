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
    assert "Rien n’a été enregistré" in body
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


def shown_value(body: str, field: str) -> str:
    """The value the what-if form shows in `field`."""
    return html.unescape(re.search(rf'name="{field}"[^>]*value="([^"]*)"', body).group(1))


def term_row(body: str, field: str) -> str:
    """The text of one row of the simulated loan terms."""
    row = re.search(rf'data-testid="what-if-term-{field}">(.*?)</tr>', body, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())


def test_with_the_term_kept_a_lower_amount_recomputes_the_instalment(
    client, advisor, scored_client
):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    credit, annuity = scored_client.amt_credit, scored_client.amt_annuity
    term = credit / annuity
    response = client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        # The form as shown, the amount halved: the instalment still says the old one.
        {
            "amt_credit": f"{credit / 2:.0f}",
            "keep": "term",
            "amt_annuity": f"{annuity:.0f}",
            "term_months": f"{term:.1f}",
        },
        **HTMX,
    )
    body = response.content.decode()
    event = AuditEvent.objects.filter(detail__view="what_if").get()
    assert event.detail["changes"] == {"AMT_CREDIT": pytest.approx(round(credit / 2), abs=1)}
    # The instalment follows the amount (half of it), said as recomputed; the term stays.
    instalment = term_row(body, "amt_annuity")
    assert "recomputed" in instalment
    assert f"{round(round(credit / 2) / term):,}" in instalment
    assert "unchanged" in term_row(body, "term_months")
    assert "unchanged" in term_row(body, "amt_goods_price")
    # The form now shows the simulated terms, formatted and consistent with each other.
    assert shown_value(body, "amt_credit") == f"{round(credit / 2):,}"
    assert shown_value(body, "amt_annuity") == f"{round(round(credit / 2) / term):,}"
    assert (
        'value="term" checked' in body
        or re.search(r'checked[^>]*value="term"', body)
        or (re.search(r'value="term"[^>]*checked', body))
    )


def test_with_the_instalment_kept_a_lower_amount_shortens_the_term(client, advisor, scored_client):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    credit, annuity = scored_client.amt_credit, scored_client.amt_annuity
    response = client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        {
            "amt_credit": f"{credit / 2:.0f}",
            "keep": "instalment",
            "amt_annuity": f"{annuity:,.0f}",
            "term_months": "60",
        },  # the term is not read
        **HTMX,
    )
    body = response.content.decode()
    event = AuditEvent.objects.filter(detail__view="what_if").get()
    assert event.detail["changes"] == {
        "AMT_CREDIT": pytest.approx(round(credit / 2), abs=1),
        "AMT_ANNUITY": pytest.approx(annuity),
    }
    assert "recomputed" in term_row(body, "term_months")
    assert "unchanged" in term_row(body, "amt_annuity")
    assert re.search(r'value="instalment"[^>]*checked', body)


def test_the_instalment_and_the_term_are_never_both_sent(client, advisor, scored_client):
    """Each fixes the other: only the one kept is read, the other is recomputed."""
    client.force_login(advisor)
    client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        {"amt_annuity": "20000", "term_months": "36", "keep": "term"},
        **HTMX,
    )
    client.post(
        reverse("dashboard:what-if", args=[scored_client.pk]),
        {"amt_annuity": "20000", "term_months": "36", "keep": "instalment"},
        **HTMX,
    )
    changes = [
        event.detail["changes"]
        for event in AuditEvent.objects.filter(detail__view="what_if").order_by("pk")
    ]
    assert changes == [{"TERM_MONTHS": 36.0}, {"AMT_ANNUITY": 20000.0}]


def test_the_form_keeps_the_term_by_default_and_shows_consistent_values(
    client, advisor, scored_client
):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard:client", args=[scored_client.pk])).content.decode()
    assert re.search(r'value="term"[^>]*checked', page)
    assert not re.search(r'value="instalment"[^>]*checked', page)
    credit = formatting_parse(shown_value(page, "amt_credit"))
    instalment = formatting_parse(shown_value(page, "amt_annuity"))
    term = formatting_parse(shown_value(page, "term_months"))
    assert credit / instalment == pytest.approx(term, abs=0.05)
    text = html.unescape(page)
    assert "Used when the term is kept" in text and "Used when the instalment is kept" in text


def formatting_parse(text: str) -> float:
    return float(text.replace(",", ""))


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
    # The suggestion fills the what-if as the page writes numbers, the term kept.
    assert 'name="amt_credit" value="90,000"' in body
    assert 'name="term_months" value="36"' in body
    assert 'name="keep" value="term"' in body


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


def test_an_amount_is_rounded_one_way_in_every_card(client, advisor, scored_client):
    """A half rounds away from zero everywhere (formatting/, the browser's Intl, the
    charts): the instalment reads the same in the key facts and in the what-if."""
    Application.objects.filter(pk=scored_client.pk).update(amt_annuity=34_762.5)
    client.force_login(advisor)
    body = html.unescape(
        client.get(reverse("dashboard:client", args=[scored_client.pk])).content.decode()
    )
    assert "34\u202f763\u00a0€" in body  # the key facts
    assert shown_value(body, "amt_annuity") == "34\u202f763"  # the what-if form
    assert "34\u202f762" not in body


def test_one_person_asking_for_too_many_simulations_in_a_minute_is_asked_to_wait(
    client, advisor, colleague, scored_client, settings
):
    settings.SIMULATIONS_PER_MINUTE = 2
    client.force_login(advisor)
    url = reverse("dashboard:what-if", args=[scored_client.pk])
    answers = [client.post(url, {"amt_credit": "150000"}, **HTMX) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"] == "60"
    assert "Trop de simulations" in html.unescape(answers[2].content.decode())
    # The counterfactual counts against the same limit; a colleague has a limit of their own.
    counterfactual = reverse("dashboard:counterfactual", args=[scored_client.pk])
    assert client.get(counterfactual, **HTMX).status_code == 429
    Application.objects.filter(pk=scored_client.pk).update(advisor=colleague)
    client.force_login(colleague)
    assert client.post(url, {"amt_credit": "150000"}, **HTMX).status_code == 200
