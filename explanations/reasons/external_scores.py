"""Reasons about the credit scores of the three external sources, one by one and together.

The client fact "external_scores" holds the three scores and every feature computed
from them (average, lowest, highest...): it is said with the three scores.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.reasons.core import Fact, Say, Template, fact_template, not_provided, template
from formatting import as_number, plural_number


def _external_score(source: int) -> Template:
    def said(say: Say, value: object) -> Fact:
        score = as_number(value)
        if score is None:
            return Fact(
                _("No credit score from external source %(source)s is available")
                % {"source": source}
            )
        return Fact(
            _("Your credit score from external source %(source)s is %(score)s (scale 0-1)")
            % {"source": source, "score": say.score(score)}
        )

    return said


for _source in (1, 2, 3):
    template(f"EXT_SOURCE_{_source}", topic=f"external_score_{_source}")(_external_score(_source))

# Each has a %(score)s.
_EXTERNAL_SUMMARY: dict[str, Promise] = {
    "APP_EXT_SOURCE_MEAN": gettext_lazy(
        "The average of your external credit scores is %(score)s (scale 0-1)"
    ),
    "APP_EXT_SOURCE_MIN": gettext_lazy(
        "Your lowest external credit score is %(score)s (scale 0-1)"
    ),
    "APP_EXT_SOURCE_MAX": gettext_lazy(
        "Your highest external credit score is %(score)s (scale 0-1)"
    ),
    "APP_EXT_SOURCE_PROD": gettext_lazy(
        "Your three external credit scores multiplied together give %(score)s (scale 0-1)"
    ),
}


def _no_external_score(say: Say) -> Fact | None:
    known = say.number_of("APP_EXT_SOURCE_COUNT")
    if known == 0 or (known is None and say.number_of("APP_EXT_SOURCE_MEAN") is None):
        return Fact(_("No external credit score is available"))
    return None


def _external_summary(sentence: Promise) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        score = as_number(value)
        if score is None:
            return _no_external_score(say)
        return Fact(sentence % {"score": say.score(score)})

    return said


for _feature, _sentence in _EXTERNAL_SUMMARY.items():
    template(_feature, topic="external_scores")(_external_summary(_sentence))


@template("APP_EXT_SOURCE_COUNT", topic="external_scores")
def _external_count(say: Say, value: object) -> Fact | None:
    known = as_number(value)
    if not known:
        return _no_external_score(say)
    return Fact(
        ngettext(
            "%(count)s of the 3 external credit scores is known",
            "%(count)s of the 3 external credit scores are known",
            plural_number(known),
        )
        % {"count": say.number(known)}
    )


@fact_template("external_scores")
def _external_scores(say: Say) -> Fact:
    scores = {source: say.number_of(f"EXT_SOURCE_{source}") for source in (1, 2, 3)}
    known = [
        _("%(score)s from source %(source)s") % {"score": say.score(score), "source": source}
        for source, score in scores.items()
        if score is not None
    ]
    unknown = [str(source) for source, score in scores.items() if score is None]
    if not known:  # a partial file may still give the aggregates
        for feature in ("APP_EXT_SOURCE_MEAN", "APP_EXT_SOURCE_MAX", "APP_EXT_SOURCE_MIN"):
            score = say.number_of(feature)
            if score is not None:
                return Fact(_EXTERNAL_SUMMARY[feature] % {"score": say.score(score)})
        return not_provided(_("Your credit scores from external sources"))
    said = {"scores": say.listed(known)}
    if not unknown:
        return Fact(_("Your credit scores from external sources (scale 0-1) are %(scores)s") % said)
    return Fact(
        ngettext(
            "Your credit scores from external sources (scale 0-1) are %(scores)s; source "
            "%(sources)s was not provided",
            "Your credit scores from external sources (scale 0-1) are %(scores)s; sources "
            "%(sources)s were not provided",
            len(unknown),
        )
        % {**said, "sources": say.listed(unknown)}
    )
