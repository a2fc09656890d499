"""Write tables as CSV formatted like the Kaggle files, fast.

Kaggle's formatting: integers as integers ("-9461"), floats as Python writes them
("48.0", "0.0", "0.018801", "24700.5"), empty cells for missing values, text
unquoted unless it holds a comma or a quote ("Stone, brick" is quoted).

pandas `to_csv` formats every cell in Python and is the bottleneck for tens of
millions of rows (see benchmarks/synthetic_bench.py). Here each column is turned
into text by Arrow's C++ kernels, the columns are joined row-wise by Arrow too,
and the resulting buffer is written as is, in chunks of rows so memory stays
bounded. Arrow prints 48.0 as "48": integral floats get ".0" appended; the rare
values Arrow prints differently from Python (below 1e-4 or from 1e10 up) go
through Python's repr.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ml import schema

ROWS_PER_CHUNK = 500_000


def _float_text(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.float64)
    text = pc.cast(pa.array(values, from_pandas=True), pa.string())
    finite = np.isfinite(values)
    magnitude = np.abs(values)
    integral = finite & (values == np.floor(values)) & (magnitude < 1e10)
    if integral.any():
        text = pc.if_else(pa.array(integral), pc.binary_join_element_wise(text, ".0", ""), text)
    odd = finite & (((magnitude < 1e-4) & (values != 0)) | (magnitude >= 1e10))
    if odd.any():
        patched = text.to_numpy(zero_copy_only=False)
        patched[odd] = [repr(float(v)) for v in values[odd]]
        text = pa.array(patched, type=pa.string())
    return text


def _quoted(level: str) -> str:
    if any(c in level for c in ',"\n\r'):
        return '"' + level.replace('"', '""') + '"'
    return level


def _text(values: np.ndarray) -> pa.Array:
    encoded = pa.array(values, type=pa.string(), from_pandas=True).dictionary_encode()
    levels = encoded.dictionary.to_pylist()
    quoted = [_quoted(level) for level in levels]
    if quoted == levels:
        return pc.cast(encoded, pa.string())
    return pc.take(pa.array(quoted, type=pa.string()), encoded.indices)


def _column_text(series: pd.Series, kind: str) -> pa.Array:
    if kind == schema.INT:
        values = series.to_numpy()
        if values.dtype.kind == "f":
            if np.isnan(values).any():
                raise ValueError(f"column {series.name}: INT column with missing values")
            values = values.astype(np.int64)
        return pc.cast(pa.array(values.astype(np.int64)), pa.string())
    if kind == schema.FLOAT:
        return _float_text(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return _text(series.to_numpy(dtype=object))


def _write_chunk(frame: pd.DataFrame, kinds: list[str], out: io.BufferedIOBase) -> None:
    columns = [
        _column_text(frame[name], kind) for name, kind in zip(frame.columns, kinds, strict=True)
    ]
    rows = pc.binary_join_element_wise(*columns, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(rows, "", "\n")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    out.write(memoryview(data)[bounds[0] : bounds[-1]])


def write_table_csv(
    frame: pd.DataFrame, table: schema.Table, out: io.BufferedIOBase, *, header: bool = True
) -> None:
    """Append `frame` (columns in the table's Kaggle order) to an open binary file."""
    kinds = [table.column(name).kind for name in frame.columns]
    if header:
        out.write((",".join(frame.columns) + "\n").encode())
    for start in range(0, len(frame), ROWS_PER_CHUNK):
        _write_chunk(frame.iloc[start : start + ROWS_PER_CHUNK], kinds, out)


def open_output(path: Path, *, compress: bool) -> io.BufferedIOBase:
    """A file to write to; gzip without a timestamp or name, so output is byte-identical."""
    raw = open(path, "wb")  # noqa: SIM115 - closed by the caller through the returned object
    if not compress:
        return raw
    return _ClosingGzip(raw)


class _ClosingGzip(gzip.GzipFile):
    def __init__(self, raw: io.BufferedWriter) -> None:
        super().__init__(filename="", mode="wb", fileobj=raw, compresslevel=1, mtime=0)
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()
