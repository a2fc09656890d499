"""Tiny hand-made tables for the feature tests: only the columns a test sets, the rest NaN."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ml import schema
from ml.dataset import coerce_table


def frame(table: schema.Table, rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """`rows` as a coerced frame of `table`, every column the rows leave out missing."""
    rows = list(rows)
    data = {
        column.name: [row.get(column.name, None) for row in rows]
        for column in table.columns
        if column.name not in table.optional_columns or any(column.name in r for r in rows)
    }
    return coerce_table(table, pd.DataFrame(data, columns=list(data)))


def applications(*ids: int, **columns: Iterable[object]) -> pd.DataFrame:
    """Applications `ids`; keyword arguments give a column's values, one per id."""
    rows = [{"SK_ID_CURR": sk_id} for sk_id in ids]
    for name, values in columns.items():
        for row, value in zip(rows, values, strict=True):
            row[name] = value
    return frame(schema.APPLICATION, rows)


def value(features: pd.DataFrame, sk_id: int, column: str) -> float:
    """One feature of one client (the frame is indexed by SK_ID_CURR)."""
    return features.loc[sk_id, column]


def is_missing(number: object) -> bool:
    return isinstance(number, float) and np.isnan(number)
