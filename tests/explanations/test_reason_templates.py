"""Every reason template reads as French in French: translated, nothing left in English,
numbers written the French way (the sentences come from the gettext catalogues)."""

from __future__ import annotations

import re

import pytest

from clients import field_descriptions
from explanations import feature_labels
from explanations.reasons import explain_feature, templated_features
from ml.features import FEATURE_NAMES

# Words that are English and never French: one of them in a French sentence means a
# message (or a piece of one) was left untranslated.
ENGLISH_ONLY = {
    "the", "your", "you", "which", "with", "risk", "increases", "lowers", "and", "of", "is",
    "are", "was", "were", "not", "day", "days", "month", "months", "year", "years", "credits",
    "loan", "loans", "scale", "ago", "before", "after", "known", "this", "have", "has",
}  # fmt: skip

_TYPICAL = {
    feature_labels.AMOUNT: 125000.0,
    feature_labels.RATIO: 1.35,
    feature_labels.SHARE: 0.42,
    feature_labels.COUNT: 3.0,
    feature_labels.DAYS: 12.5,
    feature_labels.DAYS_BEFORE: -800.0,
    feature_labels.MONTHS_BEFORE: -7.0,
    feature_labels.YEARS: 4.5,
    feature_labels.SCORE: 0.51,
    feature_labels.FLAG: 1.0,
    feature_labels.HOUR: 14.0,
    feature_labels.NUMBER: 2.37,
}


def _typical_value(feature: str) -> object:
    kind = feature_labels.value_kind(feature)
    if kind == feature_labels.CATEGORY:
        known = [v for v in field_descriptions.known_values(feature) if v != "XNA"]
        return known[0] if known else "XNA"
    return _TYPICAL[kind]


TYPICAL_CLIENT = {feature: _typical_value(feature) for feature in FEATURE_NAMES}


def _sentences(feature: str, values: dict[str, object]) -> dict[str, list[str]]:
    return {
        language: [
            explain_feature(feature, contribution, values, language=language)[0]
            for contribution in (0.3, -0.3)
        ]
        for language in ("en", "fr")
    }


CASES = [
    pytest.param(feature, missing, id=f"{feature}-{'missing' if missing else 'typical'}")
    for feature in templated_features()
    for missing in (False, True)
]


@pytest.mark.parametrize(("feature", "missing"), CASES)
def test_every_template_reads_as_french_in_french(feature, missing):
    values = dict(TYPICAL_CLIENT)
    if missing:
        values[feature] = None
    said = _sentences(feature, values)

    for english, french in zip(said["en"], said["fr"], strict=True):
        assert french != english
        left_in_english = set(re.findall(r"[a-z]+", french.lower())) & ENGLISH_ONLY
        assert not left_in_english, (french, left_in_english)
        assert not re.search(r"\d\.\d", french), french  # a decimal comma in French
        assert not re.search(r"\d,\d{1,2}(?!\d)", english), english
        assert french.endswith("risque."), french


def test_every_section_registers_templates():
    """The package's sections are all imported (a forgotten import would silently fall back
    to the generic sentence for its features)."""
    features = set(templated_features())
    for expected in (
        "APP_CREDIT_TO_INCOME",  # credit
        "CNT_CHILDREN",  # household
        "DAYS_EMPLOYED",  # employment
        "EXT_SOURCE_1",  # external scores
        "BUREAU_COUNT",  # bureau
        "PREV_COUNT",  # previous applications
        "INST_DPD_MAX",  # repayment
        "CC_UTILISATION_MEAN",  # cards
    ):
        assert expected in features
