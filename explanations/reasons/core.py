"""The machinery of the reasons: facts, the template registries, sentences, `reasons_for`.

A section module (credit, household, ...) registers, for each client fact
it knows (explanations/facts.py), a sentence that states the client's values
(`fact_template`), and for the features it knows a sentence on that feature
alone (`template`, what `explain_feature` says). This module groups a score's
contributions by fact, picks the strongest facts per direction, says missing
histories and values that were not provided, and turns a fact into a
sentence with its effect on the risk.

Every sentence is a whole gettext message with named placeholders
("%(fact)s, which increases the risk."), never fragments glued in code, so a
language orders its words freely. The entry points (`reasons_for`,
`explain_feature`, `format_value`) take the language and run under
`translation.override(language)`; everything below reads the active language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

from babel import lists
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import formatting
from clients import field_descriptions
from explanations import facts as fact_table
from explanations import feature_labels as fl
from formatting import DAYS_PER_YEAR, as_number
from ml.schema import DAYS_EMPLOYED_SENTINEL

REASONS_PER_DIRECTION = 3
# Below this (log-odds), a contribution moves the probability by a fraction of a
# percentage point: not something to tell anyone.
MIN_CONTRIBUTION = 1e-3
# Facts never given as a reason (see the package docstring), and their features.
OMITTED_FACTS = frozenset({"gender"})
OMITTED_FROM_REASONS = frozenset({"CODE_GENDER"})

HISTORY_PREFIXES = ("BUREAU_", "PREV_", "POS_", "INST_", "CC_")


# ---------------------------------------------------------------------------
# Values as a person reads them
# ---------------------------------------------------------------------------


def _not_provided() -> str:
    return pgettext("value", "not provided")


def _relative_to_application(count: str, number: float) -> str:
    if number < 0:
        return _("%(duration)s before the application") % {"duration": count}
    return _("%(duration)s after the application") % {"duration": count}


def _format_value(feature: str, value: object) -> str:
    kind = fl.value_kind(feature)
    if kind == fl.CATEGORY:
        if value is None:
            return _not_provided()
        return field_descriptions.value_label(feature, value, formatting.active_language())
    number = as_number(value)
    if number is None:
        return _not_provided()
    if kind == fl.AMOUNT:
        return formatting.money(number)
    if kind == fl.SHARE:
        return formatting.percent(number)
    if kind == fl.RATIO:
        return formatting.number(number, decimals=2 if abs(number) < 10 else 1)
    if kind == fl.COUNT:
        return formatting.number(number, decimals=1)
    if kind == fl.DAYS:
        return formatting.day_count(round(number))
    if kind == fl.DAYS_BEFORE:
        if feature == "DAYS_EMPLOYED" and number == DAYS_EMPLOYED_SENTINEL:
            return pgettext("employment", "not employed")
        if round(number) == 0:
            return _("on the day of the application")
        return _relative_to_application(formatting.duration(number), number)
    if kind == fl.MONTHS_BEFORE:
        return _relative_to_application(formatting.month_count(abs(round(number))), number)
    if kind == fl.YEARS:
        return formatting.duration(number * DAYS_PER_YEAR)
    if kind == fl.SCORE:
        return _("%(score)s (scale 0-1)") % {"score": formatting.score_value(number)}
    if kind == fl.FLAG:
        return pgettext("flag", "yes") if number >= 0.5 else pgettext("flag", "no")
    if kind == fl.HOUR:
        return pgettext("hour of the day", "%(hour)s:00") % {"hour": int(number)}
    return formatting.number(number, decimals=2 if abs(number) < 100 else 0)


def format_value(feature: str, value: object, language: str | None = None) -> str:
    """The value of `feature` as a person reads it, following its kind (see feature_labels).

    In `language`, or the active language when None.
    """
    if language is None:
        return _format_value(feature, value)
    with translation.override(fl.normalise_language(language)):
        return _format_value(feature, value)


# ---------------------------------------------------------------------------
# Templates: what a value means, for the features people ask about
# ---------------------------------------------------------------------------


class Fact(NamedTuple):
    """What a feature says about the client, before saying which way it pushes the risk.

    `subject`: the text is a noun phrase ("Your education level (Secondary)")
    that takes the verb ("... increases the risk"), not a clause ("You are
    34 years old") followed by ", which increases the risk".
    `missing`: the text names what was not provided ("Your occupation"); the
    sentence says so, and that the model then relies on the client's other data.
    `raising`, `lowering`: the whole sentence when the fact raises (lowers) the
    risk, for a fact that would read as absurd with ", which increases (lowers) the
    risk" ("You provided no document..., which lowers the risk" reads as a reward
    for giving nothing): it says why the model counts it that way.
    """

    text: str
    subject: bool = False
    missing: bool = False
    raising: str | None = None
    lowering: str | None = None


def not_provided(what: Promise | str) -> Fact:
    """A value the client's file does not give: `what` names it ("Your occupation")."""
    return Fact(str(what), missing=True)


