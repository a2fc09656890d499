"""A human review in a real browser: the client asks (with a corrected income), the advisor finds
it in the queue, takes it up, corrects the record and answers; the client reads the answer.
axe-core on every page on the way; screenshots for the README."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_dashboard import axe_violations
from tests.browser.values import figures_split_across_lines

pytestmark = pytest.mark.browser


@pytest.fixture
def refused(application, advisor):
    """The client's application, refused by a person (what a client would contest)."""
    from scoring.decisions import credit_decision_record

    credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="refused",
        justification="Refused on the payslips: the instalment is too high for the income.",
    )
    return application


def test_a_client_asks_for_a_review_the_advisor_corrects_and_answers_the_client_reads_it(
    page, new_page, log_in, client_user, advisor, refused, screenshot, external_requests
):
    from clients.models import Application
    from scoring.models import ReviewRequest

    problems: dict[str, list[str]] = {}

    # -- the client asks ----------------------------------------------------------------------
    log_in(client_user)
    page.get_by_test_id("portal-nav-review").first.click()
    page.wait_for_url("**/portal/review/")
    expect(page.get_by_test_id("no-review")).to_be_visible()
    problems["client: no request yet"] = axe_violations(page)
    page.get_by_test_id("ask-review").click()
    page.wait_for_url("**/portal/review/new/")
    expect(page.get_by_text("Nous avons : 202 500 €. Laissez vide si c’est exact.")).to_be_visible()
    problems["client: the form"] = axe_violations(page)
    page.get_by_label("Pourquoi une personne devrait-elle réexaminer votre demande ?").fill(
        "Mon revenu a augmenté en mars : je gagne 42 000 € par an, pas 202 500 €."
    )
    page.get_by_label("Revenu annuel").fill("42 000")
    screenshot("review-request-form-fr")
    with page.expect_navigation():
        page.get_by_test_id("review-request-submit").click()

    expect(page.get_by_test_id("review-current-step")).to_have_text(re.compile("Reçue"))
    expect(page.get_by_test_id("review-due")).to_contain_text("au plus tard le")
    expect(page.get_by_test_id("fact-AMT_INCOME_TOTAL")).to_contain_text("42 000 €")
    problems["client: request sent"] = axe_violations(page)
    screenshot("review-request-sent-fr")
    review = ReviewRequest.objects.get()
    assert review.claimed == {"AMT_INCOME_TOTAL": 42000.0}
    assert [email.to for email in mail.outbox] == [[client_user.email]]

    # -- the advisor finds it, takes it up, corrects the record, answers -----------------------
    desk = new_page()
    log_in(advisor, tab=desk)
    desk.get_by_test_id("nav-reviews").click()
    desk.wait_for_url("**/reviews/")
    rows = desk.get_by_test_id("review-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("review-status")).to_have_text("Reçue")
    problems["advisor: the queue"] = axe_violations(desk)
    screenshot("review-queue-fr", tab=desk)
    # "Client 9000000" is a name: one line, never "Client" above its number.
    link_lines = rows.first.get_by_test_id("review-link").evaluate(
        "(a) => a.getClientRects().length"
    )
    assert link_lines == 1, f"the client's link takes {link_lines} lines at 1280 px"
    assert figures_split_across_lines(desk, '[data-testid="review-table"]') == []
    rows.first.get_by_test_id("review-link").click()
    desk.wait_for_url(f"**/reviews/{review.pk}/")
    income = desk.get_by_test_id("fact-AMT_INCOME_TOTAL")
    expect(income.get_by_test_id("fact-recorded")).to_have_text("202 500 €")
    expect(income.get_by_test_id("fact-claimed")).to_have_text("42 000 €")
    problems["advisor: the request"] = axe_violations(desk)
    screenshot("review-advisor-fr", tab=desk)

    with desk.expect_navigation():
        desk.get_by_test_id("review-take-up").click()
    expect(desk.get_by_test_id("review-status")).to_have_text("En cours d’examen")
    # The correction form starts from the client's figure.
    expect(desk.get_by_label("Revenu annuel")).to_have_value(re.compile(r"^42\s000$"))
    with desk.expect_navigation():
        desk.get_by_test_id("review-correct").click()
    expect(income.get_by_test_id("fact-corrected")).to_have_text("202 500 € → 42 000 €")
    assert Application.objects.get(pk=refused.pk).amt_income_total == 42000.0

    desk.get_by_label("Votre réponse au client").fill(
        "Nous avons corrigé votre revenu d'après vos bulletins de salaire. Même avec ce "
        "revenu, la mensualité reste trop élevée : la décision est maintenue."
    )
    with desk.expect_navigation():
        desk.get_by_test_id("review-answer").click()
    expect(desk.get_by_test_id("review-status")).to_have_text("Traitée")
    expect(desk.get_by_test_id("review-answer-text")).to_contain_text("décision est maintenue")
    problems["advisor: answered"] = axe_violations(desk)
    desk.get_by_test_id("nav-reviews").click()
    expect(desk.get_by_test_id("no-reviews")).to_be_visible()

    # -- the client reads the answer ----------------------------------------------------------
    page.reload()
    expect(page.get_by_test_id("review-current-step")).to_have_text(re.compile("Traitée"))
    expect(page.get_by_test_id("review-answer")).to_contain_text("Nous avons corrigé votre revenu")
    expect(page.get_by_test_id("review-decision")).to_have_text(
        "La décision est maintenue : votre crédit est refusé."
    )
    expect(page.get_by_test_id("fact-AMT_INCOME_TOTAL")).to_contain_text("202 500 € → 42 000 €")
    problems["client: answered, fr"] = axe_violations(page)
    screenshot("review-answered-fr")
    # Received, in review, answered: one e-mail each, to the client.
    assert len(mail.outbox) == 3 and {tuple(email.to) for email in mail.outbox} == {
        (client_user.email,)
    }

    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    expect(page.get_by_test_id("review-decision")).to_have_text(
        "The decision stands: your credit is refused."
    )
    problems["client: answered, en"] = axe_violations(page)

    # On a phone.
    phone = new_page(360, 780)
    log_in(client_user, tab=phone)
    phone.goto("/portal/review/")
    expect(phone.get_by_test_id("review-answer")).to_be_visible()
    problems["client: phone"] = axe_violations(phone)
    screenshot("review-answered-phone-fr", tab=phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    # The table of corrected facts is narrow on a phone: it wraps between the amounts, never
    # inside one ("42 000" on one line, "€" on the next).
    expect(phone.get_by_test_id("fact-AMT_INCOME_TOTAL")).to_contain_text("42 000 €")
    assert figures_split_across_lines(phone) == []

    assert all(found == [] for found in problems.values()), problems
    assert external_requests == []
