"""The client page: key facts with their descriptions, credit history, score placeholders."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

import formatting
from clients.record_in_words import add_months, application_received_on, date_of_day_count
from clients.selectors.client_file import client_instalments, client_pos_cash_summary
from ml.schema import DAYS_EMPLOYED_SENTINEL

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, advisor, client_history):
    client.force_login(advisor)
    return client.get(reverse("dashboard:client", args=[client_history.pk]))


def text(response) -> str:
    """The visible text, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_key_facts_are_shown_in_french_by_default(page, client_history):
    body = text(page)
    assert page.status_code == 200
    assert "Montant du crédit" in body
    # Rounded, French grouping, with the currency.
    assert 'fact-amt-credit">406\u202f598\u00a0€<' in page.content.decode()
    assert "Prêt personnel" in body  # "Cash loans"
    # DAYS_BIRTH -9461: the count on one line with its word (formatting.year_count).
    assert 'data-testid="fact-age">25\u00a0ans<' in page.content.decode()
    assert "Salarié" in body  # "Working"


def test_each_fact_label_carries_its_description(page):
    body = page.content.decode()
    # Hover text and an accessible description pointing at the same words.
    assert 'title="Montant du prêt demandé."' in body
    assert 'aria-describedby="help-application-amt-credit"' in body
    assert (
        '<span id="help-application-amt-credit" class="visually-hidden">'
        "Montant du prêt demandé.</span>" in body
    )


def test_employment_sentinel_reads_not_employed(client, advisor, application):
    application.days_employed = DAYS_EMPLOYED_SENTINEL
    application.save()
    client.force_login(advisor)
    response = client.get(reverse("dashboard:client", args=[application.pk]))
    assert "Sans emploi / retraité" in text(response)
    assert "365" not in response.content.decode().split('data-testid="fact-employment"')[1][:80]


def test_employment_length_is_in_years(page):
    fact = page.content.decode().split('data-testid="fact-employment"')[1][:60]
    assert "1,7\u00a0an" in fact  # -637 days


def test_bureau_credits_are_listed_most_recent_first(page):
    bureau = page.content.decode().split('data-testid="history-bureau"')[1]
    assert bureau.index("5000001") < bureau.index("5000002")
    assert "Crédit à la consommation" in bureau
    assert "<caption>" in bureau and 'scope="col"' in bureau


def test_the_number_of_bureau_credits_stays_on_one_line_with_its_word(page):
    bureau = page.content.decode().split('data-testid="history-bureau"')[1]
    assert "2\u00a0crédits, les plus récemment ouverts en premier." in bureau


def test_previous_applications_show_status_and_rejection_reason(page):
    previous = html.unescape(text(page)).split("Demandes antérieures chez Prêt à dépenser")[1]
    assert "Refusé" in previous and "Accordé" in previous
    # The lender's code in words, the code beside them.
    assert "Nos propres règles d’octroi (HC)" in previous


def history_text(page) -> str:
    """The history's text, entities decoded; only the layout's spaces collapsed (the narrow
    no-break spaces of the numbers are part of them)."""
    body = page.content.decode().split('data-testid="history-section"')[1].split("</details>")[0]
    return html.unescape(re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_history_says_dates_and_our_name_never_day_counts_or_home_credit(page, client_history):
    history = history_text(page)
    assert "Home Credit" not in page.content.decode()
    # No day or month count of the tables is shown as such: no negative number anywhere.
    assert not re.search(r"[-\u2212]\s?\d", history), re.findall(r".{30}[-\u2212]\d.{10}", history)
    # The day the application arrived, where the lender is (23:30 UTC is already tomorrow
    # in Paris): the page counts from it.
    received = application_received_on(client_history)
    with translation.override("fr"):
        opened = formatting.month_year(date_of_day_count(-400, received))
        latest_pos = formatting.month_year(add_months(received, -1))
    assert f"{opened}, 1\u00a0an et 1\u00a0mois avant la demande" in history  # DAYS_CREDIT -400
    assert f"{latest_pos}, 1\u00a0mois avant la demande" in history  # MONTHS_BALANCE -1
    assert "Les dates sont comptées à partir du jour où la demande nous est parvenue." in history
    # Delays in days, "none" when there was none.
    assert "12\u00a0jours" in history and "aucun" in history


def test_the_history_amounts_carry_the_currency(page):
    history = history_text(page)
    assert "90\u202f000\u00a0€" in history  # a bureau credit
    assert "300\u202f000\u00a0€" in history  # a previous application
    assert "4\u202f000\u00a0€" in history  # an instalment


def test_the_history_reads_the_same_in_english(client, advisor, client_history):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    history = history_text(client.get(reverse("dashboard:client", args=[client_history.pk])))
    assert "Previous applications at Prêt à dépenser" in history
    assert "Our own lending rules (HC)" in history
    assert "1\u00a0year and 1\u00a0month before the application" in history
    assert "€90,000" in history


def test_late_instalments_are_counted_and_listed(page, client_history):
    assert "2 échéances sur 4 payées après leur date prévue." in text(page)
    history = client_instalments(application=client_history)
    assert (history.total, history.late_count) == (4, 2)
    assert [row["days_late"] for row in history.late.rows] == [9, 8]


def test_pos_summary_takes_the_latest_status_and_the_worst_delay(client_history):
    (line,) = client_pos_cash_summary(application=client_history)
    assert line["months"] == 3
    assert line["last_month"] == -1
    assert line["max_dpd"] == 12
    assert line["cnt_instalment_future"] == 9.0


def test_credit_card_summary_is_shown(page):
    cards = page.content.decode().split('data-testid="history-credit-cards"')[1]
    assert "2000003" in cards
    assert "2\u202f500\u00a0€" in cards


def test_a_client_without_history_gets_plain_empty_messages(client, advisor, application):
    client.force_login(advisor)
    body = text(client.get(reverse("dashboard:client", args=[application.pk])))
    assert "Le bureau de crédit ne signale aucun crédit pour ce client." in body
    assert "Aucune échéance enregistrée." in body


def test_decision_explanation_and_what_if_say_not_scored_yet(page):
    body = page.content.decode()
    for card in ("decision-card", "explanation-card", "what-if-card"):
        section = body.split(f'data-testid="{card}"')[1].split("</section>")[0]
        assert "Pas encore évalué" in section


def test_page_is_in_english_when_asked(client, advisor, client_history):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    body = text(client.get(reverse("dashboard:client", args=[client_history.pk])))
    assert "Credit amount" in body
    assert "Cash loan" in body
    assert "25 years" in body
    assert "Not scored yet" in body


def test_client_page_query_count_is_bounded(
    client, advisor, client_history, django_assert_max_num_queries
):
    client.force_login(advisor)
    # session, user, permissions (2), application, bureau, previous,
    # instalments (2), POS, cards; then the scoring sections (dashboard.page_context):
    # latest score, active model, decisions recorded, open review request;
    # the navbar's count of open review requests; the audit event of the view
    # (the user's roles, the append lock with the chain's last hash, the insert);
    # the manual-review switch, read once per request (scoring.governance).
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboard:client", args=[client_history.pk]))
    assert response.status_code == 200


def test_french_is_the_default_language(client, advisor, application):
    client.force_login(advisor)
    with translation.override(None):
        body = client.get(reverse("dashboard:client", args=[application.pk])).content.decode()
    assert '<html lang="fr">' in body
