"""Reads of scores and model versions (the API and the dashboard call these).

Scores are reached through their application, so the scoping rule of
`Application.objects.for_user` applies to them too: a score of a client one
may not see does not exist for them.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from clients.models import Application
from ml.predict import ScoringModel
from scoring.models import ModelVersion, Score

# Finished scores: polling stops there.
FINISHED_STATUSES = (Score.Status.DONE, Score.Status.FAILED)
MODEL_CARD_FILE = "model_card.md"


def score_get_for_user(*, user, score_id: uuid.UUID | str) -> Score:
    """The score `score_id` if `user` may see its application; else `Score.DoesNotExist`."""
    return (
        Score.objects.select_related("model_version", "requested_by")
        .filter(application__in=Application.objects.for_user(user))
        .get(pk=score_id)
    )


def score_latest_done(*, application: Application) -> Score | None:
    """The application's current score: its most recent successful one, any model version."""
    return (
        Score.objects.select_related("model_version")
        .filter(application=application, is_current=True)
        .first()
    )


def score_wait_until_finished(
    *,
    score_id: uuid.UUID | str,
    timeout: float,
    first_interval: float = 0.025,
    max_interval: float = 0.2,
) -> Score:
    """The score re-read until done or failed, `timeout` seconds at most.

    The pauses start short and grow by half each time up to `max_interval`:
    a worker that is free finishes a score in 60-80 ms, and a fixed 0.2 s
    step made every such answer wait 200 ms. Each read is one query by
    primary key, outside any transaction, so it sees what the worker
    committed. Returns the last state read, finished or not.
    """
    deadline = time.monotonic() + timeout
    interval = first_interval
    while True:
        score = Score.objects.select_related("model_version", "requested_by").get(pk=score_id)
        remaining = deadline - time.monotonic()
        if score.status in FINISHED_STATUSES or remaining <= 0:
            return score
        time.sleep(min(interval, remaining))
        interval = min(interval * 1.5, max_interval)


def model_version_card(
    *, version: ModelVersion, model: ScoringModel, importance: list[dict[str, Any]]
) -> dict[str, Any]:
    """Everything a reader needs to know about a model version (the /models/active payload).

    `importance` is the labelled global importance (scoring.explanations).
    """
    card_path = Path(model.artifact_dir) / MODEL_CARD_FILE
    return {
        "version": version.version,
        "artifact_hash": version.artifact_hash,
        "threshold": version.threshold,
        "cost_weights": {
            "false_negative": version.cost_false_negative,
            "false_positive": version.cost_false_positive,
        },
        "metrics": version.metrics,
        "trained_on": version.trained_on,
        "feature_count": len(version.feature_names),
        "created_at": version.created_at,
        "activated_at": version.activated_at,
        "global_importance": importance,
        "model_card": card_path.read_text(encoding="utf-8") if card_path.is_file() else "",
    }
