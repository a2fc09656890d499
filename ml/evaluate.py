"""Evaluate a saved model on labelled data (rows with TARGET) at its stored threshold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ml.calibration import brier, reliability_table
from ml.threshold import confusion_at

if TYPE_CHECKING:
    from ml.predict import ScoringModel


class EvaluationError(ValueError):
    """The data cannot be evaluated (no TARGET, no rows...)."""


def evaluate(model: ScoringModel, tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """AUC, business cost and confusion at the model's threshold on `tables`.

    Keys: auc, cost_per_client, cost, threshold, rows, confusion, brier,
    cost_at_05_per_client, cost_refuse_nobody_per_client, refusal_rate,
    default_rate, cost_fn, cost_fp, model_version.
    """
    application = tables.get("application")
    if application is None or "TARGET" not in application.columns:
        raise EvaluationError("evaluation needs an application table with a TARGET column")
    if len(application) == 0:
        raise EvaluationError("the application table is empty")
    target = application["TARGET"]
    if target.isna().any():
        raise EvaluationError(f"TARGET is missing on {int(target.isna().sum())} row(s)")
    y = target.to_numpy().astype(np.int64)
    features = model.features(tables)
    probability = model.predict(features).probability
    return evaluate_predictions(
        y,
        probability,
        threshold=model.threshold,
        cost_fn=float(model.cost_weights.get("cost_fn", 10.0)),
        cost_fp=float(model.cost_weights.get("cost_fp", 1.0)),
        model_version=model.version,
    )


def evaluate_predictions(
    y: np.ndarray,
    probability: np.ndarray,
    *,
    threshold: float,
    cost_fn: float,
    cost_fp: float,
    model_version: str | None = None,
) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score  # ~1 s to import: only when figures are made

    rows = len(y)
    confusion = confusion_at(y, probability, threshold)
    at_05 = confusion_at(y, probability, 0.5)
    cost = cost_fn * confusion.fn + cost_fp * confusion.fp
    both_classes = len(np.unique(y)) == 2
    return {
        "model_version": model_version,
        "rows": rows,
        "default_rate": float(np.mean(y)),
        "auc": float(roc_auc_score(y, probability)) if both_classes else None,
        "threshold": float(threshold),
        "cost_fn": cost_fn,
        "cost_fp": cost_fp,
        "cost": float(cost),
        "cost_per_client": float(cost / rows),
        "cost_at_05_per_client": float((cost_fn * at_05.fn + cost_fp * at_05.fp) / rows),
        "cost_refuse_nobody_per_client": float(cost_fn * np.sum(y) / rows),
        "refusal_rate": float((confusion.tp + confusion.fp) / rows),
        "confusion": confusion.as_dict(),
        "confusion_at_05": at_05.as_dict(),
        "brier": brier(y, probability),
        "reliability": reliability_table(y, probability).to_dict("records"),
    }


def format_report(report: dict[str, Any]) -> str:
    """The evaluation as a plain-text table for the terminal."""
    confusion = report["confusion"]
    auc = "n/a (one class)" if report["auc"] is None else f"{report['auc']:.4f}"
    lines = [
        ("model version", str(report.get("model_version"))),
        ("rows", f"{report['rows']:,}"),
        ("default rate", f"{report['default_rate']:.2%}"),
        ("AUC", auc),
        ("Brier score", f"{report['brier']:.4f}"),
        ("threshold", f"{report['threshold']:.4f}"),
        ("cost weights", f"FN={report['cost_fn']:g}, FP={report['cost_fp']:g}"),
        ("cost per client at threshold", f"{report['cost_per_client']:.4f}"),
        ("cost per client at 0.5", f"{report['cost_at_05_per_client']:.4f}"),
        ("cost per client refusing nobody", f"{report['cost_refuse_nobody_per_client']:.4f}"),
        ("refusal rate", f"{report['refusal_rate']:.2%}"),
        (
            "confusion at threshold",
            f"TN={confusion['tn']} FP={confusion['fp']} FN={confusion['fn']} TP={confusion['tp']}",
        ),
    ]
    width = max(len(label) for label, _ in lines)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in lines)
