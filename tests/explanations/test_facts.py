"""Client facts (explanations/facts.py): one fact, one sentence, one sign (issue 9).

The properties are checked on a few hundred synthetic clients explained by the
session's trained model (tests/conftest.py), in both languages: no fact in both
columns, a fact's contribution is its features' sum, the waterfall draws the
same facts with the same signs in the same order, every sentence states the
client's value (or that it was not provided), never a bare feature name.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from dashboard import charts
from explanations import facts
from explanations.payload import explanation_body
from explanations.reasons.core import (
    MIN_CONTRIBUTION,
    OMITTED_FACTS,
    explain_fact,
    fact_templates,
)
from ml.artifact import to_json_safe
from ml.features import FEATURE_NAMES

CLIENTS = 300
NOT_PROVIDED = {"en": "not provided", "fr": "non renseigné"}


# -- the table -------------------------------------------------------------------------


def test_every_feature_belongs_to_exactly_one_fact_of_the_table():
    # A feature the table does not know falls back to a fact of its raw fields: none may.
    fallback = [feature for feature in FEATURE_NAMES if facts.fact_of(feature).startswith("field:")]
    assert fallback == [], f"give these features a fact in explanations/facts.py: {fallback}"
    members = [feature for key in facts.facts() for feature in facts.members(key)]
    assert sorted(members) == sorted(FEATURE_NAMES)  # each once: no feature in two facts


def test_the_table_names_only_features_the_model_has():
    # A feature renamed or removed in ml.features must leave the table too.
    assert facts.named_features() - set(FEATURE_NAMES) == set()


def test_engineered_features_join_the_fact_of_their_raw_fields():
    assert facts.fact_of("APP_EXT_SOURCE_MEAN") == facts.fact_of("EXT_SOURCE_1")
    assert facts.fact_of("APP_CREDIT_TO_INCOME") == facts.fact_of("AMT_CREDIT")
    assert facts.fact_of("APP_CREDIT_MINUS_GOODS") == facts.fact_of("AMT_GOODS_PRICE")
    # Every statistic and scope of one bureau input is one fact.
    assert {
        facts.fact_of(feature)
        for feature in ("BUREAU_BB_LATE_SHARE_MEAN", "BUREAU_BB_LATE_MONTHS_SUM")
        + ("BUREAU_ACTIVE_BB_LATE_SHARE_MEAN", "BUREAU_CLOSED_BB_LATE_SHARE_MEAN")
    } == {"bureau_late_months"}


def test_every_fact_has_a_sentence_but_gender():
    assert set(facts.facts()) - set(fact_templates()) == OMITTED_FACTS


def test_a_client_without_a_history_table_has_one_fact_for_it():
    contributions = {"BUREAU_DAYS_CREDIT_MEAN": 0.3, "BUREAU_BB_LATE_SHARE_MEAN": -0.1}
    grouped = facts.facts_of_client(contributions, {"BUREAU_COUNT": None})
    assert [(fact.key, fact.contribution) for fact in grouped] == [
        ("no_bureau_history", pytest.approx(0.2))
    ]


# -- a few hundred clients of the trained model -------------------------------------------


@pytest.fixture(scope="module")
def explained(trained_artifact, synthetic_training_tables):
    """(contributions, feature values, base value, raw scores, probability_of) of CLIENTS
    synthetic clients explained by the session's model, as stored for a score."""
    from ml.predict import load_model

    model = load_model(trained_artifact)
    features = model.features(synthetic_training_tables).head(CLIENTS)
    explanation = model.explain(features)
    rows = []
    values = explanation.feature_values.to_dict("records")
    for position, (_, row) in enumerate(explanation.contributions.iterrows()):
        contributions = {name: float(value) for name, value in row.items() if value != 0.0}
        stored = {name: to_json_safe(value) for name, value in values[position].items()}
        rows.append((contributions, stored, float(explanation.raw_score[position])))

    def probability_of(raw: float) -> float:
        return float(model.probability_from_raw(np.asarray([raw]))[0])

    return rows, explanation.base_value, probability_of


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_hundreds_of_clients_a_fact_is_said_once_with_one_sign(explained, language):
    rows, base_value, probability_of = explained
    for contributions, values, raw_score in rows:
        body = explanation_body(
            contributions=contributions,
            feature_values=values,
            base_value=base_value,
            raw_score=raw_score,
            language=language,
            top=10,
            probability_of=probability_of,
        )
        listed = body["facts"]
        keys = [row["key"] for row in listed]
        assert len(keys) == len(set(keys))  # each fact once
        raising = {row["key"] for row in listed if row["is_reason"] and row["contribution"] > 0}
        lowering = {row["key"] for row in listed if row["is_reason"] and row["contribution"] < 0}
        assert not raising & lowering
        said = body["reasons"]["raising"] + body["reasons"]["lowering"]
        assert len(said) == len(set(said))  # no sentence twice, in one column or across
        # The reasons are the facts marked as such, in the column of their total, in order.
        for direction in ("raising", "lowering"):
            assert body["reasons"][direction] == [
                row["sentence"]
                for row in listed
                if row["is_reason"] and row["direction"] == direction
            ]
        for row in listed:
            assert (row["contribution"] > 0) == (row["direction"] == "raising")
            assert row["is_reason"] <= (abs(row["contribution"]) >= MIN_CONTRIBUTION)


