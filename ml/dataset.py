"""Loading the Kaggle Home Credit tables into pandas, from CSV files or database rows.

One shape for the tables wherever they come from (`coerce_table` is the single
definition of it; `load_tables` reads CSV files straight into it):

* columns named as Kaggle spells them (upper case), in the order of
  `ml.schema`, and only those (a database frame's extra columns such as
  `created_at` are dropped);
* keys (`SK_ID_*`) as int64; every other INT or FLOAT column as float64, so a
  missing value stays NaN (never 0) and an integer column may hold one;
* text columns: object (str or NaN) in the application table, whose levels
  the model encodes and a person reads; `category` in the history tables,
  whose few levels repeat over millions of rows (27M bureau_balance rows
  would otherwise hold 27M Python strings).

Memory at the full Kaggle scale (307k applications, 27.3M bureau_balance,
13.6M installments, 10M POS_CASH, 3.8M credit card, 1.7M bureau and 1.67M
previous_application rows): about 3.3 GB once loaded (8 bytes per number, 1
per text value; measured 535 MB for 50,000 synthetic clients of the same
per-client sizes), far below the 24 GiB of the machines. float32 would save
about 1 GB at the cost of amounts rounded to 7 digits; not worth it.

`data_hash` fingerprints the files a training run read (sha256 of their names
and bytes, streamed) so a model records exactly which data it learnt from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ml import schema

APPLICATION_TRAIN = "application_train.csv"
APPLICATION_TEST = "application_test.csv"
# pandas' C parser, not pyarrow: with dtype "category" the C parser builds the
# categories while parsing, where the pyarrow engine first makes one Python
# string per row (measured on 5M bureau_balance rows: peak 269 MB vs 674 MB
# for the same CPU time). It is also what clients.frames uses for database
# rows, so both paths parse numbers the same way.
CSV_ENGINE = "c"
_HASH_CHUNK = 1 << 20

# Database frames name a foreign key after the Django field ("application_id").
_DATABASE_ALIASES = {"APPLICATION_ID": "SK_ID_CURR", "BUREAU_ID": "SK_ID_BUREAU"}


class DatasetError(ValueError):
    """Input that does not fit the Kaggle schema; the message names file, row and column."""


def is_key(column: schema.Column) -> bool:
    return column.name.startswith("SK_ID_")


def text_dtype(table: schema.Table) -> str:
    """How a table's text columns are held: object for applications, category for history."""
    return "object" if table.name == schema.APPLICATION.name else "category"


def column_dtypes(table: schema.Table) -> dict[str, str]:
    """The pandas dtype of every column of `table` (what `coerce_table` produces)."""
    dtypes = {}
    for column in table.columns:
        if is_key(column):
            dtypes[column.name] = "int64"
        elif column.kind == schema.STR:
            dtypes[column.name] = text_dtype(table)
        else:
            dtypes[column.name] = "float64"
    return dtypes


# ---------------------------------------------------------------------------
# Frames (from CSV or from the database)
# ---------------------------------------------------------------------------


def coerce_table(
    table: schema.Table, frame: pd.DataFrame, *, source: str | None = None
) -> pd.DataFrame:
    """`frame` in the shape of `table` (see the module docstring); the input is not modified.

    Accepts Kaggle (upper-case) or database (lower-case) column names, None or
    NaN for missing values, numbers as numbers or text. Raises `DatasetError`
    naming the column and row (and `source`, e.g. a file name) when a
    required column is missing, a key is missing or a number is not one.
    """
    where = source or table.name
    renamed = {name: str(name).upper() for name in frame.columns}
    upper = set(renamed.values())
    for alias, key in _DATABASE_ALIASES.items():
        if alias in upper and key not in upper and key in table.column_names:
            renamed = {name: key if new == alias else new for name, new in renamed.items()}
    frame = frame.rename(columns=renamed)
    if frame.columns.duplicated().any():
        duplicated = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise DatasetError(f"{where}: column(s) {duplicated} appear more than once")
    missing = [
        name
        for name in table.column_names
        if name not in frame.columns and name not in table.optional_columns
    ]
    if missing:
        raise DatasetError(f"{where}: missing column(s) {missing}")

    dtypes = column_dtypes(table)
    columns: dict[str, object] = {}
    for column in table.columns:
        if column.name not in frame.columns:
            continue  # an optional column (TARGET of application_test)
        values = frame[column.name]
        if is_key(column):
            columns[column.name] = _keys(values, where)
        elif column.kind == schema.STR:
            columns[column.name] = _text(values, dtypes[column.name])
        else:
            columns[column.name] = _numbers(values, where)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))


def _row_label(values: pd.Series, position: int) -> str:
    return f"row {values.index[position]}"


def _keys(values: pd.Series, where: str) -> np.ndarray:
    if values.dtype == np.int64:
        return values.to_numpy()
    numbers = _numbers(values, where)
    empty = np.flatnonzero(np.isnan(numbers))
    if len(empty):
        raise DatasetError(
            f"{where}: column {values.name}, {_row_label(values, empty[0])}: "
            f"the identifier is missing ({len(empty)} such row(s))"
        )
    bad = np.flatnonzero(numbers != np.round(numbers))
    if len(bad):
        raise DatasetError(
            f"{where}: column {values.name}, {_row_label(values, bad[0])}: "
            f"{values.iloc[bad[0]]!r} is not an identifier ({len(bad)} such row(s))"
        )
    return numbers.astype(np.int64)


