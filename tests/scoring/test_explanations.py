"""explanation_for_score and global_importance: payload, sums, cache (scoring/explanations.py)."""

from __future__ import annotations

import json
import math
import re

import pytest
from django.core.cache import cache

from explanations.feature_labels import has_label
from scoring.explanations import (
    ExplanationUnavailable,
    explanation_for_score,
    global_importance,
)
from scoring.models import Explanation, Score

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the test Redis database is ours alone)."""
    cache.clear()
    yield
    cache.clear()


def test_the_payload_holds_the_score_and_its_top_contributions(scored):
    score = scored()

    payload = explanation_for_score(score=score, language="en", top=5)

    assert payload["score_id"] == str(score.pk)
    assert payload["application_id"] == score.application_id
    assert payload["model_version"] == score.model_version.version
    assert payload["probability"] == pytest.approx(score.probability)
    assert payload["decision"] == score.decision
    assert payload["threshold"] == pytest.approx(score.threshold)
    assert payload["language"] == "en"
    assert len(payload["contributions"]) == 5
    sizes = [abs(row["contribution"]) for row in payload["contributions"]]
    assert sizes == sorted(sizes, reverse=True)
    for row in payload["contributions"]:
        assert set(row) == {
            "feature",
            "label",
            "value",
            "display_value",
            "contribution",
            "raw_fields",
        }
        assert row["raw_fields"], row["feature"]
        assert all("." in field for field in row["raw_fields"])
    json.dumps(payload)  # JSON-ready as it is


def test_values_are_given_raw_and_formatted_for_the_language(scored):
    score = scored()
    explanation = Explanation.objects.get(score=score)

    english = explanation_for_score(score=score, language="en", top=10_000)
    french = explanation_for_score(score=score, language="fr", top=10_000)

    for row_en, row_fr in zip(english["contributions"], french["contributions"], strict=True):
        assert row_en["feature"] == row_fr["feature"]
        assert row_en["value"] == explanation.feature_values[row_en["feature"]]
        assert row_en["display_value"] and row_fr["display_value"]
        assert not re.search(r"\d\.\d", row_fr["display_value"])  # decimal comma


def test_contributions_other_features_and_base_value_add_up_to_the_raw_score(scored):
    score = scored()

    for top in (0, 3, 10, 10_000):
        payload = explanation_for_score(score=score, top=top)
        total = (
            payload["base_value"]
            + math.fsum(row["contribution"] for row in payload["contributions"])
            + payload["other_features"]
        )
        assert total == pytest.approx(payload["raw_score"], abs=1e-6)


def test_the_second_call_is_served_from_the_cache_without_any_query(
    scored, django_assert_num_queries
):
    score = scored()
    first = explanation_for_score(score=score, language="fr", top=7)

    with django_assert_num_queries(0):
        second = explanation_for_score(score=score, language="fr", top=7)

    assert second == first


def test_the_cached_payload_survives_the_database_row(scored):
    score = scored()
    first = explanation_for_score(score=score, language="en")
    Explanation.objects.filter(score=score).delete()

    assert explanation_for_score(score=score, language="en") == first
    with pytest.raises(ExplanationUnavailable):  # another key: computed, and the row is gone
        explanation_for_score(score=score, language="fr")


def test_languages_and_sizes_are_cached_apart(scored):
    score = scored()

    english = explanation_for_score(score=score, language="en", top=3)
    french = explanation_for_score(score=score, language="fr-FR", top=3)
    longer = explanation_for_score(score=score, language="en", top=8)

    assert french["language"] == "fr"
    assert [row["label"] for row in english["contributions"]] != [
        row["label"] for row in french["contributions"]
    ]
    assert len(longer["contributions"]) == 8


def test_a_cache_that_is_down_costs_a_database_read_not_an_error(scored, monkeypatch, caplog):
    from redis.exceptions import ConnectionError as RedisConnectionError

    score = scored()
    expected = explanation_for_score(score=score, language="fr")

    class DownCache:
        def get(self, key):
            raise RedisConnectionError("connection refused")

        def set(self, key, value, timeout):
            raise RedisConnectionError("connection refused")

    monkeypatch.setattr("scoring.explanations.cache", DownCache())

    assert explanation_for_score(score=score, language="fr") == expected
    assert "explanation cache unavailable" in caplog.text


def test_a_score_without_explanation_is_refused_and_not_cached(
    active_model_version, imported_clients
):
    from clients.models import Application

    score = Score.objects.create(
        application=Application.objects.get(pk=imported_clients[0]),
        model_version=active_model_version,
        input_digest="x",
    )

    with pytest.raises(ExplanationUnavailable, match="pending"):
        explanation_for_score(score=score)
    with pytest.raises(ExplanationUnavailable):
        explanation_for_score(score=score)


def test_global_importance_is_sorted_labelled_and_cached(active_model_version, monkeypatch):
    rows = global_importance(model_version=active_model_version, language="fr", top=20)

    assert len(rows) == 20
    importances = [row["importance"] for row in rows]
    assert importances == sorted(importances, reverse=True)
    assert all(value >= 0 for value in importances)
    assert all(has_label(row["feature"]) for row in rows)
    assert all(row["label"] != row["feature"] for row in rows)

    def no_model(version):
        raise AssertionError("the model was loaded again instead of reading the cache")

    monkeypatch.setattr("scoring.registry.scoring_model_for", no_model)
    assert global_importance(model_version=active_model_version, language="fr", top=20) == rows