def test_a_facts_contribution_is_the_sum_of_its_features_and_all_add_up(explained):
    rows, base_value, probability_of = explained
    for contributions, values, raw_score in rows:
        grouped = facts.facts_of_client(contributions, values)
        for fact in grouped:
            assert fact.contribution == pytest.approx(math.fsum(v for _, v in fact.members))
            members = {feature for feature, _ in fact.members}
            assert {facts.client_fact_of(f, facts.absent_histories(values)) for f in members} == {
                fact.key
            }
        assert sum(len(fact.members) for fact in grouped) == len(contributions)
        total = math.fsum(fact.contribution for fact in grouped)
        assert base_value + total == pytest.approx(raw_score, abs=1e-6)
        # Strongest first.
        sizes = [abs(fact.contribution) for fact in grouped]
        assert sizes == sorted(sizes, reverse=True)


def test_the_waterfall_draws_the_facts_with_their_signs_in_their_order(explained):
    rows, base_value, probability_of = explained
    with translation.override("en"):
        for contributions, values, raw_score in rows[:100]:
            body = explanation_body(
                contributions=contributions,
                feature_values=values,
                base_value=base_value,
                raw_score=raw_score,
                language="en",
                top=10,
                probability_of=probability_of,
            )
            trace = charts.explanation_waterfall(body).spec["data"][0]
            bars = trace["x"][1:-2]
            assert [label.replace("<br>", " ") for label in trace["y"][1:-2]] == [
                row["label"] for row in body["facts"]
            ]
            assert [np.sign(bar) for bar in bars] == [
                np.sign(row["contribution"]) for row in body["facts"]
            ]
            assert [abs(bar) for bar in bars] == sorted((abs(bar) for bar in bars), reverse=True)
            # From the average client's probability to this client's, exactly.
            assert trace["base"] + sum(trace["x"]) == pytest.approx(
                100 * probability_of(raw_score), abs=1e-6
            )


FEATURE_NAME = re.compile(r"[A-Z]{2,}_[A-Z]")
# Values said in words: a none ("was not consulted", "never showed a delay"), a one ("your
# only instalment") or a date ("on the day of the application").
WORDED_VALUE = {
    "en": re.compile(r"\b(no|not|none|never|nothing|only|on the day of)\b", re.I),
    "fr": re.compile(r"\b(aucun|aucune|pas|jamais|personne|rien|ni|unique|le jour de)\b", re.I),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_sentence_states_the_clients_value_never_a_feature_name(explained, language):
    rows, _base_value, _probability_of = explained
    for contributions, values, _raw_score in rows:
        for fact in facts.facts_of_client(contributions, values):
            if fact.key in OMITTED_FACTS:
                continue
            sentence = explain_fact(fact, values, language=language)
            assert not FEATURE_NAME.search(sentence), sentence
            # The generic "<label>: <value> — this increases the risk" never stands in.
            assert " — " not in sentence, sentence
            # A value: a number, a category in parentheses, "not provided", or a value said
            # in words (WORDED_VALUE); "You own a car" is the one yes said in words.
            assert (
                re.search(r"\d", sentence)
                or "(" in sentence
                or NOT_PROVIDED[language] in sentence
                or WORDED_VALUE[language].search(sentence)
                or fact.key == "car"
            ), sentence


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_value_not_provided_says_so_and_what_the_model_does(explained, language):
    rows, _base_value, _probability_of = explained
    contributions, values, _raw_score = rows[0]
    application_facts = [
        key for key, spec in facts.facts().items() if spec.history is None and key != "gender"
    ]
    for key in application_facts:
        blank = dict(values)
        for feature in facts.members(key):
            blank[feature] = None
        fact = facts.FactContribution(key=key, contribution=0.2, members=((key, 0.2),))
        sentence = explain_fact(fact, blank, language=language)
        assert NOT_PROVIDED[language] in sentence, (key, sentence)
        assert ("other data" if language == "en" else "autres données") in sentence


def test_the_importance_of_facts_is_their_mean_absolute_contribution():
    contributions = pd.DataFrame(
        {
            "EXT_SOURCE_1": [0.5, -0.2],
            "APP_EXT_SOURCE_MEAN": [-0.1, -0.2],
            "BUREAU_DAYS_CREDIT_MEAN": [0.3, 0.1],
        }
    )
    values = pd.DataFrame({"BUREAU_COUNT": [2.0, np.nan]})
    importance = facts.mean_absolute_contributions(contributions, values)
    assert importance["external_scores"] == pytest.approx((0.4 + 0.4) / 2)
    assert importance["bureau_dates"] == pytest.approx(0.3 / 2)
    assert importance["no_bureau_history"] == pytest.approx(0.1 / 2)
