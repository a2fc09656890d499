"""Shared machinery of the feature modules: grouped aggregation and feature metadata.

Why numpy rather than `DataFrame.groupby(...).agg(...)`: the same code must
build features for one application at serving time (a few hundred history
rows, where pandas' fixed cost of a few hundred microseconds per aggregation
adds up to far more than the work) and for 300,000 applications at training
time (27M bureau_balance rows). `Rows` maps every history row once to the
position of its client among the applications (`pd.Index.get_indexer`) and
takes the rows in that order (a radix sort); then the inputs of a scope are
stacked and each aggregate is one vectorised numpy call for all of them
(`np.bincount` for sums, counts, means and standard deviations;
`np.fmin.reduceat` / `np.fmax.reduceat` for minima and maxima). The results
come out already aligned with the applications, in their order, with NaN for
a client who has no row: no reindexing, no join, no Python loop over rows.

Missing values are never replaced by 0: every aggregate skips NaN (as pandas
does) and is NaN for a client with no known value.

The metadata side (`Catalog`, `Input`, `Scope`) gives every output column a
plain-English description and the raw Kaggle fields ("table.COLUMN") it comes
from, built from the same declarations that drive the computation, so the two
cannot drift apart and the column set never depends on the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SK_ID_CURR = "SK_ID_CURR"

# The aggregations `Groups.reduce` knows.
FUNCS = ("min", "max", "mean", "sum", "std")


# ---------------------------------------------------------------------------
# Reading columns
# ---------------------------------------------------------------------------


def is_absent(frame: pd.DataFrame | None) -> bool:
    """True when a history table brings nothing: absent or without rows.

    A database query that returned no row may give a frame without any
    column; that is an empty history, not an error. A non-empty frame without
    its key is a caller's bug and fails loudly in `keys`.
    """
    return frame is None or len(frame) == 0


def keys(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The key column as int64 (clear error if it is missing or holds NaN)."""
    if column not in frame.columns:
        raise KeyError(f"history table has no {column} column (columns: {list(frame.columns)})")
    values = frame[column]
    if values.dtype.kind in "iu":  # integers cannot be missing: skip the check
        return values.to_numpy(dtype=np.int64)
    if values.isna().any():
        raise ValueError(f"{column} has missing values: every history row needs its key")
    return values.to_numpy(dtype=np.int64)


def numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 with NaN for missing (all NaN if the column is absent).

    May be a view of the frame's data: callers never write into it.
    """
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    kind = values.dtype.kind
    if kind in "fiub":  # numpy numbers: no missing marker other than NaN
        return values.to_numpy(dtype=np.float64)
    if kind == "O":  # e.g. None for NULL, numbers as text
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(dtype=np.float64, na_value=np.nan)


def flag(condition: np.ndarray, known: np.ndarray) -> np.ndarray:
    """1.0 where `condition`, 0.0 where not, NaN where the inputs were unknown."""
    return np.where(known, condition.astype(np.float64), np.nan)


def is_level(frame: pd.DataFrame, column: str, levels: str | Iterable[str]) -> np.ndarray:
    """1.0 where the text column takes one of `levels`, 0.0 elsewhere, NaN where missing.

    Works on object and category columns alike (category: on the integer codes,
    which is what keeps 27M-row bureau_balance fast).
    """
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    wanted = [levels] if isinstance(levels, str) else list(levels)
    if isinstance(values.dtype, pd.CategoricalDtype):
        categorical = values.array
        codes = categorical.codes
        categories = categorical.categories
        hit = np.zeros(len(codes), dtype=bool)
        for level in wanted:
            if level in categories:
                hit |= codes == categories.get_loc(level)
        return flag(hit, codes >= 0)
    array = values.to_numpy()
    known = ~pd.isna(array)
    if len(array) > 100_000:  # hash-based lookup beats one comparison per level
        return flag(values.isin(wanted).to_numpy(), known)
    hit = np.zeros(len(array), dtype=bool)
    for level in wanted:
        hit |= array == level
    return flag(hit, known)


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or either side unknown."""
    with np.errstate(divide="ignore", invalid="ignore"):
        result = numerator / denominator
    result[~np.isfinite(result)] = np.nan
    return result


def sentinel_to_nan(values: np.ndarray, sentinel: float) -> np.ndarray:
    """A copy of `values` where the sentinel (e.g. 365243 days) becomes NaN."""
    return np.where(values == sentinel, np.nan, values)


# ---------------------------------------------------------------------------
# Grouping
# ---------------------------------------------------------------------------


