"""Scoring: asking for a score, and computing it (in a Celery worker)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import AnyUser, User
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.frames import application_digest, application_digests, tables_for_applications
from clients.models import Application
from explanations.payload import explanation_body
from ml.artifact import to_json_safe
from ml.features import build_features
from ml.predict import Explanation as ModelExplanation
from ml.predict import Prediction, ScoringModel
from scoring.models import Explanation, ModelVersion, Score, ShadowScore
from scoring.queueing import task_send_on_commit
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
    requested_by: AnyUser | None = None,
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
                    # An anonymous visitor, or the system: nobody to point to.
                    requested_by=requested_by
                    if isinstance(requested_by, User) and requested_by.pk
                    else None,
                    channel=channel,
                )
                created = True
        except IntegrityError:
            # Someone asked for the same score a moment ago: theirs is ours.
            score = _live_score(application=application, version=version, digest=digest)
            if score is None:  # theirs failed in between: let the caller try again
                raise
    if score.status == Score.Status.DONE and not score.is_current:
        _score_make_current(score)
    audit_event_record(
        actor=requested_by,
        action=AuditEvent.Action.SCORE_REQUESTED,
        application_id=application.pk,
        model_version=version.version,
        detail={"score": str(score.id), "new": created, "channel": str(channel)},
    )
    if created:
        from scoring.tasks import score_application_task

        task_send_on_commit(score_application_task, str(score.id))
    return score


def _score_make_current(score: Score) -> None:
    """Make a finished score its application's current one again.

    When a model is activated again after a rollback, its earlier scores are
    still valid (same data, same model) but a score of the rolled-back-to
    model was stored after them and is the current one: asking again for the
    earlier score must make it the one the pages show.
    """
    with transaction.atomic():
        _lock_applications([score.application_id])
        Score.objects.filter(application_id=score.application_id, is_current=True).exclude(
            pk=score.pk
        ).update(is_current=False)
        Score.objects.filter(pk=score.pk).update(is_current=True)
    score.is_current = True


def _lock_applications(application_ids: Sequence[int]) -> None:
    """Lock the applications' rows, in id order so that two writers cannot deadlock.

    Taken before changing which score is current: two workers storing scores
    of the same application at once would otherwise both make theirs current.
    """
    list(
        Application.objects.select_for_update()
        .filter(pk__in=application_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


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
    version = scores[0].model_version
    model = scoring_model_for(version)
    ids = list(dict.fromkeys(s.application_id for s in scores))
    tables = tables_for_applications(ids)
    # Built once: the champion and a challenger in shadow read the same features.
    built = build_features(tables)
    features = built.reindex(columns=model.feature_names)
    prediction = model.predict(features)
    explanation = model.explain(features)
    row_of = {sk_id: i for i, sk_id in enumerate(features.index)}
    shadow = _shadow_prediction(champion=version, built=built)
    _store(model, scores, row_of, prediction, explanation, shadow)


@dataclass(frozen=True)
class _Shadow:
    version: ModelVersion
    prediction: Prediction
    row_of: dict[int, int]


def _shadow_prediction(*, champion: ModelVersion, built: pd.DataFrame) -> _Shadow | None:
    """The challenger's predictions of the same applications, if one is in shadow.

    Only beside the serving version (a score of an older version asked again is
    not the champion's). A challenger that cannot be loaded never stops the
    champion's scoring: it is logged and skipped.
    """
    if not champion.is_active:
        return None
    challenger = ModelVersion.objects.filter(is_shadow=True).first()
    if challenger is None:
        return None
    try:
        model = scoring_model_for(challenger)
        features = built.reindex(columns=model.feature_names)
        prediction = model.predict(features)
    except Exception:  # the champion's score matters more than the comparison
        logger.exception("shadow scoring with model %s failed", challenger.version)
        return None
    return _Shadow(
        version=challenger,
        prediction=prediction,
        row_of={sk_id: i for i, sk_id in enumerate(features.index)},
    )


@transaction.atomic
def _store(
    model: ScoringModel,
    scores: list[Score],
    row_of: dict[int, int],
    prediction: Prediction,
    explanation: ModelExplanation,
    shadow: _Shadow | None = None,
) -> None:
    """Write the results of a group: its scores, their explanations, which one is current.

    Set-based on purpose (one statement per kind of write, not one per
    score): `score_applications` stores 1,000 scores at a time, and per-row
    ORM saves made storing 12.9 s of the 16 s a chunk took.
    """
    finished = timezone.now()
    application_ids = sorted({score.application_id for score in scores})
    _lock_applications(application_ids)
    Score.objects.filter(application_id__in=application_ids, is_current=True).exclude(
        pk__in=[score.pk for score in scores]
    ).update(is_current=False)
    # Within this group the last score of an application is its current one.
    last_of = {score.application_id: score.pk for score in scores}
    names = list(explanation.contributions.columns)
    contributions = explanation.contributions.to_numpy()
    # Plain Python values (NaN -> None) for the JSON column, converted once for the group.
    values = explanation.feature_values.astype(object)
    value_rows = values.where(values.notna(), None).to_dict(orient="records")
    rows = []
    for score in scores:
        i = row_of[score.application_id]
        score.is_current = last_of[score.application_id] == score.pk
        score.probability = float(prediction.probability[i])
        score.decision = str(prediction.decision[i])
        score.threshold = model.threshold
        score.status = Score.Status.DONE
        score.error = ""
        score.finished_at = finished
        rows.append(
            Explanation(
                score=score,
                base_value=explanation.base_value,
                raw_score=float(explanation.raw_score[i]),
                # Features the trees never used contribute exactly 0: leave them out.
                contributions={
                    name: value
                    for name, value in zip(names, contributions[i].tolist(), strict=True)
                    if value != 0.0
                },
                feature_values={name: to_json_safe(value) for name, value in value_rows[i].items()},
            )
        )
    if shadow is not None:
        # The challenger's score beside each: stored for the comparison page, never a decision.
        ShadowScore.objects.bulk_create(
            [
                ShadowScore(
                    score=score,
                    model_version=shadow.version,
                    probability=float(
                        shadow.prediction.probability[shadow.row_of[score.application_id]]
                    ),
                    would_decide=str(
                        shadow.prediction.decision[shadow.row_of[score.application_id]]
                    ),
                )
                for score in scores
            ],
            update_conflicts=True,
            unique_fields=["score"],
            update_fields=["model_version", "probability", "would_decide"],
        )
    # A score computed again (a redelivered task) replaces its explanation.
    Explanation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["score"],
        update_fields=["base_value", "raw_score", "contributions", "feature_values"],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE scoring_score AS s
            SET probability = v.probability, decision = v.decision, is_current = v.is_current,
                threshold = %(threshold)s, status = %(status)s, error = '',
                finished_at = %(finished)s
            FROM unnest(%(ids)s::uuid[], %(probabilities)s::float8[], %(decisions)s::text[],
                        %(current)s::boolean[]) AS v(id, probability, decision, is_current)
            WHERE s.id = v.id
            """,
            {
                "threshold": model.threshold,
                "status": Score.Status.DONE.value,
                "finished": finished,
                "ids": [score.pk for score in scores],
                "probabilities": [score.probability for score in scores],
                "decisions": [score.decision for score in scores],
                "current": [score.is_current for score in scores],
            },
        )


