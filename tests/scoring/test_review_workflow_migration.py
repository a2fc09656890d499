"""scoring.0008 carries the review requests already in the database into the new workflow."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scoring.models import one_month_after

BEFORE = [("scoring", "0007_model_version_labels")]
AFTER = [("scoring", "0008_review_workflow")]


@pytest.fixture
def migrator(transactional_db):
    """Migrates scoring back to 0007 and, whatever happens, forward to the latest again."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_open_requests_become_received_and_resolved_ones_answered_due_a_month_after(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Application = apps.get_model("clients", "Application")
    ReviewRequest = apps.get_model("scoring", "ReviewRequest")
    asked = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    waiting = ReviewRequest.objects.create(
        application=Application.objects.create(sk_id_curr=1), message="Please."
    )
    closed = ReviewRequest.objects.create(
        application=Application.objects.create(sk_id_curr=2),
        message="Done.",
        status="resolved",
        resolved_at=asked,
    )
    ReviewRequest.objects.filter(pk=waiting.pk).update(created_at=asked)

    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    ReviewRequest = migrator.loader.project_state(AFTER).apps.get_model("scoring", "ReviewRequest")
    after = {review.pk: review for review in ReviewRequest.objects.all()}
    assert after[waiting.pk].status == "received"
    assert (
        after[waiting.pk].due_at
        == one_month_after(asked)
        == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    )
    assert after[closed.pk].status == "answered"


def test_the_migration_goes_back_with_requests_in_the_database(migrator):
    migrator.loader.build_graph()
    migrator.migrate(AFTER)
    apps = migrator.loader.project_state(AFTER).apps
    Application = apps.get_model("clients", "Application")
    ReviewRequest = apps.get_model("scoring", "ReviewRequest")
    review = ReviewRequest.objects.create(
        application=Application.objects.create(sk_id_curr=3), message="Please.", status="in_review"
    )

    migrator.loader.build_graph()
    migrator.migrate(BEFORE)

    ReviewRequest = migrator.loader.project_state(BEFORE).apps.get_model("scoring", "ReviewRequest")
    assert ReviewRequest.objects.get(pk=review.pk).status == "open"
