"""reasons_for: plain-language sentences, in English and French, right for the sign."""

from __future__ import annotations

import math
import re

import pytest

from explanations import feature_labels
from explanations.reasons import (
    MIN_CONTRIBUTION,
    explain_feature,
    format_value,
    reasons_for,
)
from ml.features import FEATURE_NAMES
from scoring.models import Explanation

NNBSP = "\u202f"  # French thousands separator (and before %)

# --- a real explanation -----------------------------------------------------


@pytest.mark.django_db
def test_a_real_explanation_gets_reasons_in_both_languages(scored):
    explanation = Explanation.objects.get(score=scored())

    english = reasons_for(
        explanation.contributions, explanation.feature_values, language="en", top=3
    )
    french = reasons_for(
        explanation.contributions, explanation.feature_values, language="fr", top=3
    )

    for reasons in (english, french):
        assert set(reasons) == {"raising", "lowering"}
        assert reasons["raising"] and reasons["lowering"]
        assert len(reasons["raising"]) <= 3 and len(reasons["lowering"]) <= 3
    english_sentences = english["raising"] + english["lowering"]
    french_sentences = french["raising"] + french["lowering"]
    assert len(english_sentences) == len(french_sentences)
    assert not set(english_sentences) & set(french_sentences)
    assert all("risk" in sentence for sentence in english_sentences)
    assert all("risque" in sentence for sentence in french_sentences)
    # Decimal comma in French, never a decimal point (and the other way round).
    assert not any(re.search(r"\d\.\d", sentence) for sentence in french_sentences)
    assert not any(re.search(r"\d,\d{1,2}(?!\d)", sentence) for sentence in english_sentences)
    # No raw feature name leaks into what a client reads.
    assert not any(re.search(r"[A-Z]{2,}_[A-Z]", s) for s in english_sentences + french_sentences)


# --- the examples of the issue ----------------------------------------------


def test_the_credit_to_income_ratio_is_said_with_the_clients_value():
    values = {"APP_CREDIT_TO_INCOME": 5.2}

    english = reasons_for({"APP_CREDIT_TO_INCOME": 0.4}, values, language="en")
    french = reasons_for({"APP_CREDIT_TO_INCOME": 0.4}, values, language="fr")

    assert english["raising"] == [
        "The loan amount is 5.2 times your annual income, which increases the risk."
    ]
    assert french["raising"] == [
        "Le montant du crédit représente 5,2 fois votre revenu annuel, ce qui augmente le risque."
    ]


def test_the_sign_decides_between_raising_and_lowering():
    # The external scores are one fact, said with the three scores (issue 9: the one given
    # here, and the two this partial file leaves out as not provided).
    values = {"APP_CREDIT_TO_INCOME": 5.2, "EXT_SOURCE_2": 0.23}

    reasons = reasons_for(
        {"APP_CREDIT_TO_INCOME": 0.4, "EXT_SOURCE_2": -0.3}, values, language="en"
    )
    flipped = reasons_for(
        {"APP_CREDIT_TO_INCOME": -0.4, "EXT_SOURCE_2": 0.3}, values, language="fr"
    )

    assert reasons == {
        "raising": ["The loan amount is 5.2 times your annual income, which increases the risk."],
        "lowering": [
            "Your credit scores from external sources (scale 0-1) are 0.23 from source 2; "
            "sources 1 and 3 were not provided, which lowers the risk."
        ],
    }
    assert flipped == {
        "raising": [
            "Vos scores de crédit de sources externes (échelle de 0 à 1) sont de 0,23 pour la "
            "source 2 ; les sources 1 et 3 n’ont pas été renseignées, ce qui augmente le risque."
        ],
        "lowering": [
            "Le montant du crédit représente 5,2 fois votre revenu annuel, ce qui réduit le risque."
        ],
    }


