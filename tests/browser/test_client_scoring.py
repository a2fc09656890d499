"""The scoring sections of a client's page in a real browser: Score now, the charts Plotly
draws, a what-if, an override, the language switch, axe-core, and the screenshots of a
scored client with its what-if open (docs/screenshots/client-what-if-fr.png, -en.png; the
first screen's are test_client_explanation.py's)."""

from __future__ import annotations

import re

import pytest

from scoring.models import CreditDecision, Score
from tests.browser.test_dashboard import axe_violations
from tests.dashboard import scored

pytestmark = pytest.mark.browser

# The scored synthetic clients of tests/dashboard (the session's trained model).
portfolio_clients = scored.portfolio_clients
scored_client = scored.scored_client


def percent_of(text: str) -> float:
    """ "12,3 %" or "12.3%" -> 12.3."""
    return float(re.sub(r"[^\d,.]", "", text).replace(",", "."))


def wait_for_chart(page, chart_id: str) -> None:
    """Plotly drew the chart: its SVG is visible and charts.js marked it drawn."""
    page.locator(f"#{chart_id} .main-svg").first.wait_for(state="visible")
    page.locator(f'#{chart_id}[data-drawn="true"]').wait_for()


def test_advisor_scores_a_client_reads_the_charts_and_simulates_another_amount(
    page, log_in, advisor, portfolio_clients, screenshot, external_requests
):
    application = portfolio_clients[0]
    log_in(advisor)
    page.goto(f"/clients/{application.pk}/")
    assert "Pas encore évalué" in page.get_by_test_id("decision-card").inner_text()

    # Score now: htmx asks for the score; once it is done the page reloads with the result.
    with page.expect_navigation():
        page.get_by_test_id("score-now").click()
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
    score = Score.objects.get(application=application)
    card = page.get_by_test_id("decision-card").inner_text()
    assert "Probabilité de défaut" in card and "seuil" in card
    assert score.model_version.version in card
    # The counterfactual arrives by itself when the model refuses.
    if score.decision == "refused":
        page.get_by_test_id("counterfactual-sentence").wait_for()
    assert axe_violations(page) == []
    screenshot("client-what-if-fr")

    # What if the client borrowed eight times as much?
    before = percent_of(page.locator("#decision-gauge text.number").text_content())
    credit = page.get_by_label("Montant du crédit", exact=True)
    credit.fill(f"{application.amt_credit * 8:.0f}")
    page.get_by_test_id("what-if-submit").click()
    result = page.get_by_test_id("what-if-result")
    result.wait_for()
    shown_before = percent_of(result.get_by_test_id("what-if-before").inner_text())
    shown_after = percent_of(result.get_by_test_id("what-if-after").inner_text())
    assert shown_before == pytest.approx(100 * score.probability, abs=0.06)
    assert shown_after != shown_before
    assert before == pytest.approx(shown_before, abs=0.06)
    assert page.locator("#what-if-announcer").inner_text() != ""  # said to screen readers
    assert Score.objects.count() == 1  # nothing saved
    assert axe_violations(page) == []

    # An invalid amount is refused next to its field.
    credit.fill("10")
    page.get_by_test_id("what-if-submit").click()
    page.locator("#id_amt_credit_error").wait_for()
    assert "doit être compris entre" in page.locator("#id_amt_credit_error").inner_text()

    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    wait_for_chart(page, "decision-gauge")
    assert "Probability of default" in page.get_by_test_id("decision-card").inner_text()
    assert "What raises the risk" in page.get_by_test_id("why-card").inner_text()
    page.get_by_test_id("section-what-if").locator(":scope > summary").click()
    if score.decision == "refused":
        page.get_by_test_id("counterfactual-sentence").wait_for()
    screenshot("client-what-if-en")
    assert external_requests == []


def test_advisor_overrides_the_model_only_with_a_justification(
    page, log_in, advisor, scored_client, screenshot
):
    score = Score.objects.get(application=scored_client)
    other = "Accorder le crédit" if score.decision == "refused" else "Refuser le crédit"
    log_in(advisor)
    page.goto(f"/clients/{scored_client.pk}/#final-decision-heading")
    # The address opened the folded section it points into.
    page.get_by_test_id("decision-form").wait_for(state="visible")
    page.get_by_test_id("section-explanation").locator(":scope > summary").click()
    wait_for_chart(page, "explanation-waterfall")

    # Fewer facts in the waterfall, chosen with the keyboard: 5, and any fact given as a
    # reason beyond them (3 per direction at most), between the start and the end.
    with page.expect_response("**/explanation?top=5"):
        page.get_by_test_id("explanation-top").select_option("5")
    # Polled from here: the Content-Security-Policy refuses the eval a string predicate of
    # page.wait_for_function would need in the page.
    ticks = page.locator("#explanation-waterfall .ytick")
    for _ in range(100):
        if 5 + 3 <= ticks.count() <= 5 + 6 + 3:
            break
        page.wait_for_timeout(100)
    assert 5 + 3 <= ticks.count() <= 5 + 6 + 3

    # The rule is said before typing.
    form = page.get_by_test_id("decision-form")
    assert "au moins 5 mots différents" in page.locator("#div_id_justification").inner_text()
    form.get_by_label(other).check()
    form.get_by_label("Justification").fill("....................")
    url = page.url
    form.get_by_test_id("decision-submit").click()
    # Refused in place (htmx swaps the section): the same page, the choice kept.
    page.get_by_test_id("decision-errors").wait_for()
    assert page.url == url
    assert (
        "La décision n’a pas été enregistrée" in page.get_by_test_id("decision-errors").inner_text()
    )
    assert "diffère de celle du modèle" in page.locator("#div_id_justification").inner_text()
    assert page.get_by_test_id("decision-form").get_by_label(other).is_checked()
    assert not CreditDecision.objects.exists()
    assert axe_violations(page) == []

    form = page.get_by_test_id("decision-form")
    form.get_by_label("Justification").fill("Permanent contract signed last week, payslips seen.")
    form.get_by_test_id("decision-submit").click()
    page.get_by_test_id("decision-recorded").wait_for()
    assert page.url == url
    history = page.get_by_test_id("decision-history").inner_text()
    assert "dérogation" in history and "Permanent contract" in history
    decision = CreditDecision.objects.get()
    assert decision.is_override and decision.decided_by == advisor
    # After saving, the form keeps the outcome recorded, which the section states.
    assert page.get_by_test_id("decision-form").get_by_label(other).is_checked()
    assert "Décision en vigueur" in page.get_by_test_id("decision-current").inner_text()
    # Reloading the page is harmless (no form re-posted, never a 405).
    page.reload()
    assert page.get_by_test_id("decision-current").is_visible()
    screenshot("client-decision-recorded-fr")