def score_fail(*, score_id: str, error: str) -> None:
    """Record that a score cannot be computed, with the reason shown to users."""
    Score.objects.filter(pk=score_id).exclude(status=Score.Status.DONE).update(
        status=Score.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def prediction_make(
    *,
    tables: Mapping[str, pd.DataFrame],
    actor: AnyUser | None,
    language: str = "en",
    top: int = 10,
) -> dict[str, Any]:
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
        # The same payload as a stored score's explanation (scoring.explanations).
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
            probability_of=lambda raw: float(model.probability_from_raw(np.array([raw]))[0]),
        ),
    }


@dataclass(frozen=True)
class PortfolioScoringReport:
    model_version: str
    scored: int
    failed: int
    seconds: float


def applications_score_unscored(
    *,
    chunk_size: int = 500,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> PortfolioScoringReport:
    """Score, in this process, every application without a current score by the active model.

    For an operator after an import or the activation of a new model (and
    for `make demo`), so that the portfolio shows a decision for every client
    without one Celery task each: chunks of `chunk_size` applications go
    through `scores_compute` (one model call per chunk, as the worker does).
    Applications already scored by the active model are left alone, so a
    second run has nothing to do. One audit event per chunk.
    """
    say = progress or (lambda message: None)
    version = active_model_version()
    started = time.perf_counter()
    scored_by_version = Score.objects.filter(
        application=OuterRef("pk"), is_current=True, model_version=version
    )
    todo = (
        Application.objects.filter(~Exists(scored_by_version))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(todo[:limit] if limit else todo)
    scored = failed = 0
    for first in range(0, len(ids), chunk_size):
        chunk = ids[first : first + chunk_size]
        scores = _scores_for(version=version, application_ids=chunk)
        scores_compute(score_ids=[str(score.pk) for score in scores])
        done = Score.objects.filter(
            pk__in=[score.pk for score in scores], status=Score.Status.DONE
        ).count()
        scored += done
        failed += len(scores) - done
        audit_event_record(
            actor=None,
            action=AuditEvent.Action.SCORE_REQUESTED,
            model_version=version.version,
            detail={"channel": str(Score.Channel.BATCH), "applications": len(chunk)},
        )
        elapsed = time.perf_counter() - started
        say(
            f"{first + len(chunk):,} of {len(ids):,} applications scored "
            f"({(first + len(chunk)) / elapsed:,.0f}/s)"
        )
    return PortfolioScoringReport(
        model_version=version.version,
        scored=scored,
        failed=failed,
        seconds=time.perf_counter() - started,
    )


def _scores_for(*, version: ModelVersion, application_ids: Sequence[int]) -> list[Score]:
    """A live score of `version` for each application: the existing one, or a new pending one.

    An application deleted since it was listed has no digest and is skipped.
    """
    digests = application_digests(application_ids)
    existing = {
        score.application_id: score
        for score in Score.objects.filter(
            application_id__in=application_ids, model_version=version
        ).exclude(status=Score.Status.FAILED)
        if score.input_digest == digests.get(score.application_id)
    }
    for score in existing.values():
        if score.status == Score.Status.DONE and not score.is_current:
            _score_make_current(score)
    new = Score.objects.bulk_create(
        [
            Score(
                application_id=sk_id,
                model_version=version,
                input_digest=digests[sk_id],
                channel=Score.Channel.BATCH,
            )
            for sk_id in application_ids
            if sk_id in digests and sk_id not in existing
        ]
    )
    return [*existing.values(), *new]
