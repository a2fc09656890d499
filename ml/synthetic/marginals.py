"""Column laws read from the committed statistics, sampled from uniforms.

Every law turns uniforms u in [0, 1) into values with the real marginal
distribution, monotonically: that is what lets a Gaussian copula (u = Phi of a
correlated normal score) carry rank correlations and a latent risk into the
columns without changing their marginals.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
from scipy.special import ndtr

STATS_PATH = Path(__file__).resolve().parent.parent / "data" / "homecredit_stats.json"


@cache
def load_stats(path: Path = STATS_PATH) -> dict:
    return json.loads(path.read_text())


def nan_where(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """`values` with NaN where `missing` (text columns keep their object dtype)."""
    if values.dtype == object:
        values = values.copy()
        values[missing] = np.nan
        return values
    return np.where(missing, np.nan, values)


class Law:
    """The law of one column: its missing share and a monotone map from uniforms to values."""

    def __init__(self, spec: dict, quantile_p: list[float] | None = None) -> None:
        self.spec = spec
        self.kind: str = spec["kind"]
        self.missing: float = float(spec.get("missing", 0.0))
        self.step: float | None = spec.get("step")
        self.decimals: int | None = spec.get("decimals")
        shares = spec.get("decimal_shares")
        self.decimal_cum = np.cumsum(shares) / np.sum(shares) if shares else None
        if self.kind in ("categorical", "discrete"):
            probs = np.asarray(spec["probs"], dtype=float)
            self.cum = np.cumsum(probs / probs.sum())
            self.cum[-1] = 1.0
            if self.kind == "categorical":
                self.levels = np.asarray(spec["levels"], dtype=object)
            else:
                self.values = np.asarray(spec["values"], dtype=float)
        elif self.kind == "continuous":
            self.knots_p, self.knots_v = _knots(spec, quantile_p or load_stats()["quantile_p"])
        else:
            raise ValueError(f"cannot sample a column of kind {self.kind!r}")

    # -- sampling -----------------------------------------------------------------
    def codes(self, u: np.ndarray) -> np.ndarray:
        """Index of the level (categorical/discrete laws) each uniform falls in."""
        return np.minimum(np.searchsorted(self.cum, u, side="right"), len(self.cum) - 1)

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        if self.kind == "categorical":
            return self.levels[self.codes(u)]
        if self.kind == "discrete":
            return self.values[self.codes(u)]
        return self.round(np.interp(u, self.knots_p, self.knots_v))

    def from_normal(self, x: np.ndarray) -> np.ndarray:
        return self.from_uniform(ndtr(x))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.from_uniform(rng.random(n))

    def missing_mask(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.random(n) < self.missing

    def round(self, values: np.ndarray) -> np.ndarray:
        """Round like the real column: Kaggle amounts are multiples of 4.5, 1.5, 2250..."""
        if self.step is not None:
            values = np.round(values / self.step) * self.step
        # derive_stats writes the decimals' shares only beside a number of decimals.
        if self.decimal_cum is not None and self.decimals is not None:
            # Round amounts to 0, 1, 2... decimals in the real shares; which one is picked
            # from the value's own far digits, so no random state is needed.
            pick = np.modf(np.abs(values) * 1e5)[0]
            digits = np.minimum(
                np.searchsorted(self.decimal_cum, pick, side="right"), len(self.decimal_cum) - 1
            )
            rounded = np.round(values, self.decimals)
            for d in range(len(self.decimal_cum) - 1):
                rounded = np.where(digits == d, np.round(values, d), rounded)
            return rounded
        if self.decimals is not None:
            values = np.round(values, self.decimals)
        return values

    def probability_of(self, value: float | str) -> float:
        """Share of the (present) values equal to `value`."""
        if self.kind == "categorical":
            hits = np.flatnonzero(self.levels == value)
        elif self.kind == "discrete":
            hits = np.flatnonzero(self.values == value)
        else:
            return sum(hi - lo for v, lo, hi in self.spec.get("atoms", []) if v == value)
        if len(hits) == 0:
            return 0.0
        i = hits[0]
        return float(self.cum[i] - (self.cum[i - 1] if i > 0 else 0.0))


def _knots(spec: dict, default_p: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Knots of the quantile function: the stored quantiles plus the exact probability
    span of every frequent value (an "atom"), so interpolation returns that value for
    exactly its real share of the uniforms."""
    p = np.asarray(spec.get("p", default_p), dtype=float)
    q = np.asarray(spec["q"], dtype=float)
    atoms = spec.get("atoms", [])
    keep = np.ones(len(p), dtype=bool)
    for _, lo, hi in atoms:
        keep &= ~((p > lo) & (p < hi))
    listed_p = [0.0, *p[keep], 1.0]
    listed_v = [q[0], *q[keep], q[-1]]
    for value, lo, hi in atoms:
        listed_p += [lo, hi]
        listed_v += [value, value]
    order = np.lexsort((listed_v, listed_p))
    knots_p = np.asarray(listed_p)[order]
    # The quantile function is non-decreasing; rounding in the JSON may break ties.
    knots_v = np.maximum.accumulate(np.asarray(listed_v)[order])
    return knots_p, knots_v


class Laws:
    """Laws of one table's columns, built once from the statistics."""

    def __init__(self, specs: dict[str, dict], quantile_p: list[float] | None = None) -> None:
        self._specs = specs
        self._quantile_p = quantile_p
        self._laws: dict[str, Law] = {}

    def __getitem__(self, name: str) -> Law:
        if name not in self._laws:
            self._laws[name] = Law(self._specs[name], self._quantile_p)
        return self._laws[name]

    def __contains__(self, name: str) -> bool:
        return name in self._specs and self._specs[name].get("kind") != "empty"
