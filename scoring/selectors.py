"""Reads of scores, decisions and model versions (the API and the user interfaces call these).

Scores are reached through their application, so the scoping rule of
`Application.objects.for_user` applies to them too: a score of a client one
may not see does not exist for them.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accounts.models import AnyUser
from clients.frames import application_digest
from clients.models import Application
from ml.predict import ScoringModel
from scoring.models import CreditDecision, ModelVersion, ReviewRequest, Score

# Finished scores: polling stops there.
FINISHED_STATUSES = (Score.Status.DONE, Score.Status.FAILED)
MODEL_CARD_FILE = "model_card.md"


def score_get_for_user(*, user: AnyUser, score_id: uuid.UUID | str) -> Score:
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


@dataclass(frozen=True)
class ScoreState:
    """The scoring side of one client page.

    `score`: the latest successful score (what the page explains), or None.
    `latest`: the most recent score of any status (pending/running: a worker
    is on it; failed: its error is shown). `active_version`: the model that
    would score now (None: scoring is unavailable). `is_stale`: the data or
    the active model changed since `score`, so "Score now" is offered again.
    """

    score: Score | None
    latest: Score | None
    active_version: ModelVersion | None
    is_stale: bool

    @property
    def in_progress(self) -> bool:
        return self.latest is not None and self.latest.status in (
            Score.Status.PENDING,
            Score.Status.RUNNING,
        )

    @property
    def failed(self) -> bool:
        return self.latest is not None and self.latest.status == Score.Status.FAILED

    @property
    def can_score(self) -> bool:
        """Whether "Score now" makes sense: a model serves and nothing newer is on its way."""
        return (
            self.active_version is not None
            and not self.in_progress
            and (self.score is None or self.is_stale or self.failed)
        )


def active_model_version_get() -> ModelVersion | None:
    """The model version that serves now, or None (the pages say so rather than fail)."""
    return ModelVersion.objects.filter(is_active=True).first()


def score_state_get(*, application: Application) -> ScoreState:
    """The latest score, the latest successful one, the active model, and whether it is stale.

    Two or three queries: the latest score (with its model), the latest done
    one when the latest is not done, the active model; plus the application's
    digest when there is a score to compare it with.
    """
    scores = Score.objects.select_related("model_version").filter(application=application)
    latest = scores.order_by("-created_at").first()
    if latest is None or latest.is_current:
        done = latest
    else:
        done = scores.filter(is_current=True).first()
    active = ModelVersion.objects.filter(is_active=True).first()
    stale = False
    if done is not None:
        stale = active is not None and (
            done.model_version_id != active.pk
            or done.input_digest != application_digest(application.pk)
        )
    return ScoreState(score=done, latest=latest, active_version=active, is_stale=stale)


def credit_decisions_for(*, application: Application, limit: int = 20) -> list[CreditDecision]:
    """The decisions recorded on `application`, the latest first."""
    return list(
        CreditDecision.objects.filter(application=application)
        .select_related("decided_by", "score")
        .order_by("-created_at")[:limit]
    )


def open_review_for(*, application: Application) -> ReviewRequest | None:
    """The client's open request for a review, if any."""
    return (
        ReviewRequest.objects.filter(
            application=application, status__in=ReviewRequest.OPEN_STATUSES
        )
        .order_by("created_at")
        .first()
    )


def current_scores(*, application_ids: list[int]) -> dict[int, dict[str, object]]:
    """The current score (decision, probability) of each application, in one query."""
    rows = Score.objects.filter(application_id__in=application_ids, is_current=True).values(
        "application_id", "decision", "probability"
    )
    return {row["application_id"]: dict(row) for row in rows}
