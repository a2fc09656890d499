"""JSON-ready values for the summaries the Django side stores."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd


def json_safe(value: Any) -> Any:
    """Plain JSON values: NaN/inf -> None, numpy scalars -> Python, dates -> ISO strings.

    Same rules as `ml.artifact.to_json_safe` (which imports LightGBM, not
    needed here), plus dates and timestamps.
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
