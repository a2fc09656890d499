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
