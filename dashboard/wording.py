"""What the advisor's pages say about a score: percentages, its margin to the threshold, in words.

The advisor is a relationship manager, not a data scientist: every figure
comes with a sentence. The confidence bands (how far the probability sits
from the business threshold) are defined here and nowhere else.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import formatting
from scoring.models import Decision

# Distance |probability - threshold| in percentage points -> how firm the decision is.
# Read in order: the first band whose upper bound exceeds the distance applies.
# Calibrated probabilities of a default rate of ~8% put most clients within a
# few points of a threshold of the same order: 2 points is a coin toss in
# practice (a small change of the data moves the client across), 5 points is
# solid, beyond that the model is clear.
BORDERLINE = "borderline"
MODERATE = "moderate"
CLEAR = "clear"
CONFIDENCE_BANDS: tuple[tuple[float, str], ...] = (
    (2.0, BORDERLINE),
    (5.0, MODERATE),
    (float("inf"), CLEAR),
)


def language() -> str:
    """The active request language as the services spell it ("fr" or "en")."""
    return formatting.active_language()


def percent(share: float | None, digits: int = 1) -> str:
    """0.1234 -> "12.3%" (en) / "12,3 %" (fr); "—" when unknown."""
    return formatting.percent(share, decimals=digits)


def points(distance: float) -> str:
    """A distance between two probabilities in percentage points: 0.031 -> "3.1"."""
    return formatting.points(distance)


def confidence_band(probability: float, threshold: float) -> str:
    """BORDERLINE, MODERATE or CLEAR, from the distance to the threshold (see CONFIDENCE_BANDS)."""
    distance = 100 * abs(probability - threshold)
    for upper, band in CONFIDENCE_BANDS:
        if distance < upper:
            return band
    return CLEAR


def band_label(band: str) -> str:
    return {
        BORDERLINE: _("borderline"),
        MODERATE: _("fairly clear"),
        CLEAR: _("clear"),
    }[band]


def decision_label(decision: str) -> str:
    labels: dict[str, str] = {Decision.GRANTED: _("granted"), Decision.REFUSED: _("refused")}
    return labels.get(decision, "—")


def decision_outcome(decision: str) -> str:
    """The outcome where a sentence names the decision itself ("The decision would stay:
    refused"): French says it as a noun ("refus", "accord"), since the adjective would have
    to agree with "la décision" and "refusé" does not; `decision_label` stays the word for
    the loan or the application, on its own."""
    labels: dict[str, str] = {
        Decision.GRANTED: pgettext("outcome of the decision", "granted"),
        Decision.REFUSED: pgettext("outcome of the decision", "refused"),
    }
    return labels.get(decision, "—")


def decision_sentence(*, probability: float, threshold: float, decision: str) -> str:
    """ "Probability of default 12.3%, above the threshold of 8.3%: refused." and its margin."""
    values = {
        "probability": percent(probability),
        "threshold": percent(threshold),
        "decision": decision_label(decision),
    }
    if probability >= threshold:
        sentence = _(
            "Probability of default %(probability)s, above the threshold of %(threshold)s: "
            "%(decision)s."
        )
    else:
        sentence = _(
            "Probability of default %(probability)s, below the threshold of %(threshold)s: "
            "%(decision)s."
        )
    sentence %= values
    return f"{sentence} {margin_sentence(probability=probability, threshold=threshold)}"


def advisory_sentence(*, probability: float, threshold: float) -> str:
    """Under manual review: the probability and the threshold as advice, no decision."""
    return _(
        "Probability of default %(probability)s (the model's threshold: %(threshold)s). "
        "Manual review is on: a person decides."
    ) % {"probability": percent(probability), "threshold": percent(threshold)}


def margin_sentence(*, probability: float, threshold: float) -> str:
    """ "4.0 points from the threshold: a clear decision." (the confidence wording)."""
    band = confidence_band(probability, threshold)
    values = {"points": points(probability - threshold), "band": band_label(band)}
    if band == BORDERLINE:
        return (
            _(
                "Only %(points)s points from the threshold: a borderline decision, "
                "which a small change in the file could reverse."
            )
            % values
        )
    return _("%(points)s points from the threshold: a %(band)s decision.") % values