class Say:
    """One client's values, and the formatting helpers of the active language."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = values

    def number(self, value: float, decimals: int = 1) -> str:
        return formatting.number(value, decimals=decimals)

    def amount(self, value: float) -> str:
        return formatting.money(value)

    def percent(self, share: float) -> str:
        return formatting.percent(share)

    def duration(self, days: float) -> str:
        return formatting.duration(days)

    def days(self, count: float) -> str:
        """A whole number of days: "12 days"."""
        return formatting.day_count(round(count))

    def month_count(self, count: float) -> str:
        """A whole number of months: "14 months"."""
        return formatting.month_count(round(count))

    def year_count(self, count: float) -> str:
        """A whole number of years: "24 years" (on one line: a no-break space)."""
        return formatting.year_count(round(count))

    def day_count(self, count: float) -> str:
        """A number of days to a tenth: "2.5 days"."""
        return formatting.day_count(count)

    def score(self, value: float) -> str:
        return formatting.score_value(value)

    def category(self, column: str, value: object) -> str:
        return field_descriptions.value_label(column, value, formatting.active_language())

    def number_of(self, feature: str) -> float | None:
        return as_number(self.values.get(feature))

    def listed(self, items: list[str]) -> str:
        """ "a, b and c" in the active language (CLDR's list patterns)."""
        return lists.format_list(items, locale=formatting.locale())

    def not_provided(self) -> str:
        """ "not provided", for one value among others that are given."""
        return _not_provided()


Template = Callable[[Say, object], Fact | None]
_TEMPLATES: dict[str, Template] = {}
_TOPICS: dict[str, str] = {}


FactTemplate = Callable[[Say], Fact]
_FACT_TEMPLATES: dict[str, FactTemplate] = {}


def fact_template(*keys: str) -> Callable[[FactTemplate], FactTemplate]:
    """Register the sentence of the client facts `keys` (explanations/facts.py).

    The function reads the client's values (`say.number_of`, `say.values`) and
    returns the fact stated with them, or `not_provided(...)`: never None, so
    that every fact is said with the client's value (a test walks them all).
    """

    def register(function: FactTemplate) -> FactTemplate:
        for key in keys:
            _FACT_TEMPLATES[key] = function
        return function

    return register


def fact_templates() -> list[str]:
    """The facts with a sentence of their own."""
    return list(_FACT_TEMPLATES)


def template(*features: str, topic: str | None = None) -> Callable[[Template], Template]:
    """Register a sentence template for `features` (sharing `topic` when given)."""

    def register(function: Template) -> Template:
        for feature in features:
            _TEMPLATES[feature] = function
            if topic:
                _TOPICS[feature] = topic
        return function

    return register


def templated_features() -> list[str]:
    """The features with a template of their own."""
    return list(_TEMPLATES)


def category(
    column: str,
    subject: Promise,
    missing: Promise | None = None,
    *,
    fact: str | None = None,
    unknown: Promise | None = None,
) -> Template:
    """A categorical column said with its readable value: `subject` has a %(value)s
    ("Your education level (%(value)s)"); `missing`, if any, is said when not given.

    With `fact`, the column is also the sentence of that client fact: a value
    not given is then `not_provided(unknown)` ("Your occupation: not provided").
    """

    def said(say: Say, value: object) -> Fact | None:
        if value is None or value == "XNA":
            return Fact(str(missing)) if missing is not None else None
        return Fact(subject % {"value": say.category(column, value)}, subject=True)

    if fact is not None:
        if unknown is None:
            raise ValueError(f"{column}: a fact's category needs the words for `unknown`")

        def said_of_fact(say: Say) -> Fact:
            value = say.values.get(column)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return not_provided(unknown)
            if value == "XNA":  # "not applicable": said as such where the column has words
                return Fact(str(missing)) if missing is not None else not_provided(unknown)
            return Fact(subject % {"value": say.category(column, value)}, subject=True)

        fact_template(fact)(said_of_fact)
    return template(column)(said)


# ---------------------------------------------------------------------------
# Histories that do not exist, or hold no row of a kind
# ---------------------------------------------------------------------------

# The count that is NaN when the client has no row at all in the module's table,
# and what to say then.
_NO_HISTORY: dict[str, tuple[str, Promise]] = {}
# Sub-scopes of a history that exists but holds no row of that kind: (prefix, the
# count that is then 0, what to say).
_EMPTY_SCOPES: list[tuple[str, str, Promise]] = []


def no_history(prefix: str, *, count: str, text: Promise) -> None:
    """Register what to say when the client has no row in the table of `prefix`
    (a feature alone, and the client fact of the whole table: facts.no_history_fact)."""
    _NO_HISTORY[prefix] = (count, text)
    fact_template(fact_table.no_history_fact(prefix))(lambda say: Fact(str(text)))


def empty_scope(prefix: str, *, count: str, text: Promise) -> None:
    """Register what to say when a history exists but `count` (rows of `prefix`) is 0."""
    _EMPTY_SCOPES.append((prefix, count, text))


def _empty_scope(feature: str, say: Say) -> tuple[Fact, str] | None:
    """Why a history aggregate is missing when the history exists: no row of its kind."""
    for prefix, count, text in _EMPTY_SCOPES:
        if feature.startswith(prefix) or (prefix == "BUREAU_BB_" and "_BB_" in feature):
            if feature != count and not say.number_of(count):
                return Fact(str(text)), f"empty:{prefix}"
    return None


def _history_prefix(feature: str) -> str | None:
    return next((prefix for prefix in HISTORY_PREFIXES if feature.startswith(prefix)), None)


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------


def _sentence(fact: Fact, raising: bool) -> str:
    if raising and fact.raising is not None:
        return fact.raising
    if not raising and fact.lowering is not None:
        return fact.lowering
    if fact.missing:
        said = {"subject": fact.text}
        if raising:
            return (
                _(
                    "%(subject)s: not provided (the model then relies on your other data). "
                    "This increases the risk."
                )
                % said
            )
        return (
            _(
                "%(subject)s: not provided (the model then relies on your other data). "
                "This lowers the risk."
            )
            % said
        )
    if fact.subject:
        if raising:
            return _("%(subject)s increases the risk.") % {"subject": fact.text}
        return _("%(subject)s lowers the risk.") % {"subject": fact.text}
    if raising:
        return _("%(fact)s, which increases the risk.") % {"fact": fact.text}
    return _("%(fact)s, which lowers the risk.") % {"fact": fact.text}


def _generic(feature: str, value: object, raising: bool) -> str:
    """'<label>: <value> — this increases the risk.' for features without a template."""
    if value is None and _history_prefix(feature) is not None:
        shown = pgettext("value", "not known")  # computed, not asked for
    else:
        shown = _format_value(feature, value)
    said = {"label": fl.label(feature, formatting.active_language()), "value": shown}
    if raising:
        return _("%(label)s: %(value)s — this increases the risk.") % said
    return _("%(label)s: %(value)s — this lowers the risk.") % said


def _explain(feature: str, contribution: float, values: Mapping[str, object]) -> tuple[str, str]:
    raising = contribution > 0
    say = Say(values)
    value = values.get(feature)
    if as_number(value) is None and not isinstance(value, str):
        value = None  # NaN, None, absent: all "missing"
    prefix = _history_prefix(feature)
    if value is None and prefix is not None:
        count, nothing = _NO_HISTORY[prefix]
        if say.number_of(count) is None:  # no row at all in the table
            return _sentence(Fact(str(nothing)), raising), f"no_history:{prefix}"
        empty = _empty_scope(feature, say)
        if empty is not None:
            fact, topic = empty
            return _sentence(fact, raising), topic
    topic = _TOPICS.get(feature, feature)
    maker = _TEMPLATES.get(feature)
    made = maker(say, value) if maker is not None else None
    if made is not None:
        return _sentence(made, raising), topic
    return _generic(feature, value, raising), topic


def explain_feature(
    feature: str,
    contribution: float,
    feature_values: Mapping[str, object],
    *,
    language: str,
) -> tuple[str, str]:
    """One sentence on `feature` and the topic it belongs to (said once per direction).

    A positive contribution raises the risk, a negative one lowers it.
    """
    with translation.override(fl.normalise_language(language)):
        return _explain(feature, contribution, feature_values)


def _explain_fact(fact: fact_table.FactContribution, values: Mapping[str, object]) -> str:
    """The sentence of one client fact, in the active language, with its total's sign."""
    raising = fact.contribution > 0
    say = Say(values)
    maker = _FACT_TEMPLATES.get(fact.key)
    if maker is not None:
        return _sentence(maker(say), raising)
    # A fact without a sentence of its own (a feature of ml.features the fact table does
    # not know yet, tests/explanations/test_facts.py names it): its strongest feature's
    # sentence, under the fact's name when it is the generic one.
    feature = fact.leading_member()
    sentence, _topic = _explain(feature, fact.contribution, values)
    return sentence


def explain_fact(
    fact: fact_table.FactContribution, feature_values: Mapping[str, object], *, language: str
) -> str:
    """One sentence on a client fact: the client's values and the effect of its total."""
    with translation.override(fl.normalise_language(language)):
        return _explain_fact(fact, feature_values)


def reason_facts(
    facts: list[fact_table.FactContribution], *, top: int = REASONS_PER_DIRECTION
) -> dict[bool, list[fact_table.FactContribution]]:
    """The `top` strongest facts raising (True) and lowering (False) the risk.

    `facts` strongest first (`facts.facts_of_client`); a fact below
    `MIN_CONTRIBUTION` is noise, an omitted one (gender) is never a reason.
    """
    chosen: dict[bool, list[fact_table.FactContribution]] = {True: [], False: []}
    for fact in facts:
        if abs(fact.contribution) < MIN_CONTRIBUTION:
            break  # strongest first: everything after is smaller
        if fact.key in OMITTED_FACTS:
            continue
        side = chosen[fact.contribution > 0]
        if len(side) < top:
            side.append(fact)
    return chosen


def reasons_for(
    contributions: Mapping[str, float],
    feature_values: Mapping[str, object],
    *,
    language: str,
    top: int = 3,
) -> dict[str, list[str]]:
    """The `top` strongest reasons raising and lowering the risk, as sentences.

    `contributions`: feature -> SHAP contribution in log-odds (positive raises
    the risk); `feature_values`: feature -> the value the model saw (None for
    missing). The features are grouped by client fact (explanations/facts.py):
    a fact's contribution is the sum of its features', and it is said once, in
    the column of that sum. Facts in `OMITTED_FACTS` (gender) are never given
    as a reason (see the package docstring). Returns {"raising": [...],
    "lowering": [...]}.
    """
    chosen = reason_facts(
        fact_table.facts_of_client(contributions, feature_values), top=max(0, int(top))
    )
    with translation.override(fl.normalise_language(language)):
        return {
            "raising": [_explain_fact(fact, feature_values) for fact in chosen[True]],
            "lowering": [_explain_fact(fact, feature_values) for fact in chosen[False]],
        }
