"""Scoring: asking for a score, and computing it (in a Celery worker)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.frames import application_digest, tables_for_applications
from clients.models import Application
from explanations.models import Explanation
from explanations.selectors import explanation_body
from ml.artifact import to_json_safe
from ml.predict import ScoringModel
from monitoring.models import AuditEvent
from monitoring.services import audit_event_record
from scoring.models import ModelVersion, Score
from scoring.registry import active_model_version, active_scoring_model, scoring_model_for

logger = logging.getLogger(__name__)


def _live_score(*, application: Application, version: ModelVersion, digest: str) -> Score | None:
    return (
        Score.objects.filter(application=application, model_version=version, input_digest=digest)
        .exclude(status=Score.Status.FAILED)
        .first()
    )


@transaction.atomic
def score_request(
    *,
    application: Application,
    requested_by=None,
    channel: Score.Channel = Score.Channel.SYSTEM,
) -> Score:
    """Ask for `application` to be scored by the active model.

    Idempotent: the same data scored by the same model gives back the score
    already asked for (pending, running or done). The worker is only told
    once the score row is committed, so it always finds it.
    """
    version = active_model_version()
    digest = application_digest(application.pk)
    score = _live_score(application=application, version=version, digest=digest)
    created = False
    if score is None:
        try:
            with transaction.atomic():
                score = Score.objects.create(
                    application=application,
                    model_version=version,
                    input_digest=digest,
                    requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                    channel=channel,
                )
                created = True
        except IntegrityError:
            # Someone asked for the same score a moment ago: theirs is ours.
            score = _live_score(application=application, version=version, digest=digest)
    audit_event_record(
        actor=requested_by,
        action=AuditEvent.Action.SCORE_REQUESTED,
        application_id=application.pk,
        model_version=version.version,
        detail={"score": str(score.id), "new": created, "channel": str(channel)},
    )
    if created:
        from scoring.tasks import score_application_task

        score_id = str(score.id)
        transaction.on_commit(lambda: score_application_task.delay(score_id))
    return score


def scores_compute(*, score_ids: Sequence[str]) -> list[Score]:
    """Compute the pending scores `score_ids` (one model call for all of them).

    Scores of several model versions are grouped by version. A score already
    done is left as it is (a redelivered task does no harm).
    """
    scores = list(
        Score.objects.select_related("model_version")
        .filter(pk__in=list(score_ids))
        .exclude(status=Score.Status.DONE)
    )
    by_version: dict[int, list[Score]] = {}
    for score in scores:
        by_version.setdefault(score.model_version_id, []).append(score)
    for group in by_version.values():
        _compute_group(group)
    return scores


def _compute_group(scores: list[Score]) -> None:
    now = timezone.now()
    Score.objects.filter(pk__in=[s.pk for s in scores]).update(
        status=Score.Status.RUNNING, started_at=now
    )
    model = scoring_model_for(scores[0].model_version)
    ids = list(dict.fromkeys(s.application_id for s in scores))
    tables = tables_for_applications(ids)
    features = model.features(tables)
    prediction = model.predict(features)
    explanation = model.explain(features)
    row_of = {sk_id: i for i, sk_id in enumerate(features.index)}
    _store(model, scores, row_of, prediction, explanation)


@transaction.atomic
def _store(model: ScoringModel, scores, row_of, prediction, explanation) -> None:
    finished = timezone.now()
    application_ids = sorted({score.application_id for score in scores})
    # Two workers storing scores of the same application at once would both
    # try to make theirs the current one; locking the applications (in id
    # order, so two batches cannot deadlock) makes the second wait for the first.
    list(
        Application.objects.select_for_update()
        .filter(pk__in=application_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Score.objects.filter(application_id__in=application_ids, is_current=True).exclude(
        pk__in=[score.pk for score in scores]
    ).update(is_current=False)
    # Within this group the last score of an application is its current one.
    last_of = {score.application_id: score.pk for score in scores}
    for score in scores:
        score.is_current = last_of[score.application_id] == score.pk
        i = row_of[score.application_id]
        score.probability = float(prediction.probability[i])
        score.decision = str(prediction.decision[i])
        score.threshold = model.threshold
        score.status = Score.Status.DONE
        score.error = ""
        score.finished_at = finished
        contributions = explanation.contributions.iloc[i]
        values = explanation.feature_values.iloc[i]
        Explanation.objects.update_or_create(
            score=score,
            defaults={
                "base_value": explanation.base_value,
                "raw_score": float(explanation.raw_score[i]),
                # Features the trees never used contribute exactly 0: leave them out.
                "contributions": {
                    name: float(value) for name, value in contributions.items() if value != 0.0
                },
                "feature_values": {name: to_json_safe(values[name]) for name in values.index},
            },
        )
    Score.objects.bulk_update(
        scores,
        ["probability", "decision", "threshold", "status", "error", "finished_at", "is_current"],
    )


def score_fail(*, score_id: str, error: str) -> None:
    """Record that a score cannot be computed, with the reason shown to users."""
    Score.objects.filter(pk=score_id).exclude(status=Score.Status.DONE).update(
        status=Score.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def prediction_make(*, tables: dict, actor, language: str = "en", top: int = 10) -> dict[str, Any]:
    """Score one application given as `ml` tables, in this process, storing nothing about it.

    The stateless /predict of the API: no Application, Score or Explanation
    row is written; the audit trail records who asked and with which model,
    never the data. Raises `NoActiveModel` or `ArtifactError` when no model
    can serve.
    """
    version, model = active_scoring_model()
    features = model.features(tables)
    prediction = model.predict(features)
    explanation = model.explain(features)
    row = explanation.feature_values.iloc[0]
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.PREDICTION_MADE,
        model_version=version.version,
        detail={"channel": str(Score.Channel.API), "tables": sorted(tables)},
    )
    sk_id = int(features.index[0])
    return {
        "sk_id_curr": sk_id or None,
        "probability": float(prediction.probability[0]),
        "decision": str(prediction.decision[0]),
        "threshold": model.threshold,
        "model_version": version.version,
        # The same payload as a stored score's explanation (explanations.selectors).
        "explanation": explanation_body(
            contributions={
                name: float(value)
                for name, value in explanation.contributions.iloc[0].items()
                if value != 0.0  # as stored: features the trees never used are left out
            },
            feature_values={name: to_json_safe(row[name]) for name in row.index},
            base_value=explanation.base_value,
            raw_score=float(explanation.raw_score[0]),
            language=language,
            top=top,
        ),
    }
