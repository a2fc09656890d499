"""Turn a feature frame into the float matrix LightGBM is given.

Categorical columns (text values) get fixed integer codes fitted once on the
training data and saved with the model, so that a level always receives the
same code at prediction time, whatever rows a request holds.

Decisions:
- Codes are ordered by training frequency (most frequent level = 0). The
  order carries no meaning for the model (the categorical columns are declared
  as LightGBM categorical features, see `ml/train.py`), but it makes the code
  tables stable across runs on the same data and readable in `encoder.json`.
- Levels seen fewer than `min_count` times in training share one reserved
  "rare" code: a level seen 3 times cannot be learnt from, and giving it a
  code of its own only lets the trees memorise those 3 rows.
- Missing values and levels never seen in training become NaN, i.e. LightGBM's
  "missing" branch: the model has no evidence about them either way.
- Numeric columns go through untouched as float64: NaN stays NaN (LightGBM
  learns where missing values go), it is never replaced by 0.

The hot path (one application at a time) avoids pandas per-column work: one
`to_numpy` for the numeric block and a dict lookup per categorical value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

ENCODER_FORMAT = 1
# Up to this many rows, encode through one object array (see _transform_small).
SMALL_FRAME_ROWS = 64


class EncodingError(ValueError):
    """The frame cannot be encoded (missing columns, text in a numeric column...)."""


def _is_categorical(series: pd.Series) -> bool:
    return (
        pd.api.types.is_object_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(series.dtype)
    ) and not pd.api.types.is_bool_dtype(series.dtype)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


class CategoryEncoder:
    """Fixed code tables for the categorical columns plus the saved feature order."""

    def __init__(
        self,
        feature_names: list[str],
        categories: dict[str, list[str]],
        *,
        rare_levels: dict[str, list[str]] | None = None,
        min_count: int = 20,
    ) -> None:
        self.feature_names: list[str] = list(feature_names)
        # column -> levels in code order (code = position in the list).
        self.categories: dict[str, list[str]] = {k: list(v) for k, v in categories.items()}
        # column -> levels folded into the reserved rare code (kept for the record).
        self.rare_levels: dict[str, list[str]] = {
            k: list(v) for k, v in (rare_levels or {}).items()
        }
        self.min_count = min_count
        unknown = set(self.categories) - set(self.feature_names)
        if unknown:
            raise EncodingError(f"categorical columns not among the features: {sorted(unknown)}")
        self._prepare()

    # -- fitting ---------------------------------------------------------------------------

    @classmethod
    def fit(
        cls,
        frame: pd.DataFrame,
        *,
        categorical: Iterable[str] | None = None,
        min_count: int = 20,
    ) -> CategoryEncoder:
        """Learn the code tables from training features.

        `categorical`: the columns to encode; by default every text column.
        """
        if categorical is None:
            categorical = [name for name in frame.columns if _is_categorical(frame[name])]
        categories: dict[str, list[str]] = {}
        rare_levels: dict[str, list[str]] = {}
        for name in categorical:
            values = frame[name].dropna().astype(str)
            counts = values.value_counts()
            # Most frequent first; ties broken by the level itself so codes are stable.
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            categories[name] = [level for level, count in ordered if count >= min_count]
            rare = [level for level, count in ordered if count < min_count]
            if rare:
                rare_levels[name] = rare
        return cls(
            [str(c) for c in frame.columns],
            categories,
            rare_levels=rare_levels,
            min_count=min_count,
        )

    # -- encoding --------------------------------------------------------------------------

    def _prepare(self) -> None:
        self._feature_index = pd.Index(self.feature_names)
        position = {name: i for i, name in enumerate(self.feature_names)}
        self.categorical_names: list[str] = [n for n in self.feature_names if n in self.categories]
        self.numeric_names: list[str] = [n for n in self.feature_names if n not in self.categories]
        self._numeric_positions = np.array([position[n] for n in self.numeric_names], dtype=int)
        self._categorical_positions = [position[n] for n in self.categorical_names]
        self._code_tables: dict[str, dict[str, float]] = {}
        for name, levels in self.categories.items():
            table = {level: float(code) for code, level in enumerate(levels)}
            rare_code = float(len(levels))
            for level in self.rare_levels.get(name, []):
                table[level] = rare_code
            self._code_tables[name] = table

    @property
    def categorical_indices(self) -> list[int]:
        """Positions of the categorical columns in the matrix (for LightGBM)."""
        return list(self._categorical_positions)

    def code(self, column: str, value: Any) -> float:
        """The code of one value: NaN for missing or unseen levels."""
        if _is_missing(value):
            return math.nan
        return self._code_tables[column].get(str(value), math.nan)

    def transform(self, frame: pd.DataFrame, *, dtype: type = np.float64) -> np.ndarray:
        """The float matrix in the saved feature order (extra columns are ignored)."""
        if not frame.columns.equals(self._feature_index):
            missing = [name for name in self.feature_names if name not in frame.columns]
            if missing:
                shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
                raise EncodingError(f"{len(missing)} feature column(s) missing: {shown}")
        if len(frame) <= SMALL_FRAME_ROWS:
            matrix = self._transform_small(frame, dtype)
            if matrix is not None:
                return matrix
        return self._transform_columns(frame, dtype)

    def _transform_small(self, frame: pd.DataFrame, dtype: type) -> np.ndarray | None:
        """A few rows (the serving path): one object array instead of per-column pandas work.

        Selecting 476 columns of a one-row frame costs pandas ~4 ms; turning
        the whole row into an object array costs ~0.1 ms. None when a value
        needs the careful path (pd.NA, text in a numeric column).
        """
        if not frame.columns.equals(self._feature_index):
            frame = frame.reindex(columns=self._feature_index)
        values = frame.to_numpy(dtype=object)
        matrix = np.empty(values.shape, dtype=dtype)
        try:
            matrix[:, self._numeric_positions] = values[:, self._numeric_positions].astype(
                np.float64
            )
        except (TypeError, ValueError):
            return None
        self._fill_categorical(matrix, values)
        return matrix

    def _transform_columns(self, frame: pd.DataFrame, dtype: type) -> np.ndarray:
        matrix: np.ndarray = np.empty((len(frame), len(self.feature_names)), dtype=dtype)
        if self.numeric_names:
            try:
                matrix[:, self._numeric_positions] = frame[self.numeric_names].to_numpy(
                    dtype=np.float64, na_value=np.nan
                )
            except (TypeError, ValueError):
                self._raise_for_bad_numeric(frame)
                raise
        for name, position in zip(self.categorical_names, self._categorical_positions, strict=True):
            matrix[:, position] = self._codes(name, frame[name].to_numpy(dtype=object))
        return matrix

    def _fill_categorical(self, matrix: np.ndarray, values: np.ndarray) -> None:
        for name, position in zip(self.categorical_names, self._categorical_positions, strict=True):
            matrix[:, position] = self._codes(name, values[:, position])

    def _codes(self, name: str, column: np.ndarray) -> list[float]:
        table = self._code_tables[name]
        return [
            math.nan if _is_missing(value) else table.get(str(value), math.nan) for value in column
        ]

    def _raise_for_bad_numeric(self, frame: pd.DataFrame) -> None:
        for name in self.numeric_names:
            try:
                frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as error:
                bad = next(
                    (v for v in frame[name] if not _is_missing(v) and not _is_number(v)), None
                )
                raise EncodingError(
                    f"feature {name!r} must be numeric, got {bad!r} ({error})"
                ) from error

    def decode(self, column: str, code: float) -> str | None:
        """The level behind a code (None for NaN, "<rare>" for the shared rare code)."""
        if math.isnan(code):
            return None
        levels = self.categories[column]
        index = int(code)
        return levels[index] if index < len(levels) else "<rare>"

    # -- persistence -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": ENCODER_FORMAT,
            "feature_names": self.feature_names,
            "categories": self.categories,
            "rare_levels": self.rare_levels,
            "min_count": self.min_count,
            "unseen_and_missing": "NaN",
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CategoryEncoder:
        if data.get("format") != ENCODER_FORMAT:
            raise EncodingError(f"unsupported encoder format {data.get('format')!r}")
        return cls(
            data["feature_names"],
            data["categories"],
            rare_levels=data.get("rare_levels", {}),
            min_count=data.get("min_count", 20),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> CategoryEncoder:
        return cls.from_dict(json.loads(text))


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
