"""Template helpers of the scoring sections: `{% load scoring_tags %}` then `{{ p|percent }}`."""

from __future__ import annotations

from django import template

from scoring import dashboard

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A probability as a percentage with one decimal, in the page's language."""
    return dashboard.percent(share)


@register.filter
def decision_label(decision: str) -> str:
    """ "granted"/"refused" in words, in the page's language."""
    return dashboard.decision_label(decision)
