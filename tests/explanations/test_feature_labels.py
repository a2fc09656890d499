"""Human-readable names of the model's features, and where they come from."""

from __future__ import annotations

import re

import pytest

from explanations.feature_labels import (
    has_label,
    label,
    labels,
    normalise_language,
    raw_fields,
    value_kind,
)
from ml import schema
from ml.features import FEATURE_NAMES

UGLY = re.compile(r"[A-Z0-9]+_[A-Z0-9_]+")  # a Kaggle or feature name shown as it is


@pytest.fixture(scope="module")
def model_features(trained_artifact) -> list[str]:
    from ml.predict import load_model

    return load_model(trained_artifact).feature_names


def test_every_feature_of_the_trained_model_has_a_label_in_both_languages(model_features):
    unlabelled = [feature for feature in model_features if not has_label(feature)]

    assert not unlabelled
    for feature in model_features:
        english, french = label(feature, "en"), label(feature, "fr")
        assert english and french
        assert not UGLY.search(english), english
        assert not UGLY.search(french), french


def test_every_engineered_feature_has_a_label_too():
    assert [feature for feature in FEATURE_NAMES if not has_label(feature)] == []
    english, french = labels("en"), labels("fr")
    assert set(english) == set(french) == set(FEATURE_NAMES)
    # French is French: most labels differ from the English ones.
    same = [feature for feature in FEATURE_NAMES if english[feature] == french[feature]]
    assert len(same) < len(FEATURE_NAMES) // 20, same


@pytest.mark.django_db
def test_the_fifty_most_important_features_read_without_any_raw_name(active_model_version):
    from scoring.explanations import global_importance

    for language in ("en", "fr"):
        rows = global_importance(model_version=active_model_version, language=language, top=50)
        assert len(rows) == 50
        for row in rows:
            assert row["label"] != row["feature"]
            assert not UGLY.search(row["label"]), row


def test_history_labels_say_measure_statistic_and_rows():
    assert label("INST_365_LATE_SHARE", "en") == "Instalments paid late (share, last 365 days)"
    assert label("INST_365_LATE_SHARE", "fr") == (
        "Échéances payées en retard (part, 365 derniers jours)"
    )
    assert label("BUREAU_ACTIVE_AMT_CREDIT_SUM_DEBT_SUM", "en") == (
        "Outstanding debt (total, active bureau credits)"
    )
    assert label("PREV_REFUSED_COUNT", "fr") == "Demandes précédentes refusées (nombre)"


def test_raw_columns_take_the_dashboard_labels():
    from clients import field_descriptions

    assert label("AMT_CREDIT", "fr") == field_descriptions.label("AMT_CREDIT", "fr")
    assert label("NAME_EDUCATION_TYPE", "en") == field_descriptions.label(
        "NAME_EDUCATION_TYPE", "en"
    )


def test_every_feature_maps_back_to_existing_raw_fields():
    columns = {(table.name, column.name) for table in schema.TABLES for column in table.columns}
    for feature in FEATURE_NAMES:
        fields = raw_fields(feature)
        assert fields, feature
        for field in fields:
            table, _, column = field.partition(".")
            assert (table, column) in columns, (feature, field)
    assert raw_fields("APP_CREDIT_TO_INCOME") == [
        "application.AMT_CREDIT",
        "application.AMT_INCOME_TOTAL",
    ]
    assert raw_fields("NOT_A_FEATURE") == []


def test_value_kinds_drive_formatting():
    assert value_kind("AMT_CREDIT") == "amount"
    assert value_kind("APP_CREDIT_TO_INCOME") == "ratio"
    assert value_kind("INST_LATE_SHARE") == "share"
    assert value_kind("INST_LATE_COUNT") == "count"
    assert value_kind("EXT_SOURCE_2") == "score"
    assert value_kind("NAME_INCOME_TYPE") == "category"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("fr", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("EN", "en"), ("de", "en"), (None, "en")],
)
def test_languages_are_normalised(given, expected):
    assert normalise_language(given) == expected
