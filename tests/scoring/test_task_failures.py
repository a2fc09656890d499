"""How the scoring tasks record a failure (scoring/tasks.py): what is retried, what is
recorded, what ends the task. The services are replaced: no database, no worker."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from ml.artifact import ArtifactError
from scoring import tasks


@pytest.fixture
def recorded(monkeypatch):
    failures: list[tuple[str, str]] = []
    monkeypatch.setattr(
        tasks, "score_fail", lambda *, score_id, error: failures.append((score_id, error))
    )
    return failures


def _computing_raises(monkeypatch, error: Exception) -> None:
    def compute(*, score_ids):
        raise error

    monkeypatch.setattr(tasks, "scores_compute", compute)


def test_an_unexpected_error_is_recorded_with_its_reason_and_raised(monkeypatch, recorded):
    _computing_raises(monkeypatch, ValueError("no income"))
    with pytest.raises(ValueError):
        tasks.score_application_task.run("s1")
    assert recorded == [("s1", "ValueError: no income")]


def test_an_unverified_model_is_recorded_and_ends_the_task_without_an_error(monkeypatch, recorded):
    _computing_raises(monkeypatch, ArtifactError("hash differs"))
    assert tasks.score_application_task.run("s2") == "s2"
    assert recorded == [("s2", tasks.MODEL_UNVERIFIED)]


def test_a_lost_database_is_left_to_the_retries_and_not_recorded_before_the_last(
    monkeypatch, recorded
):
    _computing_raises(monkeypatch, OperationalError("server closed the connection"))
    with pytest.raises(OperationalError):
        tasks.score_application_task.run("s3")
    assert recorded == []