def stable_code_order(codes: np.ndarray) -> np.ndarray:
    """`np.argsort(codes, kind="stable")` for non-negative int codes, 2-3x faster.

    numpy radix-sorts 16-bit integers; codes below 2**32 are sorted by their
    low then their high 16 bits (a least-significant-digit radix sort).
    """
    if len(codes) == 0:
        return np.zeros(0, dtype=np.intp)
    if codes.max() >= 2**32:
        return np.argsort(codes, kind="stable")
    codes = codes.astype(np.uint32)
    low = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    if codes.max() < 2**16:
        return low
    high = np.argsort((codes[low] >> 16).astype(np.uint16), kind="stable")
    return low[high]


class Groups:
    """The rows of a history table grouped by a key, aligned with a fixed list of ids.

    `ids` are unique (e.g. the applications' SK_ID_CURR); rows whose key is
    not among them are ignored. Row arrays passed to the methods are first
    narrowed with `pick` (or come from another `pick`ed array). A subset
    (`within`) keeps the same rows and treats the ones it leaves out as
    missing values, so it shares the row order sorted once by id.
    """

    def __init__(self, row_keys: np.ndarray, ids: pd.Index) -> None:
        positions = ids.get_indexer(row_keys)
        known = positions >= 0
        self._selector: np.ndarray | None = None if known.all() else known
        codes = positions if self._selector is None else positions[known]
        self._setup(codes, len(ids))

    @classmethod
    def from_codes(cls, codes: np.ndarray, size: int, *, in_id_order: bool = False) -> Groups:
        """Groups of rows already numbered 0..size-1 (e.g. loans numbered by client).

        `in_id_order`: the codes never decrease (rows listed id by id).
        """
        groups = object.__new__(cls)
        groups._selector = None
        groups._setup(codes, size)
        if in_id_order:
            starts = np.flatnonzero(np.diff(codes, prepend=-1))
            groups._sorted["by_id"] = (None, codes[starts], starts)
        return groups

    def _setup(self, codes: np.ndarray, size: int) -> None:
        self._all_codes = codes  # the id position of every picked row
        self.size = size
        # Which ids have at least one row in the table (counts are 0 for them, NaN for others).
        self.has_rows: np.ndarray = np.bincount(codes, minlength=size) > 0
        self._mask: np.ndarray | None = None  # picked rows kept by `within`
        # Row order by id (None: already in id order), ids present, where each starts.
        self._sorted: dict[str, tuple[np.ndarray | None, np.ndarray, np.ndarray]] = {}

    @property
    def codes(self) -> np.ndarray:
        """The id position of each row in the (sub)set."""
        return self._all_codes if self._mask is None else self._all_codes[self._mask]

    def pick(self, values: np.ndarray) -> np.ndarray:
        """The part of a full-table array that belongs to known ids (no copy if all do)."""
        return values if self._selector is None else values[self._selector]

    def within(self, mask: np.ndarray) -> Groups:
        """The same groups restricted to the picked rows where `mask` is True.

        `mask` is aligned with the picked rows (like the arrays given to
        `reduce`), also when narrowing a subset further. Aggregates over the
        subset are NaN for a client with no row in it; `count` is still 0
        (not NaN) for a client who has rows in the table.
        """
        mask = np.asarray(mask, dtype=bool)
        subset = object.__new__(Groups)
        subset.__dict__.update(self.__dict__)  # shares codes, has_rows and the sorted order
        subset._mask = mask if self._mask is None else self._mask & mask
        return subset

    def _rows(self, values: np.ndarray) -> np.ndarray:
        return values if self._mask is None else values[self._mask]

    def count(self) -> np.ndarray:
        """Number of rows per id: 0 for an id with rows elsewhere in the table, NaN if none."""
        counts = np.bincount(self.codes, minlength=self.size).astype(np.float64)
        counts[~self.has_rows] = np.nan
        return counts

    def reduce(self, func: str, values: np.ndarray) -> np.ndarray:
        """One aggregate per id of a picked row array, skipping NaN."""
        return self.reduce_matrix((func,), values[np.newaxis, :])[func][0]

    def reduce_matrix(self, funcs: Iterable[str], matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Aggregates per id of several picked row arrays at once, skipping NaN.

        `matrix` is (inputs x picked rows); each result is (inputs x ids). One
        numpy call serves all the inputs: for one client with a few hundred
        rows, the calls' fixed cost is all there is to pay.
        """
        funcs = set(funcs)
        if funcs - set(FUNCS):
            raise ValueError(f"unknown aggregation {sorted(funcs - set(FUNCS))} (known: {FUNCS})")
        if self._mask is not None:  # rows outside the subset count as missing
            matrix = np.where(self._mask, matrix, np.nan)
        inputs, codes = matrix.shape[0], self._all_codes
        out: dict[str, np.ndarray] = {}
        for func, ufunc in (("min", np.fmin), ("max", np.fmax)):  # fmin/fmax skip NaN
            if func in funcs:
                result = np.full((inputs, self.size), np.nan)
                if matrix.shape[1]:
                    order, present, starts = self._order()
                    ordered = matrix if order is None else np.take(matrix, order, axis=1)
                    result[:, present] = ufunc.reduceat(ordered, starts, axis=1)
                out[func] = result
        if not funcs & {"sum", "mean", "std"}:
            return out
        # One bincount for all inputs: input i's rows count into bins i*size .. (i+1)*size-1.
        bins = (codes + self.size * np.arange(inputs)[:, np.newaxis]).ravel()
        shape, length = (inputs, self.size), inputs * self.size
        known = matrix == matrix  # False for NaN
        n_known = np.bincount(bins[known.ravel()], minlength=length).reshape(shape)
        clean = np.where(known, matrix, 0.0)
        total = np.bincount(bins, weights=clean.ravel(), minlength=length).reshape(shape)
        has_value = n_known > 0
        if "sum" in funcs:
            out["sum"] = np.where(has_value, total, np.nan)
        mean = np.divide(total, n_known, out=np.full(shape, np.nan), where=has_value)
        if "mean" in funcs:
            out["mean"] = mean
        if "std" in funcs:
            deviation = np.where(known, matrix - mean[:, codes], 0.0)
            squares = np.bincount(bins, weights=(deviation**2).ravel(), minlength=length)
            variance = np.divide(
                squares.reshape(shape), n_known - 1, out=np.full(shape, np.nan), where=n_known > 1
            )
            out["std"] = np.sqrt(variance)
        return out

    def _order(self) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """Picked rows sorted by id, the ids present, and where each one's rows start.

        Computed once and shared with every subset.
        """
        if "by_id" not in self._sorted:
            order = stable_code_order(self._all_codes)
            sorted_codes = self._all_codes[order]
            starts = np.flatnonzero(np.diff(sorted_codes, prepend=-1))
            self._sorted["by_id"] = (order, sorted_codes[starts], starts)
        return self._sorted["by_id"]

    def _order_by(self, by: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the (sub)set sorted by id, then by `by` (NaN first); and their ids."""
        codes, by = self.codes, self._rows(by)
        by_order = np.argsort(np.nan_to_num(by, nan=-np.inf), kind="stable")
        order = by_order[stable_code_order(codes[by_order])]
        return order, codes[order]

    def last(self, values: np.ndarray, *, by: np.ndarray) -> np.ndarray:
        """Per id, the value on the row where `by` is largest (e.g. the latest month)."""
        values = self._rows(values)
        result = np.full(self.size, np.nan)
        if len(values) == 0:
            return result
        order, sorted_codes = self._order_by(by)
        is_last = np.append(sorted_codes[1:] != sorted_codes[:-1], True)
        result[sorted_codes[is_last]] = values[order[is_last]]
        return result

    def rank_from_last(self, *, by: np.ndarray) -> np.ndarray:
        """Per row of the (sub)set, 0 for its id's row with the largest `by`, 1 for the next..."""
        order, sorted_codes = self._order_by(by)
        ends = np.searchsorted(sorted_codes, sorted_codes, side="right")
        ranks = np.empty(len(order), dtype=np.int64)
        ranks[order] = ends - 1 - np.arange(len(order))
        return ranks


class Rows:
    """A history table's rows that belong to known ids, grouped by id, with their `Groups`.

    The rows are taken once in the order of their id (a stable radix sort),
    so every array read through `numeric`/`level`/`keys`, and every array
    computed from those, lists each client's rows together: the grouped
    sums then write memory in order and the minima and maxima need no
    reordering. That keeps 10M-row tables fast; one client costs nothing.
    """

    def __init__(self, frame: pd.DataFrame, *, key: str, ids: pd.Index) -> None:
        self.frame = frame
        positions = ids.get_indexer(keys(frame, key))
        known = np.flatnonzero(positions >= 0)
        order = stable_code_order(positions[known])
        take = known[order]
        in_place = len(take) == len(frame) and bool((np.diff(take) > 0).all())
        self._take: np.ndarray | None = None if in_place else take
        self.groups = Groups.from_codes(positions[take], len(ids), in_id_order=True)

    @classmethod
    def of_clients(
        cls, tables: Mapping[str, pd.DataFrame], name: str, clients: Clients | None
    ) -> tuple[Clients, Rows | None]:
        """The clients to compute for, and the rows of table `name` that are theirs.

        The opening of every history module's `compute`: None instead of rows
        when the table is absent (the module then returns all-missing features).
        """
        clients = clients or Clients.of(tables)
        frame = tables.get(name)
        if is_absent(frame):
            return clients, None
        return clients, cls(frame, key=SK_ID_CURR, ids=clients.ids)

    def __len__(self) -> int:
        return len(self.groups.codes)

    def pick(self, values: np.ndarray) -> np.ndarray:
        """A full-table row array narrowed to the known ids, in id order."""
        return values if self._take is None else values[self._take]

    def numeric(self, column: str) -> np.ndarray:
        return self.pick(numeric(self.frame, column))

    def level(self, column: str, levels: str | Iterable[str]) -> np.ndarray:
        return self.pick(is_level(self.frame, column, levels))

    def keys(self, column: str) -> np.ndarray:
        return self.pick(keys(self.frame, column))


def by_loan(rows: Rows, loan_key: str = "SK_ID_PREV") -> tuple[Groups, Groups]:
    """The rows grouped by loan, and the loans grouped by client.

    Two-level aggregation (per loan first, e.g. its latest month, then per
    client) without any join: loan-level arrays come out of the first
    `Groups`, and the second one aggregates them to the clients.
    """
    loan_keys = rows.keys(loan_key)
    loan_ids = pd.Index(pd.unique(loan_keys))
    loan_groups = Groups(loan_keys, loan_ids)
    loan_client = np.zeros(len(loan_ids), dtype=np.int64)
    loan_client[loan_groups.codes] = rows.groups.codes
    return loan_groups, Groups.from_codes(loan_client, rows.groups.size)


@dataclass(frozen=True)
class Clients:
    """The applications a feature run is for.

    `index`: SK_ID_CURR of every application row, in order (the output's
    index). `ids`: the same without repeats, what history rows are grouped
    on. `positions`: where each row's id sits in `ids` (None when the two are
    the same, the usual case, so nothing is copied).
    """

    index: pd.Index
    ids: pd.Index
    positions: np.ndarray | None

    @classmethod
    def of(cls, tables: Mapping[str, pd.DataFrame]) -> Clients:
        if "application" not in tables:
            raise KeyError("tables must hold an 'application' frame")
        row_ids = keys(tables["application"], SK_ID_CURR)
        index = pd.Index(row_ids, name=SK_ID_CURR)
        if index.is_unique:
            return cls(index=index, ids=index, positions=None)
        ids = pd.Index(pd.unique(row_ids), name=SK_ID_CURR)
        return cls(index=index, ids=ids, positions=ids.get_indexer(row_ids))


@dataclass
class Block:
    """A module's output before it becomes a frame: cheap to stack with the others.

    `numbers` is (columns x rows) float64 in C order, i.e. exactly the memory
    layout of a pandas float block, so neither the module frame nor the
    stacked features frame copies it again.
    """

    index: pd.Index
    names: tuple[str, ...]
    numbers: np.ndarray
    text_names: tuple[str, ...] = ()
    text: np.ndarray | None = None  # (rows x text columns) object

    def frame(self) -> pd.DataFrame:
        numbers = pd.DataFrame(self.numbers.T, index=self.index, columns=list(self.names))
        if not self.text_names:
            return numbers
        text = pd.DataFrame(self.text, index=self.index, columns=list(self.text_names))
        return pd.concat([numbers, text], axis=1, copy=False)


# ---------------------------------------------------------------------------
# Metadata: what each column means and where it comes from
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Feature:
    name: str
    description: str
    sources: tuple[str, ...]  # raw Kaggle fields as "table.COLUMN"


@dataclass
class Catalog:
    """The ordered, data-independent list of a module's output columns."""

    features: dict[str, Feature] = field(default_factory=dict)

    def add(self, name: str, description: str, sources: Iterable[str]) -> str:
        if name in self.features:
            raise ValueError(f"feature {name} declared twice")
        if not name.replace("_", "").isalnum() or name.upper() != name:
            raise ValueError(f"feature name {name!r} must use only A-Z, 0-9 and _")
        self.features[name] = Feature(name, description, tuple(sources))
        return name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.features)

    @property
    def sources(self) -> dict[str, list[str]]:
        return {name: list(feature.sources) for name, feature in self.features.items()}

    @property
    def descriptions(self) -> dict[str, str]:
        return {name: feature.description for name, feature in self.features.items()}


