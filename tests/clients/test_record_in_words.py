"""clients.record_in_words: a client's record said in words, dates instead of day counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from clients.models import Application, BureauBalance
from clients.record_in_words import (
    add_months,
    application_received_on,
    record_in_words,
    when_days,
    when_months,
)
from tests.dashboard.builders import add_credit_history
from tests.factories import ApplicationFactory

NNBSP = "\u202f"
RECEIVED = dt.date(2024, 11, 15)


@pytest.fixture
def record(db):
    application = add_credit_history(ApplicationFactory(amt_credit=406_597.5, days_employed=-637))
    Application.objects.filter(pk=application.pk).update(
        created_at=dt.datetime(2024, 11, 15, 10, tzinfo=dt.UTC)
    )
    for month, status in [(-3, "0"), (-2, "1"), (-1, "C")]:
        BureauBalance.objects.create(bureau_id=5_000_001, months_balance=month, status=status)
    return Application.objects.get(pk=application.pk)


def lines_of(section) -> dict[str, str]:
    return {line.key: line.text for line in section.lines}


def test_a_day_count_becomes_a_month_and_its_distance_from_the_application():
    with translation.override("en"):
        assert when_days(-233, RECEIVED) == "March\u00a02024, 8\u00a0months before the application"
        assert when_days(400, RECEIVED) == (
            "December\u00a02025, 1\u00a0year and 1\u00a0month after the application"
        )
        assert (
            when_days(0, RECEIVED) == "on the day of the application (November\u00a015,\u00a02024)"
        )
        assert when_days(None, RECEIVED) == ""
    with translation.override("fr"):
        assert when_days(-233, RECEIVED) == "mars\u00a02024, 8\u00a0mois avant la demande"


def test_a_month_count_becomes_a_month():
    with translation.override("en"):
        assert when_months(-1, RECEIVED) == "October\u00a02024, 1\u00a0month before the application"
        assert when_months(0, RECEIVED) == "November\u00a02024, the month of the application"


def test_months_are_added_by_the_calendar():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 15), -13) == dt.date(2023, 10, 15)
    assert add_months(dt.date(2024, 12, 10), 1) == dt.date(2025, 1, 10)


def test_the_application_is_anchored_on_the_day_it_reached_us(record):
    assert application_received_on(record) == RECEIVED


def test_the_application_reads_with_currency_translated_categories_and_dates(record):
    with translation.override("en"):
        words = record_in_words(application=record)
    loan = lines_of(words.section("loan"))
    assert loan["amt_credit"] == "€406,598"
    assert loan["name_contract_type"] == "Cash loan"
    assert loan["term"] == "about 16\u00a0months"  # the count on one line with its word
    work = lines_of(words.section("work"))
    assert work["amt_income_total"] == "€202,500"
    assert (
        work["days_employed"]
        == "since February\u00a02023, 1\u00a0year and 9\u00a0months before the application"
    )
    assert work["name_income_type"] == "Employee"
    assert lines_of(words.section("person"))["days_birth"] == "25\u00a0years old"


def test_the_record_reads_in_french_too(record):
    with translation.override("fr"):
        words = record_in_words(application=record)
    loan = lines_of(words.section("loan"))
    assert loan["amt_credit"] == f"406{NNBSP}598\u00a0€"
    assert loan["name_contract_type"] == "Prêt personnel"
    assert loan["term"] == "environ 16\u00a0mois"
    assert words.section("loan").title == "Le crédit demandé"


def test_no_negative_day_count_or_raw_code_is_left_in_the_history(record):
    with translation.override("en"):
        words = record_in_words(application=record)
    bureau = words.section("bureau")
    first = {line.key: line.text for line in bureau.items[0].lines}
    assert bureau.items[0].title == "Consumer credit · Active"
    assert (
        first["days_credit"]
        == "October\u00a02023, 1\u00a0year and 1\u00a0month before the application"
    )
    assert first["amt_credit_sum_debt"] == "€45,000"
    assert first["monthly_reports"] == "3\u00a0months reported, 1 with a late payment"
    previous = words.section("previous")
    assert [item.title for item in previous.items] == [
        "Cash loan · Refused",
        "Consumer loan · Approved",
    ]
    instalments = words.section("instalments")
    assert instalments.summary.startswith("4\u00a0instalments, 2\u00a0paid late; the late ones")
    late = {line.key: line.text for line in instalments.items[0].lines}
    assert late["days_late"] == "9\u00a0days"
    pos = {line.key: line.text for line in words.section("pos_cash").items[0].lines}
    assert pos["last_month"] == "October\u00a02024, 1\u00a0month before the application"
    assert pos["max_dpd"] == "12\u00a0days"
    every_text = " ".join(
        line.text
        for section in words.sections
        for block in [section.lines, *[item.lines for item in section.items]]
        for line in block
    )
    assert not re.search(r"-\d", every_text)  # no day count left negative
    assert "XAP" not in every_text and "HC" not in every_text.split()


def test_the_counts_of_the_history_stay_on_one_line_with_their_word(record):
    Application.objects.filter(pk=record.pk).update(flag_document_3=1, flag_document_8=1)
    application = Application.objects.get(pk=record.pk)
    said = {}
    for language in ("en", "fr"):
        with translation.override(language):
            words = record_in_words(application=application)
        said[language] = (
            lines_of(words.section("person"))["documents"],
            words.section("bureau").summary,
            words.section("instalments").summary,
        )

    assert said == {
        "en": (
            "2\u00a0documents",
            "2\u00a0credits, the most recently opened first.",
            "4\u00a0instalments, 2\u00a0paid late; the late ones, the most recent first:",
        ),
        "fr": (
            "2\u00a0documents",
            "2\u00a0crédits, les plus récemment ouverts en premier.",
            "4\u00a0échéances, dont 2\u00a0payées en retard ; les échéances en retard, "
            "la plus récente en premier :",
        ),
    }


def test_each_section_says_where_its_facts_come_from(record):
    with translation.override("en"):
        words = record_in_words(application=record)
    sources = {section.key: section.source_label for section in words.sections}
    assert sources["loan"] == "the application form you filled in"
    assert sources["bureau"].startswith("the credit bureau")
    assert sources["cards"].startswith("our own history with you")


def test_an_empty_history_says_so(db):
    with translation.override("en"):
        words = record_in_words(application=ApplicationFactory())
    bureau = words.section("bureau")
    assert (
        bureau.is_empty
        and bureau.summary == ""
        and bureau.empty == ("The credit bureau reports no credit.")
    )


def test_a_count_of_zero_is_said_as_none_in_both_languages(record):
    """ "Documents provided: 0 documents" and "3 months reported, 0 with a late payment"."""
    flags = {f"flag_document_{number}": 0 for number in range(2, 22)}
    Application.objects.filter(pk=record.pk).update(**flags)
    BureauBalance.objects.filter(bureau_id=5_000_001).update(status="0")
    application = Application.objects.get(pk=record.pk)

    said = {}
    for language in ("en", "fr"):
        with translation.override(language):
            words = record_in_words(application=application)
        reports = lines_of(words.section("bureau").items[0])["monthly_reports"]
        said[language] = (lines_of(words.section("person"))["documents"], reports)

    assert said == {
        "en": ("none", "3\u00a0months reported, none with a late payment"),
        "fr": ("aucun", "3\u00a0mois relevés, aucun avec un retard de paiement"),
    }


def test_one_month_reported_without_delay_is_singular(record):
    BureauBalance.objects.filter(bureau_id=5_000_001).exclude(months_balance=-1).delete()
    BureauBalance.objects.filter(bureau_id=5_000_001).update(status="0")

    said = {}
    for language in ("en", "fr"):
        with translation.override(language):
            words = record_in_words(application=record)
        said[language] = lines_of(words.section("bureau").items[0])["monthly_reports"]

    assert said == {
        "en": "1\u00a0month reported, without a late payment",
        "fr": "1\u00a0mois relevé, sans retard de paiement",
    }
