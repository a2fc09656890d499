"""The client portal in a real browser: a client logs in, reads their application and the decision
with its reasons in both languages, opens the printable letter, downloads both exports; before a
person decided the decision page says "under review"; the invitation's link sets a password; every
page is axe-core clean and fits a 360-pixel phone. Screenshots: portal-*."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from scoring.models import Decision, Score
from tests.browser.test_dashboard import axe_violations
from tests.browser.values import figures_split_across_lines
from tests.dashboard import scored

pytestmark = pytest.mark.browser

portfolio_clients = scored.portfolio_clients
TABLES = {
    "application",
    "bureau",
    "bureau_balance",
    "previous_application",
    "POS_CASH_balance",
    "installments_payments",
    "credit_card_balance",
}
PORTAL_PAGES = (
    "/portal/",
    "/portal/application/",
    "/portal/decision/",
    "/portal/decision/letter/",
    "/portal/data/",
)


@pytest.fixture
def refused_own(portfolio_clients, score_now, advisor, client_user):
    """A synthetic client the model refuses, linked to `client_user`, refused by their advisor."""
    from scoring.decisions import credit_decision_record

    for application in portfolio_clients:
        score = score_now(application, requested_by=advisor, channel=Score.Channel.DASHBOARD)
        if score.decision == Decision.REFUSED:
            application.portal_user = client_user
            application.save(update_fields=["portal_user"])
            credit_decision_record(
                application=application, decided_by=advisor, outcome=Decision.REFUSED
            )
            return application
    pytest.fail("the session's model refuses none of the synthetic clients")


def _reasons(page) -> list[str]:
    return page.get_by_test_id("reasons-against").locator("li").all_inner_texts()


def test_a_client_reads_the_decision_in_both_languages_prints_the_letter_and_downloads_the_data(
    page, log_in, client_user, refused_own, screenshot, external_requests, tmp_path
):
    problems: dict[str, list[str]] = {}

    log_in(client_user)
    assert page.url.endswith("/portal/")
    assert page.locator("h1").inner_text() == "Mon espace"
    problems["home, fr"] = axe_violations(page)
    screenshot("portal-home-fr")

    page.get_by_test_id("portal-nav-application").click()
    page.wait_for_url("**/portal/application/")
    text = page.locator("main").inner_text()
    assert "€" in text and "Source" in text
    assert not re.search(r"\s-\d+\s", text), "a negative day count is shown"
    problems["application, fr"] = axe_violations(page)
    screenshot("portal-application-fr")

    page.get_by_test_id("portal-nav-decision").click()
    page.wait_for_url("**/portal/decision/")
    assert page.get_by_test_id("decision-outcome-text").inner_text() == "Votre crédit est refusé."
    assert page.get_by_test_id("decision-decided-by").inner_text() == "Votre conseiller"
    french = _reasons(page)
    assert 1 <= len(french) <= 4
    assert all("risque" in reason for reason in french)
    main = page.locator("main").inner_text()
    assert not re.search(r"SHAP|log-odds|seuil|probabilit", main, re.IGNORECASE)
    problems["decision, fr"] = axe_violations(page)
    screenshot("portal-decision-fr")

    # The same decision in English, from the language switch.
    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("decision-outcome-text").inner_text() == "Your credit is refused."
    english = _reasons(page)
    assert len(english) == len(french)
    assert all("risk" in reason for reason in english)
    problems["decision, en"] = axe_violations(page)
    screenshot("portal-decision-en")

    # The letter: one page, the menu gone when printed.
    page.get_by_test_id("decision-letter-link").click()
    page.wait_for_url("**/portal/decision/letter/")
    letter = page.get_by_test_id("decision-letter")
    assert "Your credit is refused." in letter.inner_text()
    assert "right to a human review" in letter.inner_text()
    problems["letter, en"] = axe_violations(page)
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()
    assert letter.is_visible()
    screenshot("portal-letter-print-en")
    pdf = tmp_path / "letter.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    page.emulate_media(media="screen")

    # Both downloads.
    page.get_by_test_id("portal-nav-data").click()
    page.wait_for_url("**/portal/data/")
    problems["data, en"] = axe_violations(page)
    screenshot("portal-data-en")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-json").click()
    document = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert set(document["tables"]) == TABLES
    assert [row["SK_ID_CURR"] for row in document["tables"]["application"]] == [refused_own.pk]
    assert [row["outcome"] for row in document["decisions"]] == ["refused"]
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    assert download_info.value.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    assert {f"{table}.csv" for table in TABLES} <= set(archive.namelist())

    assert {page: found for page, found in problems.items() if found} == {}
    assert external_requests == []


def test_every_portal_page_fits_a_phone_and_breaks_no_figure_across_lines(
    new_page, log_in, client_user, refused_own, screenshot
):
    phone = new_page(360, 780)
    log_in(client_user, tab=phone)
    for path in PORTAL_PAGES:
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert figures_split_across_lines(phone) == [], path
    # The menu folds behind its button and opens on demand.
    phone.goto("/portal/decision/")
    nav = phone.get_by_test_id("portal-nav-data")
    assert not nav.is_visible()
    phone.get_by_role("button", name=re.compile("menu", re.IGNORECASE)).click()
    nav.wait_for(state="visible")
    screenshot("portal-decision-360-fr", tab=phone)
    assert axe_violations(phone) == []


def test_before_a_person_decided_the_client_reads_under_review_only(
    page, log_in, client_user, portfolio_clients, score_now, advisor, screenshot
):
    application = portfolio_clients[0]
    score_now(application, requested_by=advisor, channel=Score.Channel.DASHBOARD)
    application.portal_user = client_user
    application.save(update_fields=["portal_user"])

    log_in(client_user)
    page.goto("/portal/decision/")
    page.get_by_test_id("decision-under-review").wait_for()
    main = page.locator("main").inner_text()
    assert "Votre demande est en cours d’examen" in main
    assert "refusé" not in main and "accordé" not in main
    assert page.get_by_test_id("reasons-against").count() == 0
    assert axe_violations(page) == []
    screenshot("portal-under-review-fr")


def test_the_invitation_link_sets_a_password_and_the_client_logs_in(
    page, advisor, application, screenshot, settings, live_server
):
    from django.core import mail

    from clients.invitations import client_invitation_send

    application.portal_user = None
    application.save(update_fields=["portal_user"])
    client_invitation_send(
        application=application,
        email="claire@example.com",
        invited_by=advisor,
        site_url=live_server.url,
    )
    link = re.search(r"http\S+/portal/activate/\S+/", mail.outbox[-1].body).group(0)

    page.goto(link)
    assert axe_violations(page) == []
    screenshot("portal-activate-fr")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Une-phrase-de-passe-2026")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Une-phrase-de-passe-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "claire@example.com")
    page.fill("input[name=password]", "Une-phrase-de-passe-2026")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/portal/")

    page.goto(link)
    assert "ne fonctionne plus" in page.locator("h1").inner_text()