def test_the_strongest_reasons_come_first_and_top_limits_them():
    contributions = {"APP_CREDIT_TO_INCOME": 0.1, "EXT_SOURCE_1": 0.5, "DAYS_BIRTH": 0.3}
    values = {
        "APP_CREDIT_TO_INCOME": 2.0,
        "EXT_SOURCE_1": 0.1,
        "EXT_SOURCE_2": 0.4,
        "EXT_SOURCE_3": 0.3,
        "DAYS_BIRTH": -9000.0,
    }

    reasons = reasons_for(contributions, values, language="en", top=2)

    assert reasons["raising"] == [
        "Your credit scores from external sources (scale 0-1) are 0.10 from source 1, "
        "0.40 from source 2, and 0.30 from source 3, which increases the risk.",
        "You are 24\u00a0years old, which increases the risk.",
    ]
    assert reasons["lowering"] == []


def test_contributions_too_small_to_matter_are_no_reason():
    reasons = reasons_for(
        {"APP_CREDIT_TO_INCOME": MIN_CONTRIBUTION / 2}, {"APP_CREDIT_TO_INCOME": 3.0}, language="en"
    )

    assert reasons == {"raising": [], "lowering": []}


def test_gender_is_never_given_as_a_reason_and_the_next_factor_takes_its_place():
    contributions = {
        "CODE_GENDER": 0.9,
        "APP_CREDIT_TO_INCOME": 0.2,
        "DAYS_BIRTH": 0.1,
        "EXT_SOURCE_3": -0.05,
    }
    values = {
        "CODE_GENDER": "M",
        "APP_CREDIT_TO_INCOME": 4.0,
        "DAYS_BIRTH": -10000.0,
        "EXT_SOURCE_3": 0.8,
    }

    for language in ("en", "fr"):
        reasons = reasons_for(contributions, values, language=language, top=2)
        sentences = " ".join(reasons["raising"] + reasons["lowering"]).lower()
        assert len(reasons["raising"]) == 2
        assert "gender" not in sentences and "sexe" not in sentences
        assert "homme" not in sentences and "male" not in sentences


def test_features_telling_the_same_story_are_said_once_per_direction():
    contributions = {"APP_EXT_SOURCE_MEAN": -0.5, "APP_EXT_SOURCE_MAX": -0.4, "DAYS_BIRTH": -0.1}
    values = {"APP_EXT_SOURCE_MEAN": 0.7, "APP_EXT_SOURCE_MAX": 0.8, "DAYS_BIRTH": -20000.0}

    reasons = reasons_for(contributions, values, language="en")

    # Without the three scores in this partial file, their average says the fact.
    assert reasons["lowering"] == [
        "The average of your external credit scores is 0.70 (scale 0-1), which lowers the risk.",
        "You are 54\u00a0years old, which lowers the risk.",
    ]


def test_a_fact_is_said_once_in_the_column_of_its_total():
    """Issue 9, client 100017: the highest external score raised the risk while their
    average lowered it, and the same score came out in both columns."""
    contributions = {"APP_EXT_SOURCE_MAX": 0.3, "APP_EXT_SOURCE_MEAN": -0.5, "DAYS_BIRTH": 0.1}
    values = {
        "EXT_SOURCE_1": 0.62,
        "EXT_SOURCE_2": 0.55,
        "EXT_SOURCE_3": None,
        "APP_EXT_SOURCE_MAX": 0.62,
        "APP_EXT_SOURCE_MEAN": 0.585,
        "DAYS_BIRTH": -12000.0,
    }

    reasons = reasons_for(contributions, values, language="en")

    assert reasons == {
        "raising": ["You are 32\u00a0years old, which increases the risk."],
        "lowering": [
            "Your credit scores from external sources (scale 0-1) are 0.62 from source 1 and "
            "0.55 from source 2; source 3 was not provided, which lowers the risk."
        ],
    }


# --- employment: the 365243 code ---------------------------------------------


def test_the_not_employed_code_is_said_as_not_employed():
    contributions = {"DAYS_EMPLOYED": 0.2}

    english = reasons_for(contributions, {"DAYS_EMPLOYED": 365243.0}, language="en")
    french = reasons_for(contributions, {"DAYS_EMPLOYED": 365243.0}, language="fr")

    assert english["raising"] == ["No current employment is declared, which increases the risk."]
    assert french["raising"] == ["Aucun emploi actuel n’est déclaré, ce qui augmente le risque."]
    assert format_value("DAYS_EMPLOYED", 365243, "en") == "not employed"


