"""Template helpers of the scoring sections: `{% load scoring_tags %}` then `{{ p|percent }}`."""

from __future__ import annotations

from django import template

from scoring import dashboard
from scoring.risk_bands import risk_band_of

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A probability as a percentage with one decimal, in the page's language."""
    return dashboard.percent(share)


@register.filter
def decision_label(decision: str) -> str:
    """ "granted"/"refused" in words, in the page's language."""
    return dashboard.decision_label(decision)


@register.filter
def risk_band(probability: float | None) -> str:
    """The risk band of a probability in words ("High (10% to 20%)"), "" when unknown."""
    band = risk_band_of(probability)
    return str(band.label) if band else ""
