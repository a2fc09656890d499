"""Data drift with Evidently 0.7: does the scored population still look like the training one?

`drift_report(reference, current, importance=...)` runs Evidently's
`DataDriftPreset` (one drift test per column, each with the method Evidently
picks for the column's type and size, plus the dataset-level test on the share
of drifted columns) and returns a `DriftReport`:

* `html`: Evidently's full report, one self-contained file (its JavaScript
  bundle and icon font are embedded, nothing is fetched from the internet;
  about 3.5 MB plus the data of the plots, 13 MB for the 148 application
  columns, 2.3 MB gzipped): store it (compressed) and serve it to staff;
* `summary`: a JSON-ready dict to store beside it and to build pages and
  alerts from (keys below), with the columns **ranked by the model's
  importance, drifted first**, so staff see first the drift that moves
  scores.

The verdicts are Evidently's own tests (`Report(..., include_tests=True)`):
a column has drifted when its "Value Drift" test fails, the dataset when the
"Share of Drifted Columns" test (share < `drift_share`) fails. Nothing here
re-implements a statistical test.

Reference and current frames hold the model's engineered features (the
artifact's `reference_sample.parquet`: `ScoringModel.reference_sample()`; the
same features computed for the scored applications); any columns both share
are compared. TARGET, OOF_PROBABILITY and SK_ID_CURR are left out by default.
The reference sample also holds the attributes the model may not use
(`ml.policy`: CODE_GENDER, NAME_FAMILY_STATUS), kept for fairness monitoring:
when the current frame has them too they are compared like any column (a
change in the population's make-up is drift worth seeing), without an
importance rank since the model does not use them.
A column entirely missing on one side (e.g. the history features when the
current batch is an application file alone) cannot be compared: it is left
out and listed under "not_comparable" with the reason.

Evidently is imported inside `drift_report` only: its first import takes
several seconds, and web processes import `ml.monitoring` at start-up.

Cost (benchmarks/monitoring_bench.py): Evidently's own run dominates, about
50 s of CPU for the 148 application columns at 50,000 current rows (0.35 s
per column; our summary adds nothing measurable), one to three minutes of
wall time on the shared 2-core machine, and about 600 MB above the frames;
run it in a worker, not in a request. The HTML is about 13 MB for those
columns (2.3 MB gzipped).

Summary keys:

    format                 1
    created_at             ISO time (UTC) of the run
    evidently_version
    rows                   {"reference": n, "current": m}
    columns_compared       number of columns Evidently compared
    drifted_columns        Evidently's count of drifted columns
    drift_share            drifted_columns / columns_compared (Evidently's figure)
    drift_share_limit      the limit of the dataset test
    dataset_drift          True when Evidently's dataset test failed
    dataset_test           {"name", "description", "status"} of that test
    columns                per column, sorted drifted first then by importance:
                           column, kind ("numerical"/"categorical"),
                           drift_score, method, threshold,
                           score_kind ("distance": higher means drift,
                           "p_value": lower means drift), drifted (bool, None
                           if Evidently's test errored), status (the test's),
                           importance (mean |SHAP|, None if unknown),
                           importance_rank (1 = the model's most important
                           feature, None if unknown)
    not_comparable         [{"column", "reason"}]; reasons: "absent_in_reference",
                           "absent_in_current", "all_missing_in_reference",
                           "all_missing_in_current"
    context                what the caller passed (model version, window...)
    timings                {"evidently_seconds", "html_seconds"}
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ml.monitoring._columns import categorical_columns
from ml.monitoring._json import json_safe

SUMMARY_FORMAT = 1
DEFAULT_DRIFT_SHARE = 0.3  # see ml.monitoring.alerts for why 0.3
DEFAULT_EXCLUDE = ("TARGET", "OOF_PROBABILITY", "SK_ID_CURR")

NUMERICAL = "numerical"
CATEGORICAL = "categorical"
ABSENT_IN_REFERENCE = "absent_in_reference"
ABSENT_IN_CURRENT = "absent_in_current"
ALL_MISSING_IN_REFERENCE = "all_missing_in_reference"
ALL_MISSING_IN_CURRENT = "all_missing_in_current"

_SUCCESS = "SUCCESS"
_FAIL = "FAIL"


class DriftError(ValueError):
    """The frames cannot be compared (no rows, no common column, text in a numeric column...)."""


@dataclass(frozen=True)
class DriftReport:
    summary: dict[str, Any]  # JSON-ready (see the module docstring)
    html: str | None  # Evidently's self-contained HTML report (None if not asked for)

    def summary_json(self) -> str:
        return json.dumps(self.summary, indent=1, ensure_ascii=False)


def drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    categorical: Sequence[str] | None = None,
    importance: Mapping[str, float] | None = None,
    drift_share: float = DEFAULT_DRIFT_SHARE,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    context: Mapping[str, Any] | None = None,
    html: bool = True,
) -> DriftReport:
    """Evidently's drift report of `current` against `reference`, with the ranked summary.

    `columns`: the columns to compare (default: every column both frames
    have, minus `exclude`). `categorical`: the columns to treat as
    categories (default: `ml.features.CATEGORICAL_FEATURES` and every column
    that is not numeric in the reference; the others are numerical).
    `importance`: mean |SHAP| per feature (`ScoringModel.global_importance()` or the
    artifact's `metadata["global_importance"]`); without it columns are
    ranked drifted first, then by name. `drift_share`: the share of drifted
    columns at which Evidently's dataset test fails. `context`: JSON values
    copied into the summary (model version, window start and end, source of
    the current data...). `html=False` skips rendering the HTML (the summary
    is the same).

    Raises DriftError when a side has no row, no column can be compared, a
    numerical column holds text, or `context` is not JSON-serialisable.
    """
    if not 0 < drift_share <= 1:
        raise DriftError(f"drift_share must be in (0, 1], got {drift_share}")
    if len(reference) == 0 or len(current) == 0:
        raise DriftError(
            f"a drift report needs rows on both sides "
            f"(reference: {len(reference)}, current: {len(current)})"
        )
    context_json = json_safe(dict(context or {}))
    try:
        json.dumps(context_json)
    except (TypeError, ValueError) as error:
        raise DriftError(f"context is not JSON-serialisable: {error}") from error

    candidates, not_comparable = _candidate_columns(reference, current, columns, exclude)
    categorical_names = categorical_columns(reference, categorical)
    compared: list[str] = []
    for name in candidates:
        if _all_missing(reference[name]):
            not_comparable.append({"column": name, "reason": ALL_MISSING_IN_REFERENCE})
        elif _all_missing(current[name]):
            not_comparable.append({"column": name, "reason": ALL_MISSING_IN_CURRENT})
        else:
            compared.append(name)
    if not compared:
        raise DriftError(
            "no column can be compared: "
            + (", ".join(f"{c['column']} ({c['reason']})" for c in not_comparable) or "none given")
        )
    kinds = {name: CATEGORICAL if name in categorical_names else NUMERICAL for name in compared}
    ref_frame = _prepared(reference, compared, kinds, "reference")
    cur_frame = _prepared(current, compared, kinds, "current")

    import evidently
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    definition = DataDefinition(
        numerical_columns=[c for c in compared if kinds[c] == NUMERICAL],
        categorical_columns=[c for c in compared if kinds[c] == CATEGORICAL],
    )
    started = time.perf_counter()
    snapshot = Report([DataDriftPreset(drift_share=drift_share)], include_tests=True).run(
        current_data=Dataset.from_pandas(cur_frame, data_definition=definition),
        reference_data=Dataset.from_pandas(ref_frame, data_definition=definition),
    )
    evidently_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report_html = snapshot.get_html_str(as_iframe=False) if html else None
    html_seconds = time.perf_counter() - started

    summary = summarise_snapshot(
        snapshot.dict(),
        kinds=kinds,
        importance=importance,
        drift_share=drift_share,
    )
    return DriftReport(
        summary={
            "format": SUMMARY_FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "evidently_version": evidently.__version__,
            "rows": {"reference": len(reference), "current": len(current)},
            **summary,
            "not_comparable": sorted(not_comparable, key=lambda c: c["column"]),
            "context": context_json,
            "timings": {"evidently_seconds": evidently_seconds, "html_seconds": html_seconds},
        },
        html=report_html,
    )


def summarise_snapshot(
    snapshot: Mapping[str, Any],
    *,
    kinds: Mapping[str, str],
    importance: Mapping[str, float] | None,
    drift_share: float,
) -> dict[str, Any]:
    """The summary's Evidently part, from `Snapshot.dict()` ({"metrics": [...], "tests": [...]}).

    Metrics and tests are joined by the metric id Evidently gives each test
    (`metric_config.metric_id`).
    """
    metrics = {m["id"]: m for m in snapshot["metrics"]}
    tests_by_metric: dict[str, dict[str, Any]] = {}
    for test in snapshot["tests"]:
        tests_by_metric[test["metric_config"]["metric_id"]] = test
    count_metric = next(
        (m for m in metrics.values() if m["config"]["type"].endswith(":DriftedColumnsCount")),
        None,
    )
    if count_metric is None:
        raise DriftError("Evidently's result holds no DriftedColumnsCount metric")
    dataset_test = tests_by_metric.get(count_metric["id"])
    ranks = _ranks(importance)
    columns = []
    for metric in metrics.values():
        config = metric["config"]
        if not config["type"].endswith(":ValueDrift"):
            continue
        name = config["column"]
        test = tests_by_metric.get(metric["id"])
        status: str | None = test["status"] if test else None
        # No test, or a status other than pass/fail: no verdict.
        drifted = None if status is None else {_FAIL: True, _SUCCESS: False}.get(status)
        score = _float(metric.get("value"))
        threshold = _float(config.get("threshold"))
        columns.append(
            {
                "column": name,
                "kind": kinds.get(name),
                "drift_score": score,
                "method": config.get("method"),
                "threshold": threshold,
                "score_kind": _score_kind(score, threshold, drifted),
                "drifted": drifted,
                "status": status,
                "importance": None if importance is None else _float(importance.get(name)),
                "importance_rank": ranks.get(name),
            }
        )
    columns.sort(
        key=lambda c: (
            not c["drifted"],
            c["importance_rank"] if c["importance_rank"] is not None else float("inf"),
            c["column"],
        )
    )
    value = count_metric.get("value") or {}
    return {
        "columns_compared": len(columns),
        "drifted_columns": int(value.get("count", 0)),
        "drift_share": _float(value.get("share")),
        "drift_share_limit": drift_share,
        "dataset_drift": None if dataset_test is None else dataset_test["status"] == _FAIL,
        "dataset_test": None
        if dataset_test is None
        else {
            "name": dataset_test.get("name"),
            "description": dataset_test.get("description"),
            "status": dataset_test.get("status"),
        },
        "columns": columns,
    }


def _score_kind(score: float | None, threshold: float | None, drifted: bool | None) -> str | None:
    """Whether the score is a "distance" (drift at or above the threshold) or a "p_value" (below).

    Read off Evidently's own verdict rather than a list of method names: a
    distance method flags drift at or above its threshold, a statistical
    test below it, so the verdict and the side of the threshold tell which.
    """
    if score is None or threshold is None or drifted is None:
        return None
    return "p_value" if drifted == (score < threshold) else "distance"


def _ranks(importance: Mapping[str, float] | None) -> dict[str, int]:
    if not importance:
        return {}
    ordered = sorted(importance.items(), key=lambda item: (-float(item[1]), item[0]))
    return {name: rank for rank, (name, _) in enumerate(ordered, start=1)}


def _candidate_columns(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    columns: Sequence[str] | None,
    exclude: Sequence[str],
) -> tuple[list[str], list[dict[str, str]]]:
    not_comparable: list[dict[str, str]] = []
    if columns is None:
        excluded = set(exclude)
        wanted = [c for c in reference.columns if c not in excluded]
        wanted += [c for c in current.columns if c not in excluded and c not in set(wanted)]
    else:
        wanted = list(dict.fromkeys(columns))
    candidates = []
    for name in wanted:
        if name not in reference.columns:
            not_comparable.append({"column": name, "reason": ABSENT_IN_REFERENCE})
        elif name not in current.columns:
            not_comparable.append({"column": name, "reason": ABSENT_IN_CURRENT})
        else:
            candidates.append(name)
    return candidates, not_comparable


def _prepared(
    frame: pd.DataFrame, columns: list[str], kinds: Mapping[str, str], side: str
) -> pd.DataFrame:
    """The compared columns as Evidently expects them: float64 numbers, text categories.

    A numerical column holding text is refused (naming the column and a bad
    value) rather than silently turned into missing values. Infinities become
    missing, as Evidently drops them anyway.
    """
    data: dict[str, Any] = {}
    for name in columns:
        values = frame[name]
        if kinds[name] == CATEGORICAL:
            text = values.astype(object)
            data[name] = text.where(text.isna(), text.astype(str)).to_numpy()
            continue
        if pd.api.types.is_bool_dtype(values.dtype):
            values = values.astype(np.float64)
        numbers = pd.to_numeric(values, errors="coerce")
        bad = numbers.isna() & values.notna()
        if bad.any():
            raise DriftError(
                f"{side} column {name!r} should hold numbers, found {values[bad].iloc[0]!r}"
            )
        data[name] = numbers.astype(np.float64).replace([np.inf, -np.inf], np.nan).to_numpy()
    return pd.DataFrame(data, index=pd.RangeIndex(len(frame)))


def _all_missing(values: pd.Series) -> bool:
    if pd.api.types.is_float_dtype(values.dtype):
        return not np.isfinite(values.to_numpy()).any()  # infinities count as missing
    return bool(values.isna().all())


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None
