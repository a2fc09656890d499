"""Reasons about the credit scores of the three external sources, one by one and together."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.reasons.core import Fact, Say, Template, template
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
