"""clients.field_descriptions: labels and descriptions of every Kaggle column, in both languages."""

from __future__ import annotations

import pytest

from clients import field_descriptions as fd
from ml import schema


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.name)
def test_every_schema_column_has_a_label_and_description_in_both_languages(table):
    missing = [
        (column.name, lang)
        for column in table.columns
        for lang in fd.LANGUAGES
        if fd.label(column.name, lang, table=table.name) == column.name
        or not fd.describe(column.name, lang, table=table.name)
    ]
    assert not missing


def test_french_and_english_wordings_differ():
    assert fd.label("AMT_CREDIT", "fr") == "Montant du crédit"
    assert fd.label("AMT_CREDIT", "en") == "Credit amount"


def test_same_column_in_another_table_has_its_own_meaning():
    asked = fd.describe("AMT_CREDIT", "en")
    granted = fd.describe("AMT_CREDIT", "en", table="previous_application")
    assert asked != granted
    assert "granted" in fd.label("AMT_CREDIT", "en", table="previous_application").lower()


def test_a_column_only_in_another_table_is_found_without_naming_the_table():
    assert fd.label("CREDIT_ACTIVE", "en") == "Status"


def test_column_name_case_does_not_matter():
    assert fd.label("amt_credit", "en") == fd.label("AMT_CREDIT", "en")


@pytest.mark.parametrize("lang", ["fr-fr", "fr_CA", "FR"])
def test_regional_language_codes_fall_back_to_the_language(lang):
    assert fd.label("AMT_CREDIT", lang) == "Montant du crédit"


def test_unknown_language_falls_back_to_english():
    assert fd.label("AMT_CREDIT", "de") == "Credit amount"


def test_unknown_column_gives_its_name_and_no_description():
    assert fd.label("BUREAU_AMT_CREDIT_SUM_MEAN", "fr") == "BUREAU_AMT_CREDIT_SUM_MEAN"
    assert fd.describe("BUREAU_AMT_CREDIT_SUM_MEAN", "fr") == ""


def test_categorical_values_are_translated_and_unknown_ones_kept():
    assert fd.value_label("NAME_INCOME_TYPE", "Pensioner", "fr") == "Retraité"
    assert fd.value_label("NAME_INCOME_TYPE", "Pensioner", "en") == "Pensioner"
    assert fd.value_label("ORGANIZATION_TYPE", "School", "fr") == "École"
    assert fd.value_label("ORGANIZATION_TYPE", "A new kind", "fr") == "A new kind"
    assert fd.value_label("CODE_GENDER", None, "fr") == ""


def test_descriptions_are_written_in_our_own_words_not_copied():
    """The official CSV says "Credit amount of the loan": we say it differently."""
    assert fd.describe("AMT_CREDIT", "en") != "Credit amount of the loan"
    assert fd.describe("DAYS_BIRTH", "en") != "Client's age in days at the time of application"


def test_the_facts_of_the_official_descriptions_are_kept(homecredit_samples):
    """Our wording covers every column the official file describes for the schema's tables."""
    import csv

    path = (
        homecredit_samples
        / "bhajnik__Credit-Lending-Risk-Analytics"
        / "HomeCredit_columns_description.csv"
    )
    with path.open(encoding="latin-1", newline="") as f:
        official = {row["Row"].strip() for row in csv.DictReader(f)}
    ours = {column.name for table in schema.TABLES for column in table.columns}
    # The official file spells SK_ID_BUREAU "SK_BUREAU_ID" and describes a column
    # (NFLAG_MICRO_CASH) that no Kaggle file has.
    assert ours - official <= {"SK_ID_BUREAU"}
    assert {"SK_BUREAU_ID", "NFLAG_MICRO_CASH"} >= official - ours
