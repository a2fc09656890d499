"""The business threshold: refuse when the default probability is at least t.

A missed defaulter (false negative: credit granted, client defaults) costs
`cost_fn`; a wrongly refused good client (false positive) costs `cost_fp`.
The weights are configuration (CLI flags, stored in the artifact), 10 and 1
by default as given by the business.

The search is exact: every distinct probability is a candidate cut, plus
"refuse nobody". Sorting once and taking cumulative sums of positives and
negatives gives the cost of all candidates in O(n log n), so no grid can miss
the minimum. Between two consecutive distinct probabilities every cut gives
the same decisions on the training rows; we return the midpoint of the
winning interval, the choice least sensitive to how new probabilities fall.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Confusion:
    tn: int
    fp: int
    fn: int
    tp: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class ThresholdChoice:
    threshold: float
    cost_fn: float
    cost_fp: float
    rows: int
    cost: float  # total cost over the rows at `threshold`
    cost_at_05: float  # total cost refusing when probability >= 0.5
    cost_refuse_nobody: float  # total cost granting every credit
    confusion: Confusion  # at `threshold`
    refusal_rate: float  # share of rows refused at `threshold`

    @property
    def cost_per_client(self) -> float:
        return self.cost / self.rows

    @property
    def cost_at_05_per_client(self) -> float:
        return self.cost_at_05 / self.rows

    @property
    def cost_refuse_nobody_per_client(self) -> float:
        return self.cost_refuse_nobody / self.rows

    def as_dict(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "cost_fn": self.cost_fn,
            "cost_fp": self.cost_fp,
            "rows": self.rows,
            "cost": self.cost,
            "cost_per_client": self.cost_per_client,
            "cost_at_05": self.cost_at_05,
            "cost_at_05_per_client": self.cost_at_05_per_client,
            "cost_refuse_nobody": self.cost_refuse_nobody,
            "cost_refuse_nobody_per_client": self.cost_refuse_nobody_per_client,
            "confusion": self.confusion.as_dict(),
            "refusal_rate": self.refusal_rate,
        }


def _check(y_true: np.ndarray, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=np.float64)
    if y.shape != p.shape or y.ndim != 1:
        raise ValueError(f"y_true and proba must be 1-d of the same length: {y.shape} vs {p.shape}")
    if len(y) == 0:
        raise ValueError("no rows to choose a threshold on")
    if np.isnan(p).any():
        raise ValueError("proba holds NaN")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must hold only 0 and 1")
    return y.astype(np.int64), p


def confusion_at(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> Confusion:
    """Confusion counts when refusing every row with proba >= threshold."""
    y, p = _check(y_true, proba)
    refused = p >= threshold
    positive = y == 1
    return Confusion(
        tn=int(np.sum(~refused & ~positive)),
        fp=int(np.sum(refused & ~positive)),
        fn=int(np.sum(~refused & positive)),
        tp=int(np.sum(refused & positive)),
    )


def expected_cost(
    y_true: np.ndarray, proba: np.ndarray, threshold: float, *, cost_fn: float, cost_fp: float
) -> float:
    """Total cost cost_fn·FN + cost_fp·FP over the rows (divide by len for per client)."""
    confusion = confusion_at(y_true, proba, threshold)
    return float(cost_fn * confusion.fn + cost_fp * confusion.fp)


def choose_threshold(
    y_true: np.ndarray, proba: np.ndarray, *, cost_fn: float = 10.0, cost_fp: float = 1.0
) -> ThresholdChoice:
    """The threshold minimising cost_fn·FN + cost_fp·FP on (y_true, proba)."""
    if cost_fn < 0 or cost_fp < 0 or cost_fn + cost_fp == 0:
        raise ValueError(f"cost weights must be >= 0 and not both 0: {cost_fn=}, {cost_fp=}")
    y, p = _check(y_true, proba)
    order = np.argsort(-p, kind="stable")
    p_sorted = p[order]
    y_sorted = y[order]
    # Cut k (k = 0..n): refuse the k rows with the highest probabilities. Only
    # cuts that fall between distinct probabilities are reachable by a threshold.
    refused_pos = np.concatenate(([0], np.cumsum(y_sorted)))
    refused_neg = np.concatenate(([0], np.cumsum(1 - y_sorted)))
    total_pos = int(refused_pos[-1])
    costs = cost_fn * (total_pos - refused_pos) + cost_fp * refused_neg
    reachable = np.ones(len(p) + 1, dtype=bool)
    reachable[1:-1] = p_sorted[:-1] != p_sorted[1:]
    candidates = np.flatnonzero(reachable)
    # Ties in cost: the first candidate, i.e. the one refusing the fewest clients.
    best = int(candidates[np.argmin(costs[candidates])])
    if best == 0:
        # Refuse nobody: the midpoint between the highest probability and 1.
        top = p_sorted[0]
        threshold = float((top + 1.0) / 2.0) if top < 1.0 else float(np.nextafter(top, np.inf))
    elif best == len(p):
        threshold = float(p_sorted[-1] / 2.0)  # refuse everybody
    else:
        threshold = float((p_sorted[best - 1] + p_sorted[best]) / 2.0)
        if not (p_sorted[best] < threshold <= p_sorted[best - 1]):
            threshold = float(p_sorted[best - 1])  # adjacent floats: no midpoint exists
    confusion = confusion_at(y, p, threshold)
    cost = float(cost_fn * confusion.fn + cost_fp * confusion.fp)
    return ThresholdChoice(
        threshold=threshold,
        cost_fn=float(cost_fn),
        cost_fp=float(cost_fp),
        rows=len(p),
        cost=cost,
        cost_at_05=expected_cost(y, p, 0.5, cost_fn=cost_fn, cost_fp=cost_fp),
        cost_refuse_nobody=float(cost_fn * total_pos),
        confusion=confusion,
        refusal_rate=float((confusion.fp + confusion.tp) / len(p)),
    )


def bayes_threshold(*, cost_fn: float, cost_fp: float) -> float:
    """The cut that is optimal for perfectly calibrated probabilities.

    Refusing costs cost_fp·(1-p), granting costs cost_fn·p: refuse when
    p >= cost_fp / (cost_fp + cost_fn) (1/11 for the default 10:1 weights).
    """
    return cost_fp / (cost_fp + cost_fn)
