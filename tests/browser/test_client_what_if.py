"""The what-if and the counterfactual of a refused client in a real browser (issue 9): the
amount lowered with the term kept recomputes the instalment (on screen as the advisor types,
then by the model's service), and the counterfactual's "simulate" fills the what-if with
numbers written the page's way, saying every value it changes; axe-core; the screenshots
client-what-if-term-kept-fr.png and client-counterfactual-applied-fr.png."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

import formatting
from scoring.counterfactual import counterfactual
from scoring.models import Score
from scoring.registry import active_scoring_model
from scoring.what_if import scenarios_evaluate
from tests.browser.test_client_scoring import percent_of
from tests.browser.test_dashboard import axe_violations
from tests.dashboard import scored

pytestmark = pytest.mark.browser

portfolio_clients = scored.portfolio_clients

# A number as French writes it: groups of three digits split by a narrow no-break space,
# at most a decimal comma; never "463800.0".
FRENCH_NUMBER = re.compile(r"^\d{1,3}(\u202f\d{3})*(,\d+)?$")


def french(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


@pytest.fixture
def refusal_with_a_way_out(portfolio_clients, score_now, advisor, monkeypatch):
    """A synthetic client the model refuses and a smaller loan would turn.

    The session's model is small and barely reacts to the amounts: for this test only, its
    threshold moves between a client's probability and that of the same loan 10-50 % smaller
    (goods price alike, as the counterfactual does), so that a way out exists.
    """
    _, model = active_scoring_model()
    factors = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
    for application in portfolio_clients:
        scenarios = [
            {"AMT_CREDIT": application.amt_credit * factor}
            | (
                {"AMT_GOODS_PRICE": application.amt_goods_price * factor}
                if application.amt_goods_price
                else {}
            )
            for factor in factors
        ]
        current, *smaller = (
            row["probability"]
            for row in scenarios_evaluate(application=application, scenarios=scenarios)
        )
        if current - min(smaller) > 0.004:
            monkeypatch.setattr(model, "threshold", (current + min(smaller)) / 2)
            score = score_now(application, requested_by=advisor, channel=Score.Channel.DASHBOARD)
            assert score.decision == "refused"
            assert counterfactual(application=application)["suggestion"] is not None
            return application
    pytest.fail("no synthetic client is less risky with a smaller loan")


def open_the_what_if(page) -> None:
    page.get_by_test_id("section-what-if").locator(":scope > summary").click()
    page.get_by_test_id("what-if-form").wait_for(state="visible")


def test_a_lower_amount_with_the_term_kept_recomputes_the_instalment_then_the_counterfactual(
    page, log_in, advisor, refusal_with_a_way_out, screenshot, external_requests
):
    application = refusal_with_a_way_out
    log_in(advisor)
    page.goto(f"/clients/{application.pk}/")
    open_the_what_if(page)
    form = page.get_by_test_id("what-if-form")
    credit = form.get_by_label("Montant du crédit", exact=True)
    term = form.get_by_label("Durée (mois)")
    instalment = form.get_by_label("Échéance mensuelle")

    # The term is kept by default; the instalment, which follows it, cannot be typed into.
    assert form.get_by_label("la durée : l’échéance est recalculée").is_checked()
    assert instalment.get_attribute("readonly") is not None
    assert term.get_attribute("readonly") is None
    shown_term = term.input_value()
    for field in (credit, term, instalment):
        assert FRENCH_NUMBER.match(field.input_value()), field.input_value()
    # The values shown agree: instalment x term = credit (the term shown to a tenth).
    assert french(credit.input_value()) / french(instalment.input_value()) == pytest.approx(
        french(shown_term), abs=0.05
    )

    # Half the amount: the instalment halves as the advisor types, the term stays.
    half = round(application.amt_credit / 2)
    with translation.override("fr"):
        typed = formatting.number(half, 0)
    credit.fill(typed)
    expected = half / (application.amt_credit / application.amt_annuity)
    assert french(instalment.input_value()) == pytest.approx(expected, rel=0.01)
    assert term.input_value() == shown_term

    page.get_by_test_id("what-if-submit").click()
    result = page.get_by_test_id("what-if-result")
    result.wait_for()
    instalment_row = result.get_by_test_id("what-if-term-amt_annuity").inner_text()
    assert "recalculé" in instalment_row
    with translation.override("fr"):
        assert formatting.money(half / (application.amt_credit / application.amt_annuity)) in (
            instalment_row
        )
    assert "inchangé" in result.get_by_test_id("what-if-term-term_months").inner_text()
    assert "inchangé" in result.get_by_test_id("what-if-term-amt_goods_price").inner_text()
    # The form now shows what was simulated, written the French way, the term still kept.
    form = page.get_by_test_id("what-if-form")
    assert form.get_by_label("Montant du crédit", exact=True).input_value() == typed
    assert form.get_by_label("Durée (mois)").input_value() == shown_term
    assert form.get_by_label("la durée : l’échéance est recalculée").is_checked()
    assert percent_of(result.get_by_test_id("what-if-after").inner_text()) >= 0
    assert axe_violations(page) == []
    screenshot("client-what-if-term-kept-fr")

    # The counterfactual, applied: formatted values, and every value it changes said.
    sentence = page.get_by_test_id("counterfactual-sentence")
    sentence.wait_for()
    said = sentence.inner_text()
    assert "La demande serait accordée" in said
    page.get_by_test_id("counterfactual-try").click()
    page.get_by_test_id("what-if-term-amt_credit").wait_for()
    page.wait_for_function("() => true")  # the swap has settled
    result = page.get_by_test_id("what-if-result")
    form = page.get_by_test_id("what-if-form")
    for label in ("Montant du crédit", "Durée (mois)", "Échéance mensuelle", "Prix du bien"):
        value = form.get_by_label(label, exact=True).input_value()
        assert FRENCH_NUMBER.match(value), (label, value)
    goods_row = result.get_by_test_id("what-if-term-amt_goods_price").inner_text()
    if "inchangé" not in goods_row:
        # The goods price moved with the amount: the sentence said so, with both prices.
        assert "Cela suppose un bien moins cher" in said
        with translation.override("fr"):
            assert formatting.money(application.amt_goods_price) in said
    # The suggestion is granted when simulated: the decision changes.
    # After "la décision", the outcome is a noun ("refusé" would have to agree).
    assert "La décision changerait : refus → accord." in " ".join(
        result.get_by_test_id("what-if-sentence").inner_text().split()
    )
    assert axe_violations(page) == []
    screenshot("client-counterfactual-applied-fr")

    # The other choice: the instalment kept, the term follows the amount.
    form = page.get_by_test_id("what-if-form")
    form.get_by_label("l’échéance : la durée est recalculée").check()
    term = form.get_by_label("Durée (mois)")
    instalment = form.get_by_label("Échéance mensuelle")
    assert term.get_attribute("readonly") is not None
    assert instalment.get_attribute("readonly") is None
    kept = french(instalment.input_value())
    with translation.override("fr"):
        form.get_by_label("Montant du crédit", exact=True).fill(formatting.number(kept * 12, 0))
    assert french(term.input_value()) == pytest.approx(12, abs=0.05)
    page.get_by_test_id("what-if-submit").click()
    page.get_by_test_id("what-if-term-term_months").get_by_text("recalculé").wait_for()
    result = page.get_by_test_id("what-if-result")
    # The instalment is the one kept, as typed: sent, not recomputed.
    assert "recalculé" not in result.get_by_test_id("what-if-term-amt_annuity").inner_text()
    assert "12\u00a0mois" in result.get_by_test_id("what-if-term-term_months").inner_text()
    assert external_requests == []
