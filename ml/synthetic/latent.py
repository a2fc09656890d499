"""The latent risk behind TARGET, and how strongly each column shows it.

Each client gets two independent standard normal factors:

- `z_app`: shows through the application columns (and the history tables),
- `z_hist`: shows ONLY through the history tables (payment delays, bureau
  overdue, refused applications), so that history features add signal that the
  application table alone cannot give, as they do on the real data.

The client's risk is `L = W_APP * z_app + W_HIST * z_hist` (unit variance) and
TARGET ~ Bernoulli(sigmoid(INTERCEPT + SLOPE * L)). The intercept is solved so
the default rate is the real one (8.07% on the full Kaggle data).

Application columns get, through the copula, a correlation with L chosen so that
their univariate AUC against TARGET equals the AUC measured on the real sample
(stored in the statistics): EXT_SOURCE_3 ~0.68 alone, age ~0.58, and so on.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.special import expit, ndtr

from ml.synthetic.marginals import Law

DEFAULT_RATE = 0.0807  # TARGET share of the full Kaggle application_train (307,511 rows)
# Measured on 30,000 clients (LightGBM, 70/30 split, ml.features): application
# columns alone reach AUC ~0.75 (as on the real sample); the history tables add
# about 0.04 (as on the full Kaggle data), through W_HIST and the effects in history.py.
SLOPE = 2.0
W_HIST = 0.4
W_APP = float(np.sqrt(1.0 - W_HIST**2))
# The history tables see this mix of the two factors (unit variance).
H_APP = 0.5
H_HIST = float(np.sqrt(1.0 - H_APP**2))

_GRID = np.linspace(-7.0, 7.0, 281)
_GRID_WEIGHTS = np.exp(-0.5 * _GRID**2)
_GRID_WEIGHTS /= _GRID_WEIGHTS.sum()


@cache
def intercept(rate: float = DEFAULT_RATE, slope: float = SLOPE) -> float:
    """The intercept giving E[sigmoid(a + slope * L)] = rate for L ~ N(0, 1)."""
    lo, hi = -15.0, 5.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if float(np.sum(_GRID_WEIGHTS * expit(mid + slope * _GRID))) < rate:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def draw_target(rng: np.random.Generator, risk: np.ndarray) -> np.ndarray:
    p = expit(intercept() + SLOPE * risk)
    return (rng.random(len(risk)) < p).astype(np.int64)


@cache
def _auc_curve() -> tuple[np.ndarray, np.ndarray]:
    """AUC against TARGET of a continuous score with correlation rho to L, on a grid of
    rho, computed by quadrature (exact up to the grid)."""
    p1 = expit(intercept() + SLOPE * _GRID)
    w1 = _GRID_WEIGHTS * p1
    w0 = _GRID_WEIGHTS * (1 - p1)
    w1, w0 = w1 / w1.sum(), w0 / w0.sum()
    diff = _GRID[:, None] - _GRID[None, :]
    rhos = np.linspace(0.0, 0.99, 45)
    aucs = np.array(
        [float(w1 @ ndtr(r * diff / np.sqrt(2 * (1 - r * r))) @ w0) if r > 0 else 0.5 for r in rhos]
    )
    return rhos, aucs


@cache
def _attenuation_sample() -> tuple[np.ndarray, np.ndarray, float]:
    """Simulated (TARGET, uniform score at correlation 0.5 with L, its AUC)."""
    rng = np.random.default_rng(20240607)
    n = 40_000
    risk = rng.standard_normal(n)
    y = rng.random(n) < expit(intercept() + SLOPE * risk)
    score = 0.5 * risk + np.sqrt(0.75) * rng.standard_normal(n)
    return y, ndtr(score), _auc_of_ranks(y, np.argsort(np.argsort(score)))


def _tie_attenuation(law: Law) -> float:
    """How much a column's ties (levels, frequent values) shrink its AUC, measured on
    simulated data at one correlation (common random numbers keep the noise low)."""
    if law.kind == "continuous" and not law.spec.get("atoms"):
        return 1.0
    y, u, continuous = _attenuation_sample()
    if law.kind in ("categorical", "discrete"):
        tied = law.codes(u)
    else:
        tied = np.unique(law.from_uniform(u), return_inverse=True)[1]
    return max((_auc_of_ranks(y, tied) - 0.5) / (continuous - 0.5), 0.05)


def _auc_of_ranks(y: np.ndarray, codes: np.ndarray) -> float:
    """AUC of integer-coded scores (ties count one half), in linear time."""
    size = int(codes.max()) + 1
    positives = np.bincount(codes[y], minlength=size).astype(float)
    negatives = np.bincount(codes[~y], minlength=size).astype(float)
    below = np.cumsum(negatives) - negatives
    return float(
        (positives * (below + 0.5 * negatives)).sum() / (positives.sum() * negatives.sum())
    )


def correlation_for_auc(law: Law, auc: float) -> float:
    """Correlation with L (signed) that gives the column this univariate AUC.

    For a categorical column the levels are ordered from safest to riskiest, so its
    AUC is always >= 0.5 and the correlation positive; for a number, an AUC below 0.5
    (e.g. EXT_SOURCE: higher is safer) gives a negative correlation.
    """
    sign = 1.0 if auc >= 0.5 else -1.0
    strength = abs(auc - 0.5) / _tie_attenuation(law)
    rhos, aucs = _auc_curve()
    return sign * float(np.interp(0.5 + strength, aucs, rhos))