def test_a_pensioner_is_said_to_be_retired():
    values = {
        "APP_YEARS_EMPLOYED": None,
        "APP_NOT_EMPLOYED": 1.0,
        "NAME_INCOME_TYPE": "Pensioner",
    }

    reasons = reasons_for({"APP_YEARS_EMPLOYED": -0.2}, values, language="en")

    assert reasons["lowering"] == [
        "You are retired and have no current employment, which lowers the risk."
    ]


def test_years_in_employment_are_said_in_years_and_months():
    values = {"APP_YEARS_EMPLOYED": 2.25, "APP_NOT_EMPLOYED": 0.0, "DAYS_EMPLOYED": -822.0}

    english = reasons_for({"APP_YEARS_EMPLOYED": -0.2}, values, language="en")
    french = reasons_for({"APP_YEARS_EMPLOYED": -0.2}, values, language="fr")

    assert english["lowering"] == [
        "You have been in your current job for 2\u00a0years and 3\u00a0months, "
        "which lowers the risk."
    ]
    assert french["lowering"] == [
        "Vous occupez votre emploi actuel depuis 2\u00a0ans et 3\u00a0mois, "
        "ce qui réduit le risque."
    ]


# --- missing values -----------------------------------------------------------


@pytest.mark.parametrize("missing", [None, math.nan])
def test_a_client_without_bureau_history_is_told_so_once(missing):
    contributions = {
        "BUREAU_DAYS_CREDIT_MEAN": 0.3,
        "BUREAU_AMT_CREDIT_SUM_DEBT_SUM": 0.2,
        "APP_CREDIT_TO_INCOME": 0.1,
    }
    values = {
        "BUREAU_COUNT": missing,
        "BUREAU_DAYS_CREDIT_MEAN": missing,
        "BUREAU_AMT_CREDIT_SUM_DEBT_SUM": missing,
        "APP_CREDIT_TO_INCOME": 2.5,
    }

    english = reasons_for(contributions, values, language="en")
    french = reasons_for(contributions, values, language="fr")

    assert english["raising"] == [
        "No credit history is known at the credit bureau, which increases the risk.",
        "The loan amount is 2.5 times your annual income, which increases the risk.",
    ]
    assert french["raising"][0] == (
        "Aucun historique de crédit n’est connu au bureau de crédit, ce qui augmente le risque."
    )


def test_a_missing_external_score_is_said_as_unavailable():
    # Alone, the feature's sentence; as a reason, the fact says the value was not provided
    # and what the model does then (issue 9: "non renseigné" lowered the risk, unexplained).
    sentence, _topic = explain_feature("EXT_SOURCE_1", 0.2, {"EXT_SOURCE_1": None}, language="fr")
    reasons = reasons_for({"EXT_SOURCE_1": 0.2}, {"EXT_SOURCE_1": None}, language="fr")

    assert sentence == (
        "Aucun score de crédit de la source externe 1 n’est disponible, ce qui augmente le risque."
    )
    assert reasons["raising"] == [
        "Vos scores de crédit de sources externes : non renseigné (le modèle s’appuie alors sur "
        "vos autres données). Cela augmente le risque."
    ]


def test_a_value_not_provided_says_so_and_what_the_model_does_then():
    reasons = reasons_for({"OCCUPATION_TYPE": -0.2}, {"OCCUPATION_TYPE": None}, language="en")

    assert reasons["lowering"] == [
        "Your occupation: not provided (the model then relies on your other data). "
        "This lowers the risk."
    ]


