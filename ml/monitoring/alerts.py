"""Alert limits: pure functions saying whether a monitoring figure has crossed its limit.

The Django side stores the crossings and e-mails risk staff; here only the
comparison lives, so that the page, the e-mail and the tests agree on what
"crossed" means. Each `Crossing` carries a `message_key` (a stable
identifier, not a sentence) that the Django side maps to a translated
message.

Default limits (`Limits()`), and why:

* drift_share = 0.3: an alert when 30% or more of the compared features have
  drifted (Evidently's own dataset test uses 0.5 by default). Many features
  are derived from the same few raw amounts (the credit, annuity and goods
  price feed seven ratios), so one real change in the applications moves
  several columns at once; waiting for half of them is late. Measured on the
  real data: application_test against application_train gives about 0.1
  (14 to 17 of the 148 application columns, depending on the sample: the
  credit amounts, annuities and their ratios), the known and benign
  difference between the two Kaggle files, which 0.3 does not flag.
* score_psi = 0.25: the risk teams' "significant shift" band of the
  population stability index of the probabilities (0.1 to 0.25, "to
  investigate", is shown on the pages but sends no e-mail).
* fairness_ratio = 0.8: the four-fifths rule; a significant group approved at
  less than 80% of the rate of the most-approved group.
* auc_gap = 0.05: an alert when the expected AUC (CBPE) of recent
  applications is 0.05 or more below the training AUC. Measured on a model
  trained on the real sample (30,752 rows, 3 folds): out-of-fold AUC 0.750,
  folds from 0.736 to 0.763, and the expected AUC computed from its
  out-of-fold probabilities 0.745 against 0.750 realised on the same 5,000
  reference rows. A drop of 0.05 is well beyond both that fold-to-fold noise
  and the estimator's own error, and it is a fifth of the ranking power
  above chance (0.05 of the 0.25 above 0.5). Only drops alert: a population
  that is easier to rank is not a risk.

Comparisons: drift share, score PSI and AUC gap cross when they reach their
limit (>=), as Evidently's dataset test fails at share >= limit and the PSI's
"significant" band starts at 0.25; a fairness ratio crosses when it is below
its limit (<), the four-fifths rule's wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

DRIFT_SHARE = "drift_share"
SCORE_PSI = "score_psi"
FAIRNESS_RATIO = "fairness_ratio"
AUC_GAP = "auc_gap"

MESSAGE_KEYS = {
    DRIFT_SHARE: "monitoring.alert.drift_share",
    SCORE_PSI: "monitoring.alert.score_psi",
    FAIRNESS_RATIO: "monitoring.alert.fairness_ratio",
    AUC_GAP: "monitoring.alert.auc_gap",
}


@dataclass(frozen=True)
class Limits:
    """The limits alerts are raised at (see the module docstring for the defaults)."""

    drift_share: float = 0.3
    score_psi: float = 0.25
    fairness_ratio: float = 0.8
    auc_gap: float = 0.05

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int | float) or value != value or value < 0:
                raise ValueError(f"limit {name} must be a number >= 0, got {value!r}")
        if self.drift_share > 1 or self.fairness_ratio > 1:
            raise ValueError("drift_share and fairness_ratio limits are shares: at most 1")

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Crossing:
    """One figure past its limit. `subject`: what it is about (a group), else None."""

    kind: str  # DRIFT_SHARE, SCORE_PSI, FAIRNESS_RATIO or AUC_GAP
    value: float
    limit: float
    message_key: str
    subject: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def drift_share_crossed(share: float, limit: float) -> bool:
    """True when the share of drifted columns reaches the limit."""
    return share >= limit


def score_psi_crossed(psi: float, limit: float) -> bool:
    """True when the PSI of the probabilities reaches the limit."""
    return psi >= limit


def fairness_ratio_crossed(ratio: float, limit: float) -> bool:
    """True when a group's approval ratio to the most-approved group is below the limit."""
    return ratio < limit


def auc_gap(expected_auc: float, training_auc: float) -> float:
    """How far the expected AUC is below the training AUC (negative when above)."""
    return training_auc - expected_auc


def auc_gap_crossed(expected_auc: float, training_auc: float, limit: float) -> bool:
    """True when the expected AUC is `limit` or more below the training AUC."""
    # A hair of tolerance: 0.75 - 0.70 is 0.04999999999999993 in binary floating point.
    return auc_gap(expected_auc, training_auc) >= limit - 1e-12


def crossings(figures: Mapping[str, Any], limits: Limits | None = None) -> list[Crossing]:
    """Every figure of `figures` that crosses its limit, in the order of the keys below.

    `figures` (each key optional, None = not measured, no alert):

    * "drift_share": share of drifted columns (the drift summary's
      `drift_share`);
    * "score_psi": PSI of the probabilities (`PSIResult.value`);
    * "fairness_ratios": {subject: approval ratio}, e.g.
      {"CODE_GENDER=F": 0.76}, or a fairness report
      (`fairness_report(...)`), whose significant approval ratios are used
      (a ratio that is not significant never alerts);
    * "expected_auc" and "training_auc": both needed for the AUC gap.
    """
    limits = limits or Limits()
    found: list[Crossing] = []
    share = figures.get("drift_share")
    if share is not None and drift_share_crossed(share, limits.drift_share):
        found.append(_crossing(DRIFT_SHARE, share, limits.drift_share))
    psi = figures.get("score_psi")
    if psi is not None and score_psi_crossed(psi, limits.score_psi):
        found.append(_crossing(SCORE_PSI, psi, limits.score_psi))
    for subject, ratio in _ratios(figures.get("fairness_ratios")):
        if fairness_ratio_crossed(ratio, limits.fairness_ratio):
            found.append(_crossing(FAIRNESS_RATIO, ratio, limits.fairness_ratio, subject))
    expected, training = figures.get("expected_auc"), figures.get("training_auc")
    if expected is not None and training is not None:
        if auc_gap_crossed(expected, training, limits.auc_gap):
            found.append(_crossing(AUC_GAP, auc_gap(expected, training), limits.auc_gap))
    return found


def _crossing(kind: str, value: float, limit: float, subject: str | None = None) -> Crossing:
    return Crossing(
        kind=kind,
        value=float(value),
        limit=float(limit),
        message_key=MESSAGE_KEYS[kind],
        subject=subject,
    )


def _ratios(source: Any) -> Iterable[tuple[str, float]]:
    if source is None:
        return []
    if isinstance(source, Mapping) and "groupings" in source:
        return [
            (f"{row['grouping']}={row['group']}", row["value"])
            for grouping in source["groupings"].values()
            for row in grouping["rows"]
            if row["metric"] == "approval_ratio" and row["significant"] and row["value"] is not None
        ]
    return [(str(subject), float(ratio)) for subject, ratio in source.items() if ratio is not None]
