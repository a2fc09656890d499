"""scoring.0004 marks the latest successful score of each application already in the database."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("scoring", "0003_batch_jobs")]
AFTER = [("scoring", "0004_current_score")]


@pytest.fixture
def migrator(transactional_db):
    """Migrates scoring back to 0003 and, whatever happens, forward to the latest again."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_the_latest_done_score_of_each_application_becomes_current(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Application = apps.get_model("clients", "Application")
    ModelVersion = apps.get_model("scoring", "ModelVersion")
    Score = apps.get_model("scoring", "Score")
    now = timezone.now()
    version = ModelVersion.objects.create(
        version="v1", artifact_hash="h1", archive="a.tar.gz", threshold=0.1,
        cost_false_negative=10, cost_false_positive=1,
    )  # fmt: skip

    def score(application, status, minutes_ago):
        finished = now - timedelta(minutes=minutes_ago) if status == "done" else None
        return Score.objects.create(
            id=uuid.uuid4(), application=application, model_version=version,
            input_digest=uuid.uuid4().hex, status=status, finished_at=finished,
        )  # fmt: skip

    first = Application.objects.create(sk_id_curr=1)
    second = Application.objects.create(sk_id_curr=2)
    old = score(first, "done", 60)
    new = score(first, "done", 5)
    score(first, "failed", 1)  # a later failure does not count
    only_pending = score(second, "pending", 1)

    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    Score = migrator.loader.project_state(AFTER).apps.get_model("scoring", "Score")
    current = set(Score.objects.filter(is_current=True).values_list("id", flat=True))
    assert current == {new.id}
    assert old.id not in current and only_pending.id not in current
