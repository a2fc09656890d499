"""Reads of the monitoring dashboard: the scored applications of a window, and their figures.

The figures are computed by the plain-Python maths of `ml.monitoring` (PSI,
stability, expected and realised performance, fairness) from two frames read
here:

* the scores of the window (`scored_applications_frame`): one row per scored
  application, its latest successful score in the window (an application
  scored twice counts once, as its last scoring), with the model's decision,
  the threshold it was decided at, whether an advisor overrode it, TARGET
  when the outcome is known, and the two attributes fairness groups by;
* the feature values the model saw for the most important features
  (`scored_features_frame`, from the scores' explanations).

The reference is the active model's artifact: its training sample with the
out-of-fold probabilities (what the scores should look like) and its
training figures. `monitoring_dashboard_compute` takes seconds: a worker runs
it and stores the result (`DashboardFigures`, monitoring/dashboard_figures.py);
the page reads that row, and `monitoring_dashboard_state` (one query) tells it
whether a new score or decision has made the row out of date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from ml.monitoring import (
    expected_performance,
    fairness_report,
    feature_stability,
    performance_by_period,
    population_stability_index,
    stability_by_period,
    training_figures,
)
from ml.monitoring.performance import period_start
from monitoring.models import DashboardFigures
from scoring.models import CreditDecision, Explanation, ModelVersion, Score
from scoring.registry import scoring_model_for

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The important features whose stability the dashboard shows.
TOP_FEATURES = 10
DEFAULT_WEEKS = 12
WEEK = "W"
DAY = "D"


@dataclass(frozen=True)
class Window:
    """The days the dashboard looks at, both included (dates in the site's time zone)."""

    since: dt.date
    until: dt.date

    @classmethod
    def last_weeks(cls, weeks: int = DEFAULT_WEEKS, *, today: dt.date | None = None) -> Window:
        today = today or timezone.localdate()
        return cls(since=today - dt.timedelta(weeks=weeks) + dt.timedelta(days=1), until=today)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end): midnight of `since` to midnight after `until`, aware."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.since, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end


class _ScoredAt(TypedDict):
    scored_at: dt.datetime


def _window_scores(window: Window) -> QuerySet[WithAnnotations[Score, _ScoredAt]]:
    start, end = window.bounds()
    return (
        Score.objects.filter(status=Score.Status.DONE, probability__isnull=False)
        .annotate(scored_at=Coalesce("finished_at", "created_at"))
        .filter(scored_at__gte=start, scored_at__lt=end)
    )


def _latest_per_application(window: Window) -> QuerySet[WithAnnotations[Score, _ScoredAt]]:
    # DISTINCT ON keeps each application's last score of the window.
    return (
        _window_scores(window).order_by("application_id", "-scored_at").distinct("application_id")
    )


def scored_applications_frame(*, window: Window) -> pd.DataFrame:
    """One row per application scored in `window` (its last score there), oldest first.

    Columns: score_id, application_id, scored_at (UTC), probability, decision
    (the model's), threshold, model_version, overridden (an advisor's final
    decision on that score differs from the model's), TARGET (0/1, NaN while
    unknown), CODE_GENDER, DAYS_BIRTH.
    """
    overrides = CreditDecision.objects.filter(score_id=OuterRef("pk"), is_override=True)
    rows = list(
        _latest_per_application(window)
        .annotate(
            overridden=Exists(overrides),
            version_name=F("model_version__version"),
            target=F("application__target"),
            code_gender=F("application__code_gender"),
            days_birth=F("application__days_birth"),
        )
        .values_list(
            "pk",
            "application_id",
            "scored_at",
            "probability",
            "decision",
            "threshold",
            "version_name",
            "overridden",
            "target",
            "code_gender",
            "days_birth",
        )
    )
    columns = [
        "score_id",
        "application_id",
        "scored_at",
        "probability",
        "decision",
        "threshold",
        "model_version",
        "overridden",
        "TARGET",
        "CODE_GENDER",
        "DAYS_BIRTH",
    ]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["scored_at"] = pd.to_datetime(frame["scored_at"], utc=True)
    for name in ("probability", "threshold", "TARGET", "DAYS_BIRTH"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float64)
    frame["overridden"] = frame["overridden"].astype(bool)
    return frame.sort_values("scored_at", kind="stable").reset_index(drop=True)


def scored_features_frame(*, score_ids: list[Any], features: list[str]) -> pd.DataFrame:
    """The values the model saw for `features` (from each score's explanation), by score id.

    A feature the explanation lacks, or stored as null (NaN), is NaN; text
    values (categories) stay text.
    """
    if not score_ids or not features:
        return pd.DataFrame(columns=features)
    # One jsonb_to_record per row: the explanation's JSON (hundreds of features, stored
    # out of line) is read once, where one `->` per feature would read it again each time
    # (5 s instead of 0.3 s for 5,000 scores and 10 features).
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(name)} text" for name in features)
    table = quote(Explanation._meta.db_table)
    query = (
        f"SELECT e.score_id, x.* FROM {table} AS e "
        f"CROSS JOIN LATERAL jsonb_to_record(e.feature_values) AS x({columns}) "
        "WHERE e.score_id = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [list(score_ids)])
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["pk", *features]).set_index("pk")
    for name in features:
        numbers = pd.to_numeric(frame[name], errors="coerce")
        # Numbers when every stored value reads as one; otherwise the feature is a category.
        if numbers.notna().sum() == frame[name].notna().sum():
            frame[name] = numbers.astype(np.float64)
    return frame


