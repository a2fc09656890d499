"""Reasons about the client's previous applications with us (previous_application)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext, pgettext

from explanations.reasons.core import (
    Fact,
    Say,
    empty_scope,
    fact_template,
    no_history,
    not_provided,
    template,
)
from formatting import as_number, plural_number

NO_PREVIOUS = gettext_lazy("You have no previous application with us")
NONE_APPROVED = gettext_lazy("None of your previous applications with us was approved")
no_history("PREV_", count="PREV_COUNT", text=NO_PREVIOUS)
empty_scope("PREV_APPROVED_", count="PREV_APPROVED_COUNT", text=NONE_APPROVED)
empty_scope(
    "PREV_REFUSED_",
    count="PREV_REFUSED_COUNT",
    text=gettext_lazy("None of your previous applications with us was refused"),
)


@template("PREV_COUNT")
def _previous_count(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    if count == 0:  # "You have made 0 previous applications"
        return Fact(str(NO_PREVIOUS))
    return Fact(
        ngettext(
            "You have made %(count)s previous application with us",
            "You have made %(count)s previous applications with us",
            plural_number(count),
        )
        % {"count": say.number(count)}
    )


def _refused(say: Say, count: float, total: float | None) -> Fact:
    """ "2 of your 5 previous applications with us were refused"."""
    if total == 1 and count == 1:
        return Fact(_("Your only previous application with us was refused"))
    said = {"count": say.number(count), "total": say.number(total or 0)}
    if total:
        return Fact(
            ngettext(
                "%(count)s of your %(total)s previous applications with us was refused",
                "%(count)s of your %(total)s previous applications with us were refused",
                plural_number(count),
            )
            % said
        )
    return Fact(
        ngettext(
            "%(count)s of your previous applications with us was refused",
            "%(count)s of your previous applications with us were refused",
            plural_number(count),
        )
        % said
    )


def _approved(say: Say, count: float, total: float | None) -> Fact:
    """ "2 of your 5 previous applications with us were approved"."""
    if total == 1 and count == 1:
        return Fact(_("Your only previous application with us was approved"))
    if count == 0:  # "0 of your 3 previous applications with us were approved"
        if total == 1:
            return Fact(_("Your only previous application with us was not approved"))
        return Fact(str(NONE_APPROVED))
    said = {"count": say.number(count), "total": say.number(total or 0)}
    if total:
        return Fact(
            ngettext(
                "%(count)s of your %(total)s previous applications with us was approved",
                "%(count)s of your %(total)s previous applications with us were approved",
                plural_number(count),
            )
            % said
        )
    return Fact(
        ngettext(
            "%(count)s of your previous applications with us was approved",
            "%(count)s of your previous applications with us were approved",
            plural_number(count),
        )
        % said
    )


@template("PREV_REFUSED_COUNT", "PREV_REFUSED_SHARE", topic="previous_refused")
def _previous_refused(say: Say, value: object) -> Fact | None:
    refused = say.number_of("PREV_REFUSED_COUNT")
    total = say.number_of("PREV_COUNT")
    if refused is None:
        return None
    if refused == 0:
        return Fact(_("None of your previous applications with us was refused"))
    return _refused(say, refused, total)


@template("PREV_APPROVED_COUNT", "PREV_APPROVED_SHARE", topic="previous_approved")
def _previous_approved(say: Say, value: object) -> Fact | None:
    approved = say.number_of("PREV_APPROVED_COUNT")
    total = say.number_of("PREV_COUNT")
    if approved is None:
        return None
    return _approved(say, approved, total)


@template("PREV_DAYS_DECISION_MAX", topic="previous_latest")
def _previous_latest(say: Say, value: object) -> Fact | None:
    days = as_number(value)
    if days is None:
        return None
    return Fact(
        _("Your last previous application with us was decided %(duration)s ago")
        % {"duration": say.duration(days)}
    )


# ---------------------------------------------------------------------------
# The client facts of the previous applications (explanations/facts.py)
# ---------------------------------------------------------------------------


@fact_template("previous_outcomes")
def _previous_outcomes(say: Say) -> Fact:
    count = say.number_of("PREV_COUNT") or 0
    approved = say.number_of("PREV_APPROVED_COUNT") or 0
    refused = say.number_of("PREV_REFUSED_COUNT") or 0
    applications = ngettext(
        "%(count)s previous application", "%(count)s previous applications", plural_number(count)
    ) % {"count": say.number(count)}
    # Each outcome its own words, so that a language makes them agree and says none as
    # none ("aucune acceptée", not "acceptées 0").
    if approved:
        approved_said = npgettext(
            "previous applications",
            "%(count)s approved",
            "%(count)s approved",
            plural_number(approved),
        ) % {"count": say.number(approved)}
    else:
        approved_said = pgettext("previous applications", "none approved")
    if refused:
        refused_said = npgettext(
            "previous applications",
            "%(count)s refused",
            "%(count)s refused",
            plural_number(refused),
        ) % {"count": say.number(refused)}
    else:
        refused_said = pgettext("previous applications", "none refused")
    return Fact(
        _("You have made %(applications)s with us: %(approved)s, %(refused)s")
        % {"applications": applications, "approved": approved_said, "refused": refused_said}
    )


@fact_template("previous_amounts")
def _previous_amounts(say: Say) -> Fact:
    asked = say.number_of("PREV_AMT_APPLICATION_MEAN")
    granted = say.number_of("PREV_AMT_CREDIT_MEAN")
    if asked is None:
        return not_provided(_("The amounts of your previous applications with us"))
    if granted is None:
        return Fact(
            _("On your previous applications with us you asked for %(asked)s on average")
            % {"asked": say.amount(asked)}
        )
    return Fact(
        _(
            "On your previous applications with us you asked for %(asked)s on average and were "
            "granted %(granted)s on average"
        )
        % {"asked": say.amount(asked), "granted": say.amount(granted)}
    )


@fact_template("previous_dates")
def _previous_dates(say: Say) -> Fact:
    return _previous_latest(say, say.number_of("PREV_DAYS_DECISION_MAX")) or not_provided(
        _("When your previous applications with us were decided")
    )