@dataclass(frozen=True)
class Input:
    """A row-level quantity that is aggregated per client.

    `phrase` reads after "Average"/"Highest"... for amounts ("days past due"),
    after "Number of <rows>"/"Share of <rows>" for flags ("paid late").
    """

    phrase: str
    sources: tuple[str, ...]
    is_flag: bool = False


@dataclass(frozen=True)
class Scope:
    """A set of rows aggregated per client, and which aggregates to take of which input."""

    prefix: str  # e.g. "INST_365_"
    rows: str  # e.g. "the client's instalments due in the last 365 days"
    aggregates: Mapping[str, tuple[str, ...]]  # input name -> funcs
    condition: tuple[str, ...] = ()  # raw fields that select the rows, e.g. a status column


_AMOUNT_WORDS = {
    "min": "Lowest",
    "max": "Highest",
    "mean": "Average",
    "sum": "Total",
    "std": "Spread (standard deviation) of",
}
_FLAG_WORDS = {"sum": "Number of", "mean": "Share of"}
_FLAG_SUFFIX = {"sum": "COUNT", "mean": "SHARE"}


def output_name(scope: Scope, input_name: str, func: str, inputs: Mapping[str, Input]) -> str:
    if inputs[input_name].is_flag:
        return f"{scope.prefix}{input_name}_{_FLAG_SUFFIX[func]}"
    return f"{scope.prefix}{input_name}_{func.upper()}"


