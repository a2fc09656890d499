"""Reasons about work: time in the current job (or none: Kaggle's 365243 code), the type
of income, the occupation and the employer's sector."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from explanations.reasons.core import Fact, Say, category, fact_template, not_provided, template
from formatting import DAYS_PER_YEAR
from ml.schema import DAYS_EMPLOYED_SENTINEL


def _not_employed(say: Say) -> Fact:
    if say.values.get("NAME_INCOME_TYPE") == "Pensioner":
        return Fact(_("You are retired and have no current employment"))
    return Fact(_("No current employment is declared"))


def _is_not_employed(say: Say) -> bool:
    return (
        say.number_of("APP_NOT_EMPLOYED") == 1
        or say.number_of("DAYS_EMPLOYED") == DAYS_EMPLOYED_SENTINEL
    )


@template(
    "DAYS_EMPLOYED",
    "APP_YEARS_EMPLOYED",
    "APP_NOT_EMPLOYED",
    "APP_EMPLOYED_TO_AGE",
    topic="employment",
)
def _employment(say: Say, value: object) -> Fact | None:
    days = say.number_of("DAYS_EMPLOYED")
    if days == DAYS_EMPLOYED_SENTINEL or _is_not_employed(say):
        return _not_employed(say)  # Kaggle's 365243 code: pensioners and the unemployed
    years = say.number_of("APP_YEARS_EMPLOYED")
    if years is None and days is not None and days <= 0:
        years = -days / DAYS_PER_YEAR
    if years is None:
        if say.number_of("APP_NOT_EMPLOYED") == 0:
            return Fact(_("You are currently employed"))
        return Fact(_("How long you have been in your current job is not known"))
    return Fact(
        _("You have been in your current job for %(duration)s")
        % {"duration": say.duration(years * DAYS_PER_YEAR)}
    )


category(
    "NAME_INCOME_TYPE",
    gettext_lazy("Your type of income (%(value)s)"),
    fact="income_type",
    unknown=gettext_lazy("Your type of income"),
)
category(
    "OCCUPATION_TYPE",
    gettext_lazy("Your occupation (%(value)s)"),
    missing=gettext_lazy("No occupation was declared"),
    fact="occupation",
    unknown=gettext_lazy("Your occupation"),
)
category(
    "ORGANIZATION_TYPE",
    gettext_lazy("Your employer's sector (%(value)s)"),
    missing=gettext_lazy("No employer was declared"),
    fact="employer",
    unknown=gettext_lazy("Your employer's sector"),
)


@fact_template("employment")
def _employment_fact(say: Say) -> Fact:
    stated = _employment(say, None)
    if stated is None or (
        say.number_of("DAYS_EMPLOYED") is None
        and say.number_of("APP_YEARS_EMPLOYED") is None
        and not _is_not_employed(say)
    ):
        return not_provided(_("How long you have been in your current job"))
    return stated
