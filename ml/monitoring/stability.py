"""Score and decision stability per day or week: is the model deciding as it used to?

`stability_by_period(frame)` takes one row per scored application, as the
Django side reads them from the database (timestamp, calibrated probability,
the model's decision, the threshold it was decided at, whether an advisor
overrode it), and returns per period:

* volume: applications scored;
* approval_rate: share the model granted (its own decision, before any
  override, so that a change in the model's behaviour is not hidden by the
  advisors correcting it);
* mean_probability: mean calibrated probability of default;
* near_threshold_share: share within `near` (default two percentage points,
  0.02) of the threshold, the clients whose decision a small shift in
  the scores would flip: a growing share means decisions are getting fragile;
* override_share: share of decisions an advisor overrode.

Periods between the first and the last with no application are kept with a
volume of 0 (and None for the shares), so a chart shows the gap instead of
joining across it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ml.monitoring._columns import granted_mask
from ml.monitoring.performance import period_start

DEFAULT_NEAR = 0.02


class StabilityError(ValueError):
    """The frame lacks a column or holds values that cannot be read."""


def stability_by_period(
    frame: pd.DataFrame,
    *,
    freq: str = "D",
    timestamp: str = "scored_at",
    probability: str = "probability",
    decision: str = "decision",
    threshold: str | float = "threshold",
    overridden: str | None = "overridden",
    near: float = DEFAULT_NEAR,
) -> list[dict[str, Any]]:
    """Per day ("D") or Monday-to-Sunday week ("W"): volume and the shares above.

    Columns of `frame`: `timestamp` (datetime; aware ones are taken in UTC),
    `probability` (0..1), `decision` ("granted"/"refused", the model's),
    `threshold` (a column, since a window may span two model versions, or
    one number for all rows) and `overridden` (bool; None or an absent
    column: no override information, override_share is None).
    Returns one JSON-ready dict per period, oldest first: period (ISO date
    of its first day), volume, approval_rate, mean_probability,
    near_threshold_share, override_share.
    """
    required = [timestamp, probability, decision]
    if isinstance(threshold, str):
        required.append(threshold)
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise StabilityError(f"the frame has no column(s) {missing}")
    if near < 0:
        raise StabilityError(f"near must be >= 0, got {near}")
    if frame.empty:
        return []
    granted = granted_mask(frame[decision], StabilityError)
    p = pd.to_numeric(frame[probability], errors="coerce")
    if p.isna().any() or (p < 0).any() or (p > 1).any():
        raise StabilityError("probability must be a number between 0 and 1 on every row")
    cut = (
        pd.to_numeric(frame[threshold], errors="coerce")
        if isinstance(threshold, str)
        else pd.Series(float(threshold), index=frame.index)
    )
    if cut.isna().any():
        raise StabilityError("the threshold is missing on some rows")
    has_overrides = overridden is not None and overridden in frame.columns
    work = pd.DataFrame(
        {
            "period": period_start(frame[timestamp], freq),
            "granted": granted.astype(np.float64),
            "probability": p.astype(np.float64),
            # A hair of tolerance: 0.12 - 0.10 is 0.019999... in binary floating point.
            "near": ((p - cut).abs() <= near + 1e-12).astype(np.float64),
            "overridden": (
                frame[overridden].fillna(False).astype(bool).astype(np.float64)
                if has_overrides
                else np.nan
            ),
        },
        index=frame.index,
    )
    grouped = work.groupby("period", sort=True)
    table = grouped.agg(
        volume=("granted", "size"),
        approval_rate=("granted", "mean"),
        mean_probability=("probability", "mean"),
        near_threshold_share=("near", "mean"),
        override_share=("overridden", "mean"),
    )
    step = pd.Timedelta(days=1 if freq == "D" else 7)
    every = pd.date_range(table.index.min(), table.index.max(), freq=step)
    table = table.reindex(every)
    table["volume"] = table["volume"].fillna(0).astype(int)
    rows = []
    for start, values in table.iterrows():
        rows.append(
            {
                "period": start.date().isoformat(),
                "volume": int(values["volume"]),
                "approval_rate": _number(values["approval_rate"]),
                "mean_probability": _number(values["mean_probability"]),
                "near_threshold_share": _number(values["near_threshold_share"]),
                "override_share": (_number(values["override_share"]) if has_overrides else None),
            }
        )
    return rows


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)