def _numbers(values: pd.Series, where: str) -> np.ndarray:
    if values.dtype.kind in "fiub":
        return values.to_numpy(dtype=np.float64)
    converted = pd.to_numeric(values, errors="coerce")
    bad = np.flatnonzero(converted.isna().to_numpy() & values.notna().to_numpy())
    if len(bad):
        raise DatasetError(
            f"{where}: column {values.name}, {_row_label(values, bad[0])}: "
            f"{values.iloc[bad[0]]!r} is not a number ({len(bad)} such row(s))"
        )
    return converted.to_numpy(dtype=np.float64, na_value=np.nan)


def _text(values: pd.Series, dtype: str) -> pd.Series | pd.Categorical:
    """str or NaN (None, pd.NA and NaN all become NaN), as object or category."""
    if dtype == "category":
        if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.dtype == object:
            categories = values.cat.categories
            if all(isinstance(level, str) for level in categories):
                return values.array  # already right: no copy of millions of codes
        values = _text(values, "object")
        return pd.Categorical(values)
    missing = values.isna().to_numpy()
    text = values.to_numpy(dtype=object, copy=True)
    text[missing] = np.nan
    if pd.api.types.infer_dtype(text, skipna=True) not in ("string", "empty"):
        present = ~missing
        text[present] = text[present].astype(str)
    return text


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def find_file(data_dir: Path, name: str) -> Path | None:
    """`name` (e.g. "bureau.csv") in `data_dir`, plain or gzipped, or None."""
    stem = name.removesuffix(".gz")
    for candidate in (stem, f"{stem}.gz"):
        path = Path(data_dir) / candidate
        if path.is_file():
            return path
    return None


def dataset_files(
    data_dir: Path, *, files: tuple[str, ...] = (APPLICATION_TRAIN,), history: bool = True
) -> dict[str, list[Path]]:
    """The files `load_tables` reads from `data_dir`, per table name.

    `files` names the application file(s); the history tables are the Kaggle
    files the folder holds (each optional). A named application file that is
    absent is an error.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise FileNotFoundError(f"no data folder {data_dir}")
    application_paths = []
    for name in files:
        if schema.table_for_file(name) is not schema.APPLICATION:
            raise ValueError(f"{name} is not an application file ({schema.APPLICATION.file_names})")
        path = find_file(data_dir, name)
        if path is None:
            raise FileNotFoundError(f"{data_dir} holds neither {name} nor {name}.gz")
        application_paths.append(path)
    found: dict[str, list[Path]] = {schema.APPLICATION.name: application_paths}
    if history:
        for table in schema.TABLES[1:]:
            path = find_file(data_dir, table.file_names[0])
            if path is not None:
                found[table.name] = [path]
    return found


def read_table(table: schema.Table, path: Path) -> pd.DataFrame:
    """One Kaggle CSV file (".csv" or ".csv.gz") in the shape `coerce_table` gives."""
    path = Path(path)
    header = pd.read_csv(path, nrows=0).columns
    present = [name for name in table.column_names if name in header]
    missing = [
        name
        for name in table.column_names
        if name not in header and name not in table.optional_columns
    ]
    if missing:
        raise DatasetError(f"{path}: missing column(s) {missing}")
    dtypes = {name: dtype for name, dtype in column_dtypes(table).items() if name in present}
    try:
        frame = pd.read_csv(path, usecols=present, dtype=dtypes, engine=CSV_ENGINE)
    except (ValueError, TypeError) as error:  # a bad number or a missing key somewhere
        raise _locate_bad_value(table, path, present) from error
    # coerce_table puts the columns in the schema's order (pyarrow keeps the file's).
    return coerce_table(table, frame, source=str(path))


def _locate_bad_value(table: schema.Table, path: Path, present: list[str]) -> DatasetError:
    """Re-read the file as text to name the line and column the typed read choked on."""
    text = pd.read_csv(path, usecols=present, dtype=str, keep_default_na=True)
    text.index = text.index + 2  # file line numbers: line 1 is the header
    try:
        coerce_table(table, text, source=str(path))
    except DatasetError as error:
        return DatasetError(str(error).replace(", row ", ", line "))
    return DatasetError(f"{path}: could not be read with the schema's types")


def load_tables(
    data_dir: Path, *, files: tuple[str, ...] = (APPLICATION_TRAIN,), history: bool = True
) -> dict[str, pd.DataFrame]:
    """The tables of a folder of Kaggle CSV files, keyed by schema table name.

    Application rows come from `files` (application_train by default; pass
    ("application_test.csv",) to score the test set; several files are
    stacked in order). History tables are read when present (all optional;
    `history=False` skips them).
    """
    tables: dict[str, pd.DataFrame] = {}
    for name, paths in dataset_files(data_dir, files=files, history=history).items():
        table = schema.TABLES_BY_NAME[name]
        frames = [read_table(table, path) for path in paths]
        if len(frames) == 1:
            tables[name] = frames[0]
        else:
            tables[name] = pd.concat(frames, ignore_index=True)[
                [c for c in table.column_names if any(c in f.columns for f in frames)]
            ]
    return tables


def data_hash(
    source: Path | Iterable[Path],
    *,
    files: tuple[str, ...] = (APPLICATION_TRAIN,),
    history: bool = True,
) -> str:
    """sha256 (hex) of the input files' names and bytes, streamed.

    `source` is a data folder (the files `load_tables` would read with the
    same `files`/`history`) or an explicit list of files. Order-independent.
    """
    if isinstance(source, str | Path) and Path(source).is_dir():
        paths = [
            path
            for table_paths in dataset_files(Path(source), files=files, history=history).values()
            for path in table_paths
        ]
    elif isinstance(source, str | Path):
        paths = [Path(source)]
    else:
        paths = [Path(path) for path in source]
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: (p.name, str(p))):
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()