def declare(catalog: Catalog, scope: Scope, inputs: Mapping[str, Input]) -> None:
    """Add the columns `aggregate(scope, ...)` produces, with descriptions and sources."""
    for input_name, funcs in scope.aggregates.items():
        item = inputs[input_name]
        for func in funcs:
            if item.is_flag:
                if func not in _FLAG_WORDS:
                    raise ValueError(f"{input_name}: a flag is aggregated by sum or mean only")
                text = f"{_FLAG_WORDS[func]} {scope.rows} {item.phrase}"
            else:
                text = f"{_AMOUNT_WORDS[func]} {item.phrase} over {scope.rows}"
            catalog.add(
                output_name(scope, input_name, func, inputs),
                text,
                _unique(item.sources + scope.condition),
            )


# Largest (inputs x rows) block stacked at once: 16M values = 128 MB of float64.
# One client's few hundred rows stack every input together; 13.6M installments
# rows go one input at a time.
_STACK_LIMIT = 16_000_000


def aggregate(
    groups: Groups,
    scope: Scope,
    inputs: Mapping[str, Input],
    values: Mapping[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Compute the columns `declare(catalog, scope, inputs)` announced."""
    wanted = scope.aggregates
    out: dict[str, np.ndarray] = {}
    # Inputs sharing the same kind of work are stacked and reduced together.
    for kinds in ({"min", "max"}, {"sum", "mean"}, {"std"}):
        names = [name for name, funcs in wanted.items() if kinds & set(funcs)]
        if not names:
            continue
        rows = len(values[names[0]])
        per_stack = max(1, _STACK_LIMIT // max(rows, 1))
        for start in range(0, len(names), per_stack):
            chunk = names[start : start + per_stack]
            funcs = kinds & {func for name in chunk for func in wanted[name]}
            results = groups.reduce_matrix(funcs, np.vstack([values[name] for name in chunk]))
            for position, name in enumerate(chunk):
                for func in funcs & set(wanted[name]):
                    out[output_name(scope, name, func, inputs)] = results[func][position]
    return out


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def assemble(catalog: Catalog, data: Mapping[str, np.ndarray], clients: Clients) -> Block:
    """The module's block: exactly the catalogue's columns, float64, infinities as NaN.

    `data` holds one array per column, aligned with `clients.ids`.
    """
    missing = [name for name in catalog.names if name not in data]
    extra = [name for name in data if name not in catalog.features]
    if missing or extra:  # a programming error in the module, never a data problem
        raise AssertionError(f"undeclared columns {extra}, uncomputed columns {missing}")
    matrix = np.empty((len(catalog.names), len(clients.ids)), dtype=np.float64)
    for position, name in enumerate(catalog.names):
        matrix[position] = data[name]
    matrix[np.isinf(matrix)] = np.nan
    if clients.positions is not None:
        matrix = matrix[:, clients.positions]
    return Block(index=clients.index, names=catalog.names, numbers=matrix)


def all_missing(catalog: Catalog, clients: Clients) -> Block:
    """The module's block for applications with no history at all in its table."""
    matrix = np.full((len(catalog.names), len(clients.index)), np.nan)
    return Block(index=clients.index, names=catalog.names, numbers=matrix)
