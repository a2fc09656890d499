"""Reasons about the credit history reported by the credit bureau (bureau and
bureau_balance), and the bureau's enquiries about the client."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.reasons.core import (
    Fact,
    Say,
    Template,
    empty_scope,
    no_history,
    template,
)
from formatting import as_number, plural_number

no_history(
    "BUREAU_",
    count="BUREAU_COUNT",
    text=gettext_lazy("No credit history is known at the credit bureau"),
)
empty_scope(
    "BUREAU_ACTIVE_",
    count="BUREAU_ACTIVE_COUNT",
    text=gettext_lazy("None of your credits reported by the credit bureau is still running"),
)
empty_scope(
    "BUREAU_CLOSED_",
    count="BUREAU_CLOSED_COUNT",
    text=gettext_lazy("None of your credits reported by the credit bureau is closed yet"),
)
empty_scope(
    "BUREAU_BB_",
    count="BUREAU_BB_CREDITS_COUNT",
    text=gettext_lazy("No month-by-month history of your credits is known at the credit bureau"),
)


@template("BUREAU_COUNT")
def _bureau_count(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    return Fact(
        ngettext(
            "The credit bureau reports %(count)s credit in your name",
            "The credit bureau reports %(count)s credits in your name",
            plural_number(count),
        )
        % {"count": say.number(count)}
    )


@template("BUREAU_ACTIVE_COUNT", "BUREAU_ACTIVE_SHARE", topic="bureau_active")
def _bureau_active(say: Say, value: object) -> Fact | None:
    count = say.number_of("BUREAU_ACTIVE_COUNT")
    if count is None:
        return None
    return Fact(
        ngettext(
            "You have %(count)s credit still running according to the credit bureau",
            "You have %(count)s credits still running according to the credit bureau",
            plural_number(count),
        )
        % {"count": say.number(count)}
    )


@template(
    "BUREAU_CREDIT_DAY_OVERDUE_MAX",
    "BUREAU_ACTIVE_CREDIT_DAY_OVERDUE_MAX",
    "BUREAU_OVERDUE_COUNT",
    "BUREAU_OVERDUE_SHARE",
    topic="bureau_overdue",
)
def _bureau_overdue(say: Say, value: object) -> Fact | None:
    days = say.number_of("BUREAU_CREDIT_DAY_OVERDUE_MAX")
    if days is None:
        return None
    if days <= 0:
        return Fact(_("None of your credits reported by the credit bureau is overdue"))
    return Fact(
        _("A credit reported by the credit bureau is %(days)s overdue") % {"days": say.days(days)}
    )


@template(
    "BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM",
    "BUREAU_AMT_CREDIT_SUM_OVERDUE_MAX",
    "BUREAU_ACTIVE_AMT_CREDIT_SUM_OVERDUE_SUM",
    "BUREAU_OVERDUE_TO_DEBT_TOTAL",
    topic="bureau_amount_overdue",
)
def _bureau_amount_overdue(say: Say, value: object) -> Fact | None:
    amount = say.number_of("BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM")
    if amount is None:
        return None
    if amount <= 0:
        return Fact(_("Nothing is overdue on your credits reported by the credit bureau"))
    return Fact(
        _("An amount of %(amount)s is overdue on your credits reported by the credit bureau")
        % {"amount": say.amount(amount)}
    )


@template(
    "BUREAU_DEBT_TO_CREDIT_TOTAL",
    "BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL",
    topic="bureau_debt_share",
)
def _bureau_debt_share(say: Say, value: object) -> Fact | None:
    share = as_number(value)
    if share is None:
        return None
    return Fact(
        _(
            "Your outstanding debt is %(share)s of the amounts borrowed on your credits "
            "reported by the credit bureau"
        )
        % {"share": say.percent(share)}
    )


@template(
    "BUREAU_AMT_CREDIT_SUM_DEBT_SUM",
    "BUREAU_ACTIVE_AMT_CREDIT_SUM_DEBT_SUM",
    topic="bureau_debt",
)
def _bureau_debt(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        _("Your outstanding debt reported by the credit bureau totals %(amount)s")
        % {"amount": say.amount(amount)}
    )


def share_sentence(sentence: Promise) -> Template:
    """A share said in `sentence`, which has a %(share)s."""

    def said(say: Say, value: object) -> Fact | None:
        share = as_number(value)
        if share is None:
            return None
        return Fact(sentence % {"share": say.percent(share)})

    return said


template("BUREAU_DEBT_TO_CREDIT_MEAN", topic="bureau_debt_share_mean")(
    share_sentence(
        gettext_lazy(
            "On average, %(share)s of the amount borrowed is still owed on your credits "
            "reported by the credit bureau"
        )
    )
)
template("BUREAU_ACTIVE_DEBT_TO_CREDIT_MEAN", topic="bureau_debt_share_mean_active")(
    share_sentence(
        gettext_lazy(
            "On average, %(share)s of the amount borrowed is still owed on your running "
            "credits reported by the credit bureau"
        )
    )
)
template(
    "BUREAU_DEBT_TO_CREDIT_MAX", "BUREAU_ACTIVE_DEBT_TO_CREDIT_MAX", topic="bureau_debt_share_max"
)(
    share_sentence(
        gettext_lazy(
            "On one of your credits reported by the credit bureau, %(share)s of the amount "
            "borrowed is still owed"
        )
    )
)


@template("BUREAU_ACTIVE_DAYS_CREDIT_ENDDATE_MEAN", topic="bureau_planned_end")
def _bureau_planned_end(say: Say, value: object) -> Fact | None:
    days = as_number(value)
    if days is None:
        return None
    when = {"duration": say.duration(days)}
    if days > 0:
        return Fact(
            _(
                "Your running credits reported by the credit bureau are planned to end in "
                "%(duration)s on average"
            )
            % when
        )
    return Fact(
        _(
            "Your running credits reported by the credit bureau were planned to end "
            "%(duration)s before the application on average"
        )
        % when
    )


def _bureau_opened(sentence: Promise) -> Template:
    """`sentence` has a %(duration)s: "... was opened %(duration)s ago"."""

    def said(say: Say, value: object) -> Fact | None:
        days = as_number(value)
        if days is None:
            return None
        return Fact(sentence % {"duration": say.duration(days)})

    return said


template("BUREAU_DAYS_CREDIT_MAX", topic="bureau_latest")(
    _bureau_opened(
        gettext_lazy(
            "Your most recent credit reported by the credit bureau was opened %(duration)s ago"
        )
    )
)
template("BUREAU_DAYS_CREDIT_MIN", topic="bureau_oldest")(
    _bureau_opened(
        gettext_lazy("Your oldest credit reported by the credit bureau was opened %(duration)s ago")
    )
)
template("BUREAU_DAYS_CREDIT_MEAN", topic="bureau_mean_age")(
    _bureau_opened(
        gettext_lazy(
            "Your credits reported by the credit bureau were opened on average %(duration)s ago"
        )
    )
)


@template(
    "BUREAU_BB_LATE_SHARE_MEAN",
    "BUREAU_BB_LATE_SHARE_MAX",
    "BUREAU_ACTIVE_BB_LATE_SHARE_MEAN",
    "BUREAU_CLOSED_BB_LATE_SHARE_MEAN",
    "BUREAU_BB_LATE_MONTHS_SUM",
    topic="bureau_late_months",
)
def _bureau_late_months(say: Say, value: object) -> Fact | None:
    months = say.number_of("BUREAU_BB_LATE_MONTHS_SUM")
    if months is None:
        return None
    if months == 0:
        return Fact(_("Your monthly credit bureau history shows no late payment"))
    return Fact(
        ngettext(
            "Your monthly credit bureau history shows %(count)s month with late payments",
            "Your monthly credit bureau history shows %(count)s months with late payments",
            plural_number(months),
        )
        % {"count": say.number(months)}
    )


@template("APP_BUREAU_ENQUIRIES_TOTAL")
def _enquiries(say: Say, value: object) -> Fact | None:
    count = say.number_of("APP_BUREAU_ENQUIRIES_TOTAL")
    if count is None:
        return Fact(_("No record of credit bureau enquiries about you is available"))
    if count == 0:
        return Fact(
            _("The credit bureau was not consulted about you in the year before the application")
        )
    return Fact(
        ngettext(
            "The credit bureau was consulted about you %(count)s time in the year before the "
            "application",
            "The credit bureau was consulted about you %(count)s times in the year before the "
            "application",
            plural_number(count),
        )
        % {"count": say.number(count)}
    )
