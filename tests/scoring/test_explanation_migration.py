"""scoring.0005 takes the Explanation model over from the explanations app, rows included."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scoring", "0004_current_score"), ("explanations", "0001_initial")]
AFTER = [("scoring", "0005_explanation")]


@pytest.fixture
def migrator(transactional_db):
    """Puts Explanation back in its old app and, whatever happens, migrates to the latest."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_the_stored_explanations_are_read_by_the_scoring_model(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Application = apps.get_model("clients", "Application")
    ModelVersion = apps.get_model("scoring", "ModelVersion")
    Score = apps.get_model("scoring", "Score")
    OldExplanation = apps.get_model("explanations", "Explanation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="explanations", model="explanation")
    version = ModelVersion.objects.create(
        version="v1", artifact_hash="h1", archive="a.tar.gz", threshold=0.1,
        cost_false_negative=10, cost_false_positive=1,
    )  # fmt: skip
    score = Score.objects.create(
        id=uuid.uuid4(), application=Application.objects.create(sk_id_curr=1),
        model_version=version, input_digest="d", status="done",
    )  # fmt: skip
    old = OldExplanation.objects.create(
        score=score, base_value=-2.0, raw_score=-1.5,
        contributions={"EXT_SOURCE_2": 0.5}, feature_values={"EXT_SOURCE_2": 0.3},
    )  # fmt: skip

    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    apps = migrator.loader.project_state(AFTER).apps
    Explanation = apps.get_model("scoring", "Explanation")
    moved = Explanation.objects.get(score_id=score.pk)
    assert moved.pk == old.pk
    assert (moved.base_value, moved.raw_score) == (-2.0, -1.5)
    assert moved.contributions == {"EXT_SOURCE_2": 0.5}
    assert moved.feature_values == {"EXT_SOURCE_2": 0.3}
    assert moved.created_at == old.created_at
    tables = connection.introspection.table_names()
    assert "scoring_explanation" in tables and "explanations_explanation" not in tables
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="scoring", model="explanation").exists()
    assert not ContentType.objects.filter(app_label="explanations", model="explanation").exists()