def monitoring_dashboard_state(*, window: Window, freq: str = WEEK) -> str | None:
    """What the dashboard's figures of `window` depend on, as a short key; None without a model.

    It changes with the active model, the window, the period, and any new score
    or decision in the window: one aggregate query, cheap enough for a web request.
    """
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        return None
    state = _window_scores(window).aggregate(
        n=Count("pk", distinct=True),
        last=Max("scored_at"),
        decisions=Max("credit_decisions__created_at"),
    )
    raw = (
        f"{version.artifact_hash}|{window.since}|{window.until}|{freq}|{state['n']}|"
        f"{state['last']}|{state['decisions']}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def dashboard_figures_get(*, window: Window, freq: str = WEEK) -> DashboardFigures | None:
    """The figures last computed (or asked for) for `window` and `freq`, if any."""
    return DashboardFigures.objects.filter(
        since=window.since, until=window.until, freq=freq
    ).first()


def monitoring_dashboard_compute(*, window: Window, freq: str = WEEK) -> dict[str, Any] | None:
    """Every figure of the dashboard for `window`, per week ("W") or day ("D"): seconds of work.

    Run by a worker (monitoring/dashboard_figures.py), never by the page. None
    when no model is active (nothing to compare with). Otherwise a JSON-ready
    dict (see `monitoring_figures`) plus "model" (version, threshold, cost
    weights) and "window".
    """
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        return None
    model = scoring_model_for(version)
    scores = scored_applications_frame(window=window)
    importance = dict(model.global_importance())
    top = [name for name, _weight in sorted(importance.items(), key=lambda kv: -kv[1])]
    top = top[:TOP_FEATURES]
    features = scored_features_frame(score_ids=list(scores["score_id"]), features=top)
    figures = monitoring_figures(
        scores=scores,
        features=features,
        reference=model.reference_sample(),
        importance={name: importance[name] for name in top},
        threshold=version.threshold,
        cost_fn=version.cost_false_negative,
        cost_fp=version.cost_false_positive,
        training=training_figures(model.metadata),
        freq=freq,
    )
    figures["model"] = {
        "version": version.version,
        "threshold": version.threshold,
        "cost_fn": version.cost_false_negative,
        "cost_fp": version.cost_false_positive,
    }
    figures["window"] = {"since": window.since.isoformat(), "until": window.until.isoformat()}
    return figures


def monitoring_figures(
    *,
    scores: pd.DataFrame,
    features: pd.DataFrame,
    reference: pd.DataFrame,
    importance: dict[str, float],
    threshold: float,
    cost_fn: float,
    cost_fp: float,
    training: dict[str, Any],
    freq: str = WEEK,
    min_group_size: int | None = None,
) -> dict[str, Any]:
    """The dashboard's figures from the window's scores and the model's reference sample.

    `scores`: `scored_applications_frame`; `features`: the same rows' feature
    values (`scored_features_frame`); `reference`: the
    artifact's training sample (OOF_PROBABILITY, TARGET, features,
    CODE_GENDER, DAYS_BIRTH); `importance`: mean |SHAP| of the features to
    watch; `training`: `ml.monitoring.training_figures`.

    Returns rows, labelled_rows, score_psi (None without scores),
    score_psi_by_period (the same index for each period's scores), feature_psi
    (most important first), stability (per period), performance
    ({"training", "periods"}), expected (CBPE on the whole window), fairness
    (None without scores) and freq.
    """
    result: dict[str, Any] = {
        "freq": freq,
        "rows": len(scores),
        "labelled_rows": int(scores["TARGET"].notna().sum()) if len(scores) else 0,
        "score_psi": None,
        "score_psi_by_period": [],
        "feature_psi": [],
        "stability": [],
        "performance": {"training": training, "periods": []},
        "expected": None,
        "fairness": None,
        "training": training,
    }
    if scores.empty:
        return result
    if "OOF_PROBABILITY" in reference.columns:
        result["score_psi"] = population_stability_index(
            reference["OOF_PROBABILITY"], scores["probability"]
        ).as_dict()
        result["score_psi_by_period"] = _score_psi_by_period(
            reference["OOF_PROBABILITY"], scores, freq=freq
        )
    if len(features) and len(features.columns):
        result["feature_psi"] = feature_stability(
            reference, features, importance=importance, top=TOP_FEATURES
        )
    result["stability"] = stability_by_period(scores, freq=freq)
    result["performance"] = performance_by_period(
        scores, threshold=threshold, cost_fn=cost_fn, cost_fp=cost_fp, freq=freq, training=training
    )
    result["expected"] = expected_performance(
        scores["probability"], threshold=threshold, cost_fn=cost_fn, cost_fp=cost_fp
    )
    options = {} if min_group_size is None else {"min_group_size": min_group_size}
    result["fairness"] = fairness_report(scores, **options)
    return result


# Below this many scores, a period's stability index says more about chance than drift.
MIN_ROWS_FOR_PSI = 100


def _score_psi_by_period(reference: pd.Series, scores: pd.DataFrame, *, freq: str) -> list[dict]:
    """The score PSI of each period's applications against the training scores, oldest first.

    Periods without any score are left out; `few` marks those under
    MIN_ROWS_FOR_PSI rows, whose index is shown but not to be trusted.
    """
    periods = period_start(scores["scored_at"], freq)
    rows = []
    for start, part in scores.groupby(periods, sort=True):
        result = population_stability_index(reference, part["probability"])
        rows.append(
            {
                "period": start.date().isoformat(),
                "rows": len(part),
                "value": result.value,
                "verdict": result.verdict,
                "few": len(part) < MIN_ROWS_FOR_PSI,
            }
        )
    return rows
