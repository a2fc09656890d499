"""Monitoring mathematics: drift, stability, expected and realised performance, fairness, alerts.

Plain Python (pandas, numpy, scikit-learn, Evidently, fairlearn), no Django:
the Django side reads scores from the database into frames, calls these
functions (in Celery tasks for the heavy ones) and stores what they return.
Every function takes frames or arrays and returns dataclasses or plain dicts
whose summaries are JSON-ready.

* `drift`: Evidently 0.7 data-drift report, HTML + summary ranked by the
  model's importance (`drift_report`);
* `psi`: population stability index with the 0.1 / 0.25 verdicts
  (`population_stability_index`, `psi_verdict`, `feature_stability`);
* `performance`: expected (CBPE) and realised AUC, cost and calibration, per
  period (`expected_performance`, `realised_performance`,
  `performance_by_period`, `training_figures`);
* `stability`: volume, approval rate, mean probability, near-threshold and
  override shares per day or week (`stability_by_period`);
* `fairness`: fairlearn's MetricFrame by gender and age band, bootstrap
  intervals, four-fifths flag (`fairness_report`, `age_band`);
* `alerts`: limits and crossings (`Limits`, `Crossing`, `crossings`).

How a monitoring task puts them together (`scores`: one row per scored
application in the window, with scored_at, probability, decision, threshold,
overridden, TARGET when known, CODE_GENDER and DAYS_BIRTH; `features`: the
same applications' feature values):

    model = load_model(artifact_dir)                 # ml.predict
    reference = model.reference_sample()  # features, TARGET, OOF_PROBABILITY, CODE_GENDER...
    importance = model.metadata["global_importance"]
    training = training_figures(model.metadata)

    drift = drift_report(reference, features, importance=importance,
                         context={"model_version": model.version, "window": [start, end]})
    score_psi = population_stability_index(reference["OOF_PROBABILITY"], scores["probability"])
    top_psi = feature_stability(reference, features, importance=importance, top=10)
    expected = expected_performance(scores["probability"], threshold=model.threshold,
                                    **model.cost_weights)
    weekly = performance_by_period(scores, threshold=model.threshold, **model.cost_weights,
                                   freq="W", training=training)
    daily = stability_by_period(scores, freq="D")
    fairness = fairness_report(scores)
    alerts = crossings({"drift_share": drift.summary["drift_share"],
                        "score_psi": score_psi.value, "fairness_ratios": fairness,
                        "expected_auc": expected["auc"], "training_auc": training["auc"]})

Store `drift.html` and the dicts (`drift.summary`, `score_psi.as_dict()`,
...): all are JSON-ready. Only `drift_report` is slow (Evidently: about a
minute for 150 columns and 50,000 rows on 2 cores; run it in Celery);
the others take well under a second on 50,000 rows
(benchmarks/monitoring_bench.py).

Command line: `python -m ml.monitoring drift ...` (see `ml/monitoring/__main__.py`).

Importing this package is cheap: the names below are loaded from their module
on first use, and Evidently (several seconds to import) and fairlearn are
imported only inside the functions that need them.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DriftError": "drift",
    "DriftReport": "drift",
    "drift_report": "drift",
    "PSIError": "psi",
    "PSIResult": "psi",
    "feature_stability": "psi",
    "population_stability_index": "psi",
    "psi_verdict": "psi",
    "PerformanceError": "performance",
    "expected_auc": "performance",
    "expected_performance": "performance",
    "performance_by_period": "performance",
    "realised_performance": "performance",
    "training_figures": "performance",
    "StabilityError": "stability",
    "stability_by_period": "stability",
    "FairnessError": "fairness",
    "age_band": "fairness",
    "fairness_report": "fairness",
    "Crossing": "alerts",
    "Limits": "alerts",
    "crossings": "alerts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ml.monitoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ml.monitoring.{module}"), name)
    globals()[name] = value
    return value
