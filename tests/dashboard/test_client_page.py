"""The client page: key facts with their descriptions, credit history, score placeholders."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

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
    assert 'fact-amt-credit">406\u202f598<' in page.content.decode()  # rounded, French grouping
    assert "Prêt personnel" in body  # "Cash loans"
    assert "25 ans" in body  # DAYS_BIRTH -9461
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
    assert "1,7 an" in fact  # -637 days


def test_bureau_credits_are_listed_most_recent_first(page):
    bureau = page.content.decode().split('data-testid="history-bureau"')[1]
    assert bureau.index("5000001") < bureau.index("5000002")
    assert "Crédit à la consommation" in bureau
    assert "<caption>" in bureau and 'scope="col"' in bureau


def test_previous_applications_show_status_and_rejection_reason(page):
    previous = text(page).split("Demandes antérieures chez Home Credit")[1]
    assert "Refusé" in previous and "Accordé" in previous
    assert "HC" in previous


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
    assert "2\u202f500" in cards


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
