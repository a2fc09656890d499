"""Risk bands: the calibrated probability of default in five grades an advisor can filter on.

The decision (granted/refused) depends on the business threshold of the
active model; the risk band does not: it reads the probability itself, so
"high risk" means the same thing whatever model or threshold is in force.
The bounds follow a portfolio whose default rate is about 8%: "moderate" is
around that average, "very low" is a third of it, "very high" is more than
twice it. They are defined here and nowhere else (the portfolio filter, its
labels and the client rows all read this table).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RiskBand:
    key: str
    lower: float  # inclusive
    upper: float | None  # exclusive; None = no upper bound
    label: Promise

    def contains(self, probability: float) -> bool:
        return probability >= self.lower and (self.upper is None or probability < self.upper)


RISK_BANDS: tuple[RiskBand, ...] = (
    RiskBand("very_low", 0.0, 0.025, _("Very low (under 2.5%)")),
    RiskBand("low", 0.025, 0.05, _("Low (2.5% to 5%)")),
    RiskBand("moderate", 0.05, 0.10, _("Moderate (5% to 10%)")),
    RiskBand("high", 0.10, 0.20, _("High (10% to 20%)")),
    RiskBand("very_high", 0.20, None, _("Very high (20% or more)")),
)
RISK_BANDS_BY_KEY: dict[str, RiskBand] = {band.key: band for band in RISK_BANDS}


def risk_band_of(probability: float | None) -> RiskBand | None:
    """The band a probability falls in; None when there is no probability."""
    if probability is None:
        return None
    for band in RISK_BANDS:
        if band.contains(probability):
            return band
    return RISK_BANDS[-1]  # a probability above 1 cannot happen; be total anyway
