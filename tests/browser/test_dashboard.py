"""The dashboard in a real browser: log in, search, open a client, switch language, access rules,
accessibility (axe-core), and the screenshots of docs/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.dashboard.builders import add_credit_history, build_portfolio
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.browser

# axe-core rule sets of WCAG 2.0/2.1 A and AA, plus axe's best practices
# (landmarks, one h1, skip link...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def portfolio(advisor):
    """30 clients of `advisor`; the first one (200000) with a full credit history."""
    clients = build_portfolio(advisor, count=30)
    add_credit_history(clients[0])
    return clients


def axe_violations(page, *, impacts=("serious", "critical")) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in impacts
    ]


def test_advisor_logs_in_finds_a_client_and_reads_key_facts(
    page, log_in, advisor, portfolio, screenshot, external_requests
):
    log_in(advisor)
    assert page.url.endswith("/clients/")
    assert page.locator("h1").inner_text() == "Mon portefeuille"
    assert page.get_by_test_id("results-summary").inner_text().startswith("30 clients")
    screenshot("portfolio-fr")

    # Typing in the search box updates the list in place (htmx) and the URL with it.
    page.get_by_label("Rechercher", exact=True).fill("200000")
    page.wait_for_url(re.compile(r"q=200000"))
    rows = page.get_by_test_id("portfolio-table").locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    assert page.get_by_test_id("results-summary").inner_text().startswith("1 client")

    page.get_by_role("link", name="200000", exact=True).click()
    page.wait_for_url("**/clients/200000/")
    assert page.get_by_test_id("client-heading").inner_text() == "Client 200000"
    facts = page.get_by_test_id("client-facts")
    assert "Montant du crédit" in facts.inner_text()
    assert facts.get_by_test_id("fact-amt-credit").inner_text() == "500\u202f000\u00a0€"
    assert "Sans emploi / retraité" in facts.get_by_test_id("fact-employment").inner_text()
    assert "Pas encore évalué" in page.get_by_test_id("decision-card").inner_text()
    assert "2 échéances sur 4" in page.get_by_test_id("late-count").inner_text()
    screenshot("client-fr")
    assert external_requests == []


def test_field_description_shows_on_keyboard_focus(page, log_in, advisor, portfolio):
    log_in(advisor)
    page.goto("/clients/200000/")
    label = page.get_by_test_id("client-facts").locator(
        '[aria-describedby="help-application-amt-credit"]'
    )
    label.focus()
    tooltip = page.get_by_role("tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == "Montant du prêt demandé."
    page.keyboard.press("Escape")
    tooltip.wait_for(state="detached")


def test_sorting_by_a_column_header_and_paging_keep_each_other(page, log_in, advisor):
    build_portfolio(advisor, count=60)
    log_in(advisor)
    page.get_by_role("link", name=re.compile("^Revenu")).click()
    page.wait_for_url(re.compile(r"sort=income"))
    page.get_by_role("link", name=re.compile("^Revenu")).click()
    page.wait_for_url(re.compile(r"sort=-income"))
    first_id = page.get_by_test_id("portfolio-table").locator("tbody th").first.inner_text()
    assert first_id == "200059"  # the highest income
    page.get_by_role("link", name=re.compile("Suivante")).click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "sort=-income" in page.url
    assert page.get_by_test_id("portfolio-table").locator("tbody th").first.inner_text() == "200034"
    # Focus follows the update, for keyboard and screen reader users.
    assert page.evaluate("document.activeElement.id") == "results-heading"


def test_language_switch_to_english_changes_the_visible_strings(
    page, log_in, advisor, portfolio, screenshot, external_requests
):
    log_in(advisor)
    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "My portfolio"
    assert page.get_by_test_id("results-summary").inner_text().startswith("30 clients")
    assert page.get_by_role("button", name="Log out").is_visible()
    screenshot("portfolio-en")

    page.goto("/clients/200000/")
    facts = page.get_by_test_id("client-facts").inner_text()
    assert "Credit amount" in facts and "Not employed / pensioner" in facts
    assert "Not scored yet" in page.get_by_test_id("decision-card").inner_text()
    screenshot("client-en")

    with page.expect_navigation():
        page.get_by_test_id("language-fr").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Montant du crédit" in page.get_by_test_id("client-facts").inner_text()
    assert external_requests == []


def test_each_visitor_reaches_only_what_their_role_allows(
    new_page, log_in, advisor, colleague, client_user, portfolio, external_requests
):
    own = ApplicationFactory(sk_id_curr=123_456, advisor=advisor, portal_user=client_user)

    anonymous = new_page()
    anonymous.goto("/clients/200000/")
    assert "/accounts/login/?next=/clients/200000/" in anonymous.url
    assert anonymous.get_by_label("Identifiant").is_visible()

    other_advisor = new_page()
    log_in(colleague, tab=other_advisor)
    assert other_advisor.goto("/clients/200000/").status == 404
    assert other_advisor.goto(f"/clients/{own.pk}/").status == 404

    borrower = new_page()
    log_in(client_user, tab=borrower)
    # A client lands in the portal; the advisor's pages refuse them, even their own record's.
    assert borrower.url.endswith("/portal/")
    assert borrower.goto(f"/clients/{own.pk}/").status == 403
    assert borrower.goto("/clients/200000/").status == 403
    assert borrower.goto("/clients/").status == 403
    assert external_requests == []


def test_wrong_password_is_reported_and_linked_to_the_fields(page, log_in, advisor):
    log_in(advisor, password="not-the-password")
    alert = page.get_by_role("alert")
    assert "Identifiant ou mot de passe incorrect" in alert.inner_text()
    assert page.get_by_label("Mot de passe").get_attribute("aria-describedby") == "login-error"


def test_skip_link_is_the_first_tab_stop_and_moves_to_the_content(page, log_in, advisor, portfolio):
    log_in(advisor)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu principal"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_login_portfolio_and_client_pages_have_no_serious_accessibility_violation(
    page, log_in, advisor, portfolio
):
    problems = {}
    page.goto("/accounts/login/")
    problems["login, fr"] = axe_violations(page)
    log_in(advisor)
    problems["portfolio, fr"] = axe_violations(page)
    page.goto("/clients/200000/")
    problems["client, fr"] = axe_violations(page)
    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    problems["client, en"] = axe_violations(page)
    assert all(found == [] for found in problems.values()), problems


def test_advisor_filters_the_portfolio_on_decision_risk_and_pending_reviews(
    page, log_in, advisor, portfolio, screenshot, external_requests
):
    from scoring.models import ReviewRequest
    from tests.dashboard.builders import add_current_score, model_version_row

    version = model_version_row(active=True, threshold=0.10)
    for application, probability in zip(
        portfolio[:6], (0.02, 0.04, 0.08, 0.12, 0.3, 0.6), strict=True
    ):
        add_current_score(application, probability=probability, model_version=version)
    ReviewRequest.objects.create(application=portfolio[4], message="Merci de revoir ma demande.")

    log_in(advisor)
    assert page.get_by_test_id("nav-review-count").inner_text().startswith("1")
    summary = page.get_by_test_id("results-summary")

    page.get_by_label("Décision", exact=True).select_option("refused")
    page.wait_for_url(re.compile(r"decision=refused"))
    expect(page.get_by_test_id("results-summary")).to_have_text(re.compile(r"^\s*3 clients"))
    decisions = page.get_by_test_id("row-decision")
    assert decisions.count() == 3
    assert all("Refusé" in text for text in decisions.all_inner_texts())
    screenshot("portfolio-refused-fr")

    page.get_by_label("Niveau de risque", exact=True).select_option("very_high")
    page.wait_for_url(re.compile(r"risk_band=very_high"))
    expect(page.get_by_test_id("results-summary")).to_have_text(re.compile(r"^\s*2 clients"))
    assert "Très élevé" in decisions.first.inner_text()

    page.get_by_label("À revoir uniquement", exact=True).check()
    page.wait_for_url(re.compile(r"pending_review=on"))
    expect(page.get_by_test_id("results-summary")).to_have_text(re.compile(r"^\s*1 client"))
    assert page.get_by_test_id("row-review").count() == 1
    assert summary.inner_text().startswith("1 client")
    assert axe_violations(page) == []

    # The review queue, reached from the menu, shows the request with the client's risk.
    page.get_by_test_id("nav-reviews").click()
    page.wait_for_url("**/reviews/")
    assert "Très élevé" in page.get_by_test_id("review-score").first.inner_text()
    assert axe_violations(page) == []
    assert external_requests == []
