"""The validation report of a model version: what a second person reads before approving it.

Built when a version is registered (scoring.registry) and stored on it
(`ModelVersion.validation_report`, shown in the admin). Four parts:

* training: what the artifact measured out of fold (AUC per fold, business
  cost at the chosen threshold, Brier score, calibration table);
* fairness: the training run's figures by group, and the fairness report of
  ml.monitoring on the decisions this version would take on the recent
  applications (approval rates by gender and age band, four-fifths rule);
* comparison: this version against the one serving, on the most recent
  applications the serving version scored: approval rates, the share of
  decisions that would change, the largest changes of probability, and AUC
  and cost on those whose outcome (TARGET) is known;
* data: what it was trained on (hash, row counts, defaults).

Plain figures (JSON); the admin turns them into a page. A report that cannot
be built (no recent scores, one class only) says why in its `notes` rather
than failing the registration.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from clients.frames import tables_for_applications
from ml.features import build_features
from ml.monitoring.fairness import FairnessError, fairness_report
from ml.predict import ScoringModel
from ml.threshold import confusion_at
from scoring.models import ModelVersion, Score

logger = logging.getLogger(__name__)

# How many of the serving version's most recent scores the comparison replays: enough
# for approval rates within about a point, few enough to register in seconds.
RECENT_APPLICATIONS = 5000
LARGEST_CHANGES = 10
FAIRNESS_MIN_GROUP = 100


def validation_report_build(
    *, model: ScoringModel, champion: ModelVersion | None, recent: int = RECENT_APPLICATIONS
) -> dict[str, Any]:
    """The report of `model` (a loaded artifact) against `champion` (None: nothing serves)."""
    metadata = model.metadata
    metrics = metadata.get("metrics", {}) or {}
    cost = metrics.get("cost", {}) or {}
    report: dict[str, Any] = {
        "training": {
            "oof_auc": metrics.get("oof_auc"),
            "fold_aucs": metrics.get("fold_aucs", []),
            "threshold": model.threshold,
            "cost_per_client": cost.get("cost_per_client"),
            "cost_fn": float(model.cost_weights.get("cost_fn", 10.0)),
            "cost_fp": float(model.cost_weights.get("cost_fp", 1.0)),
            "brier": metrics.get("brier_after"),
            "default_rate": metrics.get("default_rate"),
            "refusal_rate": metrics.get("refusal_rate"),
            "calibration": metrics.get("reliability_after", []),
        },
        "fairness_training": metadata.get("fairness", {}),
        "data": {**(metadata.get("data", {}) or {}), "features": len(model.feature_names)},
        "comparison": None,
        "fairness_recent": None,
        "notes": [],
    }
    if champion is None:
        report["notes"].append("no version serves yet: nothing to compare with")
        return report
    if champion.artifact_hash == model.artifact_hash:
        report["notes"].append("this is the version that serves")
        return report
    report["comparison"], frame = _comparison(model=model, champion=champion, recent=recent)
    if frame is None:
        report["notes"].append(
            f"the serving version {champion.version} has no recent score to compare on"
        )
        return report
    try:
        report["fairness_recent"] = fairness_report(
            frame, min_group_size=FAIRNESS_MIN_GROUP, n_boot=100
        )
    except FairnessError as error:
        report["notes"].append(f"fairness on recent applications: {error}")
    return report


def _comparison(
    *, model: ScoringModel, champion: ModelVersion, recent: int
) -> tuple[dict[str, Any] | None, pd.DataFrame | None]:
    rows = list(
        Score.objects.filter(model_version=champion, is_current=True, status=Score.Status.DONE)
        .order_by("-finished_at")
        .values_list("application_id", "probability", "decision")[:recent]
    )
    if not rows:
        return None, None
    served = pd.DataFrame(rows, columns=["SK_ID_CURR", "champion_probability", "champion_decision"])
    tables = tables_for_applications(served["SK_ID_CURR"].tolist())
    features = build_features(tables).reindex(columns=model.feature_names)
    prediction = model.predict(features)
    challenger = pd.DataFrame(
        {"probability": prediction.probability, "decision": prediction.decision},
        index=features.index,
    )
    application = tables["application"].set_index("SK_ID_CURR")
    frame = served.set_index("SK_ID_CURR").join(challenger, how="inner")
    frame = frame.join(application[["TARGET", "CODE_GENDER", "DAYS_BIRTH"]], how="left")
    changed = frame["decision"] != frame["champion_decision"]
    difference = frame["probability"] - frame["champion_probability"]
    largest = difference.abs().sort_values(ascending=False).head(LARGEST_CHANGES).index
    comparison: dict[str, Any] = {
        "champion": champion.version,
        "applications": len(frame),
        "approval_rate": float((frame["decision"] == "granted").mean()),
        "champion_approval_rate": float((frame["champion_decision"] == "granted").mean()),
        "changed_share": float(changed.mean()),
        "granted_now_refused": int((changed & (frame["champion_decision"] == "granted")).sum()),
        "refused_now_granted": int((changed & (frame["champion_decision"] == "refused")).sum()),
        "mean_difference": float(difference.mean()),
        "largest_changes": [
            {
                "application": int(sk_id),
                "champion_probability": float(frame.at[sk_id, "champion_probability"]),
                "probability": float(frame.at[sk_id, "probability"]),
                "champion_decision": str(frame.at[sk_id, "champion_decision"]),
                "decision": str(frame.at[sk_id, "decision"]),
            }
            for sk_id in largest
        ],
        "with_outcome": outcome_figures(
            frame,
            cost_fn=float(model.cost_weights.get("cost_fn", 10.0)),
            cost_fp=float(model.cost_weights.get("cost_fp", 1.0)),
            threshold=model.threshold,
            champion_threshold=champion.threshold,
        ),
    }
    return comparison, frame.reset_index()


def outcome_figures(
    frame: pd.DataFrame,
    *,
    cost_fn: float,
    cost_fp: float,
    threshold: float,
    champion_threshold: float,
) -> dict[str, Any]:
    """AUC and cost per client of both versions on the rows whose TARGET is known.

    `frame`: columns TARGET, probability (challenger), champion_probability.
    Also used by the shadow comparison (scoring/shadow.py).
    """
    from sklearn.metrics import roc_auc_score  # ~1 s to import: only when figures are made

    labelled = frame[frame["TARGET"].notna()]
    y = labelled["TARGET"].to_numpy(dtype=np.int64)
    result: dict[str, Any] = {"rows": len(labelled), "defaults": int(y.sum()) if len(y) else 0}
    if len(labelled) == 0:
        return result
    both = len(np.unique(y)) == 2
    for prefix, column, cut in (
        ("", "probability", threshold),
        ("champion_", "champion_probability", champion_threshold),
    ):
        p = labelled[column].to_numpy(dtype=np.float64)
        confusion = confusion_at(y, p, cut)
        result[f"{prefix}auc"] = float(roc_auc_score(y, p)) if both else None
        result[f"{prefix}cost_per_client"] = float(
            (cost_fn * confusion.fn + cost_fp * confusion.fp) / len(y)
        )
    return result
