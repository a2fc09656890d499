"""formatting: numbers, amounts, percentages, durations and dates as each language writes them."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import translation

import formatting
from formatting import (
    MISSING,
    amount,
    count_phrase,
    date,
    day_count,
    duration,
    money,
    month_count,
    month_year,
    normalise_language,
    number,
    parse_number,
    percent,
    plural_number,
    points,
    score_value,
    signed,
)

NNBSP = "\u202f"  # French thousands separator (and before %)
NBSP = "\u00a0"  # between a count and its word, before "€" in French


@pytest.fixture
def en():
    with translation.override("en"):
        yield


@pytest.fixture
def fr():
    with translation.override("fr"):
        yield


# --- numbers --------------------------------------------------------------------


def test_numbers_use_the_separators_of_the_language():
    with translation.override("en"):
        assert number(1234567.891, decimals=2) == "1,234,567.89"
        assert number(-0.01) == "0"
    with translation.override("fr"):
        assert number(1234567.891, decimals=2) == f"1{NNBSP}234{NNBSP}567,89"
        assert number(5.0) == "5"


def test_trailing_zeros_are_dropped_unless_asked_to_stay(en):
    assert number(2.50, decimals=2) == "2.5"
    assert number(2.50, decimals=2, trim=False) == "2.50"
    assert number(3, decimals=0) == "3"


def test_rounding_is_the_one_a_person_does_on_the_written_number(en):
    # 2.675 is stored as 2.67499999... in binary: the written number rounds up.
    assert number(2.675, decimals=2) == "2.68"
    # A half goes away from zero, as a person and the browser (Intl, the charts) round it.
    assert number(0.125, decimals=2) == "0.13"


def test_negative_numbers_keep_their_sign_and_zero_loses_it(fr):
    assert number(-1234.5) == f"-1{NNBSP}234,5"
    assert number(-0.0001, decimals=2) == "0"
    assert number(0) == "0"


def test_large_numbers_are_grouped(fr):
    assert number(12_345_678_901, decimals=0) == f"12{NNBSP}345{NNBSP}678{NNBSP}901"


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, -math.inf, "abc", object()])
def test_a_missing_value_reads_as_a_dash(en, missing):
    assert number(missing) == MISSING
    assert amount(missing) == MISSING
    assert percent(missing) == MISSING
    assert points(missing) == MISSING
    assert score_value(missing) == MISSING
    assert signed(missing) == MISSING


def test_numbers_given_as_text_are_read(en):
    assert number("1234.5") == "1,234.5"
    assert number(True) == "1"


# --- amounts, percentages, points, scores ------------------------------------------


def test_amounts_are_grouped_without_decimals():
    with translation.override("fr"):
        assert amount(250000.4) == f"250{NNBSP}000"
        assert amount(-1500.6) == f"-1{NNBSP}501"
    with translation.override("en"):
        # One rounding everywhere, a half away from zero as a person (and the browser) does.
        assert amount(250000.5) == "250,001"
        assert amount(34762.5) == number(34762.5, decimals=0) == "34,763"
        assert money(34762.5) == "€34,763"
        assert amount(-0.5) == "-1"
        assert amount(0.4) == "0"


def test_money_carries_the_currency_where_each_language_puts_it():
    with translation.override("fr"):
        assert money(817560.4) == f"817{NNBSP}560\u00a0€"
        assert amount(817560.4, currency=True) == money(817560.4)
    with translation.override("en"):
        assert money(817560.4) == "€817,560"
        assert money(-1500.6) == "-€1,501"
        assert money(None) == MISSING
        assert money(float("nan")) == MISSING


def test_money_follows_the_currency_setting(settings):
    settings.CURRENCY = "USD"
    with translation.override("en"):
        assert money(1200) == "$1,200"
    with translation.override("fr"):
        assert money(1200) == f"1{NNBSP}200\u00a0$US"


def test_percentages_follow_the_language():
    with translation.override("en"):
        assert percent(0.234) == "23%"
        assert percent(0.004) == "0.4%"
        assert percent(0.1234, decimals=1) == "12.3%"
        assert percent(0) == "0%"
        assert percent(-0.05) == "-5%"
        assert percent(1.5) == "150%"
    with translation.override("fr"):
        # The narrow no-break space before %, not CLDR's no-break space.
        assert percent(0.234) == f"23{NNBSP}%"
        assert percent(0.1234, decimals=1) == f"12,3{NNBSP}%"
        assert percent(0.004) == f"0,4{NNBSP}%"


def test_chart_libraries_get_the_signs_of_the_language():
    with translation.override("en"):
        assert (formatting.decimal_sign(), formatting.group_sign()) == (".", ",")
        assert formatting.percent_suffix() == "%"
    with translation.override("fr"):
        assert (formatting.decimal_sign(), formatting.group_sign()) == (",", NNBSP)
        assert formatting.percent_suffix() == f"{NNBSP}%"


def test_a_small_share_is_not_rounded_to_nothing(en):
    assert percent(0.0004) == "0%"  # below a tenth of a percent: nothing to say
    assert percent(0.006) == "0.6%"
    assert percent(0.0096) == "1%"


def test_points_and_scores():
    with translation.override("en"):
        assert points(0.031) == "3.1"
        assert points(-0.031) == "3.1"
        assert points(0.2) == "20.0"
        assert score_value(0.2) == "0.20"
        assert signed(0.123) == "+0.12"
        assert signed(-0.3) == "\u22120.30"
        assert signed(0.001) == "0.00"
    with translation.override("fr"):
        assert score_value(0.2345) == "0,23"
        assert signed(-1234.5, decimals=1) == f"\u22121{NNBSP}234,5"


# --- counts and durations ----------------------------------------------------------


def test_durations_read_in_days_months_and_years():
    with translation.override("en"):
        assert duration(-12) == f"12{NBSP}days"
        assert duration(1) == f"1{NBSP}day"
        assert duration(0) == f"0{NBSP}days"
        assert duration(250) == f"8{NBSP}months"
        # Two counts: a line may break between them, not inside either.
        assert duration(400) == f"1{NBSP}year and 1{NBSP}month"
        assert duration(800) == f"2{NBSP}years and 2{NBSP}months"
        assert duration(4000) == f"10{NBSP}years"  # beyond 10 years, whole years
    with translation.override("fr"):
        assert duration(1) == f"1{NBSP}jour"
        assert duration(0) == f"0{NBSP}jour"  # French: 0 takes the singular
        assert duration(400) == f"1{NBSP}an et 1{NBSP}mois"
        assert duration(4000) == f"10{NBSP}ans"


def test_day_counts_with_decimals_take_the_plural_rule_of_the_language():
    with translation.override("en"):
        assert day_count(1) == f"1{NBSP}day"
        assert day_count(1.5) == f"1.5{NBSP}days"
        assert day_count(2.25) == f"2.3{NBSP}days"
    with translation.override("fr"):
        assert day_count(1.5) == f"1,5{NBSP}jour"  # below 2: singular
        assert day_count(2.5) == f"2,5{NBSP}jours"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_figure_its_unit_or_a_date_hold_no_space_where_a_line_could_break(language):
    # A narrow table on a phone breaks a line at any plain space: "120" / "mois", "42 000" / "€",
    # "5 déc." / "2026".
    with translation.override(language):
        figures = [
            money(1234567),
            amount(1234567),
            number(1234.5),
            percent(0.234),
            signed(-1234.5),
            day_count(12),
            month_count(120),
            formatting.year_count(12.5),
            date(dt.date(2026, 12, 5)),
            date(dt.date(2026, 12, 5), "medium"),
            month_year(dt.date(2026, 12, 5)),
        ]
    breakable = [
        figure for figure in figures if any(c.isspace() and c not in (NBSP, NNBSP) for c in figure)
    ]
    assert breakable == []


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [("en", 1, 1), ("en", 1.5, 2), ("en", 0, 0), ("fr", 1.5, 1), ("fr", 2.5, 2), ("fr", -3, 3)],
)
def test_decimal_counts_map_to_the_whole_number_of_their_plural_form(language, count, expected):
    with translation.override(language):
        assert plural_number(count) == expected


# --- dates -------------------------------------------------------------------------


def test_dates_and_months_are_written_in_the_language():
    day = dt.date(2024, 3, 5)
    with translation.override("en"):
        assert date(day) == "March\u00a05,\u00a02024"
        assert month_year(day) == "March\u00a02024"
    with translation.override("fr"):
        assert date(day) == "5\u00a0mars\u00a02024"
        assert month_year(day) == "mars\u00a02024"
        assert date(None) == MISSING


def test_a_moment_reads_as_its_hour_in_the_site_time_zone_and_the_language():
    # 18:05 UTC on a winter day is 19:05 in Paris (the site's zone).
    moment = dt.datetime(2026, 12, 5, 18, 5, tzinfo=dt.UTC)
    with translation.override("en"):
        assert formatting.time_of_day(moment).replace("\u202f", " ") == "7:05 PM"
    with translation.override("fr"):
        assert formatting.time_of_day(moment) == "19:05"
        assert formatting.time_of_day(None) == MISSING


def test_a_moment_reads_as_its_day_in_words_then_its_hour_in_the_site_time_zone():
    # 23:30 UTC on December 5 is already December 6 in Paris.
    moment = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    with translation.override("fr"):
        assert formatting.moment(moment) == f"6{NBSP}décembre{NBSP}2026, 00:30"
        assert formatting.moment(None) == MISSING
    with translation.override("en"):
        assert formatting.moment(moment) == f"December{NBSP}6,{NBSP}2026, 12:30{NNBSP}AM"


# --- reading numbers back, and the language itself ----------------------------------


def test_numbers_typed_the_way_the_language_writes_them_are_read():
    with translation.override("fr"):
        assert parse_number("180 000") == 180000
        assert parse_number(f"180{NNBSP}000,5") == 180000.5
        assert parse_number("12,5") == 12.5
    with translation.override("en"):
        assert parse_number("180,000") == 180000
        assert parse_number("12.5") == 12.5
        for not_a_number in ("twelve", "nan", "inf", ""):
            with pytest.raises(ValueError):
                parse_number(not_a_number)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("fr", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("EN", "en"), ("de", "en"), (None, "en")],
)
def test_languages_are_normalised(given, expected):
    assert normalise_language(given) == expected


def test_the_active_language_is_read_when_nothing_is_passed():
    with translation.override("fr-ca"):
        assert formatting.active_language() == "fr"
        assert number(1.5) == "1,5"
    with translation.override(None):
        assert formatting.active_language() == "fr"  # settings.LANGUAGE_CODE


def test_a_count_in_a_sentence_keeps_to_its_word_and_only_there():
    assert count_phrase("You have 2 children, in a household of 4 people") == (
        f"You have 2{NBSP}children, in a household of 4 people"
    )
    assert count_phrase(f"1{NNBSP}234 payées en retard") == f"1{NNBSP}234{NBSP}payées en retard"
    assert count_phrase("2,5 enfants") == f"2,5{NBSP}enfants"
    assert count_phrase("No count here") == "No count here"