def test_an_empty_part_of_an_existing_history_is_said_as_such():
    values = {
        "BUREAU_COUNT": 2.0,
        "BUREAU_ACTIVE_COUNT": 0.0,
        "BUREAU_ACTIVE_DAYS_CREDIT_MAX": None,
        "BUREAU_DAYS_CREDIT_MIN": -2000.0,
        "BUREAU_DAYS_CREDIT_MAX": -400.0,
    }

    # The feature alone says why it is empty; as a reason it is part of the fact "when your
    # bureau credits were opened", said with the client's dates.
    sentence, _topic = explain_feature("BUREAU_ACTIVE_DAYS_CREDIT_MAX", -0.2, values, language="en")
    reasons = reasons_for({"BUREAU_ACTIVE_DAYS_CREDIT_MAX": -0.2}, values, language="en")

    assert sentence == (
        "None of your credits reported by the credit bureau is still running, "
        "which lowers the risk."
    )
    assert reasons["lowering"] == [
        "Your oldest credit reported by the credit bureau was opened "
        "5\u00a0years and 6\u00a0months ago, the most recent 1\u00a0year and 1\u00a0month ago, "
        "which lowers the risk."
    ]


# --- categories and the generic sentence -------------------------------------


def test_a_category_is_named_with_its_readable_value():
    values = {"NAME_EDUCATION_TYPE": "Secondary / secondary special"}

    english = reasons_for({"NAME_EDUCATION_TYPE": 0.2}, values, language="en")
    french = reasons_for({"NAME_EDUCATION_TYPE": 0.2}, values, language="fr")

    assert english["raising"][0].startswith("Your education level (")
    assert english["raising"][0].endswith(") increases the risk.")
    assert french["raising"][0].startswith("Votre niveau d’études (")
    assert french["raising"][0].endswith(") augmente le risque.")


def test_a_feature_without_template_reads_as_label_value_and_effect():
    feature = "BUREAU_AMT_CREDIT_SUM_DEBT_MAX"
    values = {"BUREAU_COUNT": 3.0, feature: 312500.0}

    english = explain_feature(feature, 0.2, values, language="en")[0]
    french = explain_feature(feature, -0.2, values, language="fr")[0]

    assert (
        english == "Outstanding debt (highest, bureau credits): €312,500 — this increases the risk."
    )
    assert french == (
        f"Dette restante (maximum, crédits déclarés au bureau)\u00a0: 312{NNBSP}500\u00a0€ "
        "— cela réduit le risque."
    )


