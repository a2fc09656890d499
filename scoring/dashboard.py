"""What the client page says about a score: its state, its margin to the threshold, in words.

The advisor is a relationship manager, not a data scientist: every figure
comes with a sentence. The confidence bands (how far the probability sits
from the business threshold) are defined here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clients.frames import application_digest
from clients.models import Application
from explanations.feature_labels import normalise_language
from explanations.reasons import format_number
from scoring.models import CreditDecision, Decision, ModelVersion, ReviewRequest, Score

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

# Choices of the number of factors in the waterfall.
TOP_CHOICES: tuple[int, ...] = (5, 10, 15, 20)
DEFAULT_TOP = 10


def language() -> str:
    """The active request language as the services spell it ("fr" or "en")."""
    return normalise_language(get_language())


def percent(share: float | None, digits: int = 1) -> str:
    """0.1234 -> "12.3%" (en) / "12,3 %" (fr); "—" when unknown."""
    if share is None:
        return "—"
    lang = language()
    number = format_number(100 * share, lang, decimals=digits, trim=False)
    return f"{number}\u202f%" if lang == "fr" else f"{number}%"


def points(distance: float) -> str:
    """A distance between two probabilities in percentage points: 0.031 -> "3.1"."""
    return format_number(100 * abs(distance), language(), decimals=1, trim=False)


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
    return {Decision.GRANTED: _("granted"), Decision.REFUSED: _("refused")}.get(decision, "—")


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


@dataclass(frozen=True)
class ScoreState:
    """The scoring side of one client page.

    `score`: the latest successful score (what the page explains), or None.
    `latest`: the most recent score of any status (pending/running: a worker
    is on it; failed: its error is shown). `active_version`: the model that
    would score now (None: scoring is unavailable). `is_stale`: the data or
    the active model changed since `score`, so "Score now" is offered again.
    """

    score: Score | None
    latest: Score | None
    active_version: ModelVersion | None
    is_stale: bool

    @property
    def in_progress(self) -> bool:
        return self.latest is not None and self.latest.status in (
            Score.Status.PENDING,
            Score.Status.RUNNING,
        )

    @property
    def failed(self) -> bool:
        return self.latest is not None and self.latest.status == Score.Status.FAILED

    @property
    def can_score(self) -> bool:
        """Whether "Score now" makes sense: a model serves and nothing newer is on its way."""
        return (
            self.active_version is not None
            and not self.in_progress
            and (self.score is None or self.is_stale or self.failed)
        )


def score_state_get(*, application: Application) -> ScoreState:
    """The latest score, the latest successful one, the active model, and whether it is stale.

    Two or three queries: the latest score (with its model), the latest done
    one when the latest is not done, the active model; plus the application's
    digest when there is a score to compare it with.
    """
    scores = Score.objects.select_related("model_version").filter(application=application)
    latest = scores.order_by("-created_at").first()
    if latest is None or latest.is_current:
        done = latest
    else:
        done = scores.filter(is_current=True).first()
    active = ModelVersion.objects.filter(is_active=True).first()
    stale = False
    if done is not None:
        stale = active is not None and (
            done.model_version_id != active.pk
            or done.input_digest != application_digest(application.pk)
        )
    return ScoreState(score=done, latest=latest, active_version=active, is_stale=stale)


def credit_decisions_for(*, application: Application, limit: int = 20) -> list[CreditDecision]:
    """The decisions recorded on `application`, the latest first."""
    return list(
        CreditDecision.objects.filter(application=application)
        .select_related("decided_by", "score")
        .order_by("-created_at")[:limit]
    )


def open_review_for(*, application: Application) -> ReviewRequest | None:
    """The client's open request for a review, if any."""
    return (
        ReviewRequest.objects.filter(application=application, status=ReviewRequest.Status.OPEN)
        .order_by("created_at")
        .first()
    )