_SAMPLE_VALUE = {
    feature_labels.AMOUNT: 125000.0,
    feature_labels.RATIO: 1.35,
    feature_labels.SHARE: 0.42,
    feature_labels.COUNT: 3.0,
    feature_labels.DAYS: 12.0,
    feature_labels.DAYS_BEFORE: -800.0,
    feature_labels.MONTHS_BEFORE: -7.0,
    feature_labels.YEARS: 4.5,
    feature_labels.SCORE: 0.51,
    feature_labels.FLAG: 1.0,
    feature_labels.CATEGORY: "XNA",
    feature_labels.HOUR: 14.0,
    feature_labels.NUMBER: 0.37,
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_feature_reads_as_a_sentence_with_a_value_and_without(language):
    for feature in FEATURE_NAMES:
        if feature == "CODE_GENDER":
            continue
        value = _SAMPLE_VALUE[feature_labels.value_kind(feature)]
        for values in ({feature: value, "BUREAU_COUNT": 1.0}, {feature: None}):
            for contribution, effect in ((0.3, "augmente"), (-0.3, "réduit")):
                sentence, _ = explain_feature(feature, contribution, values, language=language)
                if language == "en":
                    effect = "increases" if contribution > 0 else "lowers"
                assert effect in sentence, (feature, sentence)
                assert feature not in sentence, sentence
                assert sentence.endswith("."), sentence


# --- formatting ----------------------------------------------------------------


# The number, amount, percentage and duration formats: tests/formatting.


def test_values_follow_the_kind_of_their_feature():
    assert format_value("EXT_SOURCE_3", 0.2345, "en") == "0.23 (scale 0-1)"
    assert format_value("EXT_SOURCE_3", 0.2345, "fr") == "0,23 (échelle de 0 à 1)"
    assert (
        format_value("DAYS_REGISTRATION", -400, "en")
        == "1\u00a0year and 1\u00a0month before the application"
    )
    assert format_value("INST_LATE_SHARE", 0.125, "fr") == f"13{NNBSP}%"  # a half rounds up
    assert format_value("AMT_CREDIT", None, "fr") == "non renseigné"
    assert format_value("NAME_CONTRACT_TYPE", "Cash loans", "en") != ""


# --- counts of zero, and of one -------------------------------------------------


def test_no_document_is_said_as_none_and_why_the_model_counts_it_in_the_clients_favour():
    """Issue of the portal's screenshots: "Vous avez fourni 0 document avec la demande, ce
    qui réduit le risque" read as a reward for giving nothing."""
    values = {"APP_DOCUMENT_COUNT": 0.0, "FLAG_DOCUMENT_3": 0.0}

    lowering = {
        language: reasons_for({"FLAG_DOCUMENT_3": -0.2}, values, language=language)["lowering"]
        for language in ("en", "fr")
    }
    raising = {
        language: reasons_for({"FLAG_DOCUMENT_3": 0.2}, values, language=language)["raising"]
        for language in ("en", "fr")
    }

    assert lowering == {
        "en": [
            "You provided no document with the application; in the past loans our model "
            "learned from, applications without a document were repaid more often, which "
            "lowers the risk."
        ],
        "fr": [
            "Vous n’avez fourni aucun document avec la demande ; dans les prêts passés sur "
            "lesquels notre modèle a appris, les demandes sans document ont été plus souvent "
            "remboursées, ce qui réduit le risque."
        ],
    }
    assert raising == {
        "en": ["You provided no document with the application, which increases the risk."],
        "fr": ["Vous n’avez fourni aucun document avec la demande, ce qui augmente le risque."],
    }


def test_documents_provided_are_still_counted():
    values = {"APP_DOCUMENT_COUNT": 2.0, "FLAG_DOCUMENT_3": 1.0}

    english = reasons_for({"FLAG_DOCUMENT_3": -0.2}, values, language="en")
    french = reasons_for({"FLAG_DOCUMENT_3": -0.2}, values, language="fr")

    assert english["lowering"] == [
        "You provided 2\u00a0documents with the application, which lowers the risk."
    ]
    assert french["lowering"] == [
        "Vous avez fourni 2\u00a0documents avec la demande, ce qui réduit le risque."
    ]


def test_a_document_provided_is_not_told_as_raising_the_risk_by_itself():
    values = {"APP_DOCUMENT_COUNT": 1.0, "FLAG_DOCUMENT_3": 1.0}

    english = reasons_for({"FLAG_DOCUMENT_3": 0.2}, values, language="en")
    french = reasons_for({"FLAG_DOCUMENT_3": 0.2}, values, language="fr")

    assert english["raising"] == [
        "You provided 1\u00a0document with the application; in the past loans our model learned "
        "from, applications with the same document were repaid less often, which increases "
        "the risk."
    ]
    assert french["raising"] == [
        "Vous avez fourni 1\u00a0document avec la demande ; dans les prêts passés sur lesquels "
        "notre modèle a appris, les demandes avec le même document ont été moins souvent "
        "remboursées, ce qui augmente le risque."
    ]


ZERO_AND_ONE = [
    pytest.param(
        "BUREAU_ACTIVE_COUNT",
        {"BUREAU_COUNT": 3.0, "BUREAU_ACTIVE_COUNT": 0.0},
        "The credit bureau reports 3 credits in your name, none of them still running",
        "Le bureau de crédit recense 3 crédits à votre nom, dont aucun n’est encore en cours",
        id="bureau-none-running",
    ),
    pytest.param(
        "BUREAU_ACTIVE_COUNT",
        {"BUREAU_COUNT": 1.0, "BUREAU_ACTIVE_COUNT": 0.0},
        "The credit bureau reports 1 credit in your name, no longer running",
        "Le bureau de crédit recense 1 crédit à votre nom, qui n’est plus en cours",
        id="bureau-one-not-running",
    ),
    pytest.param(
        "BUREAU_ACTIVE_COUNT",
        {"BUREAU_COUNT": 1.0, "BUREAU_ACTIVE_COUNT": 1.0},
        "The credit bureau reports 1 credit in your name, still running",
        "Le bureau de crédit recense 1 crédit à votre nom, toujours en cours",
        id="bureau-one-running",
    ),
    pytest.param(
        "POS_ACTIVE_LOANS_COUNT",
        {"POS_COUNT": 20.0, "POS_LOANS_COUNT": 2.0, "POS_ACTIVE_LOANS_COUNT": 2.0},
        "You have had 2 point-of-sale or cash loans with us, all still running",
        "Vous avez eu 2 prêts point de vente ou personnels chez nous, tous encore en cours",
        id="pos-all-running",
    ),
    pytest.param(
        "POS_ACTIVE_LOANS_COUNT",
        {"POS_COUNT": 20.0, "POS_LOANS_COUNT": 2.0, "POS_ACTIVE_LOANS_COUNT": 0.0},
        "You have had 2 point-of-sale or cash loans with us, none still running",
        "Vous avez eu 2 prêts point de vente ou personnels chez nous, dont aucun n’est "
        "encore en cours",
        id="pos-none-running",
    ),
    pytest.param(
        "PREV_APPROVED_COUNT",
        {"PREV_COUNT": 3.0, "PREV_APPROVED_COUNT": 0.0, "PREV_REFUSED_COUNT": 3.0},
        "You have made 3 previous applications with us: none approved, 3 refused",
        "Vous avez fait 3 demandes précédentes chez nous : aucune acceptée, 3 refusées",
        id="previous-none-approved",
    ),
    pytest.param(
        "PREV_APPROVED_COUNT",
        {"PREV_COUNT": 1.0, "PREV_APPROVED_COUNT": 1.0, "PREV_REFUSED_COUNT": 0.0},
        "You have made 1 previous application with us: 1 approved, none refused",
        "Vous avez fait 1 demande précédente chez nous : 1 acceptée, aucune refusée",
        id="previous-none-refused",
    ),
    pytest.param(
        "APP_CONTACT_COUNT",
        {"APP_CONTACT_COUNT": 0.0},
        "You gave none of the 6 ways of reaching you we ask for (phones, e-mail)",
        "Vous n’avez donné aucun des 6 moyens de vous joindre que nous demandons "
        "(téléphones, e-mail)",
        id="contacts-none",
    ),
    pytest.param(
        "OWN_CAR_AGE",
        {"FLAG_OWN_CAR": "Y", "OWN_CAR_AGE": 0.0},
        "Your car is less than a year old",
        "Votre voiture a moins d’un an",
        id="car-new",
    ),
    pytest.param(
        "INST_LATE_SHARE",
        {"INST_COUNT": 1.0, "INST_LATE_SHARE": 0.0, "INST_DPD_MAX": 0.0},
        "You paid your only instalment on previous loans with us on time",
        "Vous avez payé à temps votre unique échéance sur vos prêts précédents chez nous",
        id="one-instalment-on-time",
    ),
    pytest.param(
        "INST_UNDERPAID_SHARE",
        {"INST_COUNT": 1.0, "INST_UNDERPAID_SHARE": 0.0},
        "You paid the full amount due on your only instalment on previous loans with us",
        "Vous avez payé le montant dû en entier sur votre unique échéance de prêts "
        "précédents chez nous",
        id="one-instalment-paid-in-full",
    ),
    pytest.param(
        "BUREAU_CREDIT_DAY_OVERDUE_MAX",
        {"BUREAU_COUNT": 1.0, "BUREAU_CREDIT_DAY_OVERDUE_MAX": 0.0},
        "Your only credit reported by the credit bureau is not and was never overdue",
        "Votre unique crédit déclaré au bureau de crédit n’est pas et n’a jamais été en retard",
        id="one-bureau-credit-never-overdue",
    ),
]


def assert_raising_reason_reads(feature: str, values: dict, english: str, french: str) -> None:
    """The one reason `feature` raises, as it reads in English and in French."""
    reasons = {
        language: reasons_for({feature: 0.2}, values, language=language)["raising"]
        for language in ("en", "fr")
    }

    assert reasons == {
        "en": [f"{english}, which increases the risk."],
        "fr": [f"{french}, ce qui augmente le risque."],
    }


@pytest.mark.parametrize(("feature", "values", "english", "french"), ZERO_AND_ONE)
def test_a_count_of_zero_or_one_reads_as_words_not_as_a_figure(feature, values, english, french):
    assert_raising_reason_reads(feature, values, english, french)


ZERO_ALONE = [
    pytest.param(
        "BUREAU_ACTIVE_COUNT",
        {"BUREAU_COUNT": 2.0, "BUREAU_ACTIVE_COUNT": 0.0},
        "None of your credits reported by the credit bureau is still running",
        "Aucun de vos crédits déclarés au bureau de crédit n’est encore en cours",
        id="bureau-active",
    ),
    pytest.param(
        "PREV_APPROVED_COUNT",
        {"PREV_COUNT": 3.0, "PREV_APPROVED_COUNT": 0.0},
        "None of your previous applications with us was approved",
        "Aucune de vos demandes précédentes chez nous n’a été acceptée",
        id="previous-approved",
    ),
    pytest.param(
        "PREV_APPROVED_COUNT",
        {"PREV_COUNT": 1.0, "PREV_APPROVED_COUNT": 0.0},
        "Your only previous application with us was not approved",
        "Votre unique demande précédente chez nous n’a pas été acceptée",
        id="only-previous-not-approved",
    ),
    pytest.param(
        "APP_DOCUMENT_COUNT",
        {"APP_DOCUMENT_COUNT": 0.0},
        "You provided no document with the application",
        "Vous n’avez fourni aucun document avec la demande",
        id="documents",
    ),
]


@pytest.mark.parametrize(("feature", "values", "english", "french"), ZERO_ALONE)
def test_a_feature_alone_says_a_count_of_zero_in_words(feature, values, english, french):
    said = {
        language: explain_feature(feature, 0.2, values, language=language)[0]
        for language in ("en", "fr")
    }

    assert said == {
        "en": f"{english}, which increases the risk.",
        "fr": f"{french}, ce qui augmente le risque.",
    }


@pytest.mark.parametrize(
    ("feature", "values", "english", "french"),
    [
        ("DAYS_BIRTH", {"DAYS_BIRTH": -8800.0}, "You are 24\u00a0years old",
         "Vous avez 24\u00a0ans"),
        ("OWN_CAR_AGE", {"FLAG_OWN_CAR": "Y", "OWN_CAR_AGE": 1.0}, "Your car is 1\u00a0year old",
         "Votre voiture a 1\u00a0an"),
        ("OWN_CAR_AGE", {"FLAG_OWN_CAR": "Y", "OWN_CAR_AGE": 8.0}, "Your car is 8\u00a0years old",
         "Votre voiture a 8\u00a0ans"),
    ],
)  # fmt: skip
def test_an_age_keeps_its_number_and_its_word_on_one_line(feature, values, english, french):
    assert_raising_reason_reads(feature, values, english, french)


@pytest.mark.parametrize(
    ("feature", "values", "english", "french"),
    [
        ("CNT_CHILDREN", {"CNT_CHILDREN": 2.0}, "You have 2\u00a0children",
         "Vous avez 2\u00a0enfants"),
        ("CNT_FAM_MEMBERS", {"CNT_FAM_MEMBERS": 3.0}, "Your household has 3\u00a0people",
         "Votre foyer compte 3\u00a0personnes"),
        ("CNT_FAM_MEMBERS", {"CNT_CHILDREN": 2.0, "CNT_FAM_MEMBERS": 4.0},
         "You have 2\u00a0children, in a household of 4\u00a0people",
         "Vous avez 2\u00a0enfants, dans un foyer de 4\u00a0personnes"),
        ("APP_CREDIT_TERM", {"APP_CREDIT_TERM": 24.0},
         "The loan is repaid in about 24\u00a0instalments",
         "Le crédit est remboursé en 24\u00a0échéances environ"),
    ],
)  # fmt: skip
def test_a_count_keeps_its_number_and_its_word_on_one_line(feature, values, english, french):
    assert_raising_reason_reads(feature, values, english, french)
