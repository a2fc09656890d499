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
    fact_template,
    no_history,
    not_provided,
    template,
)
from formatting import as_number, plural_number

NO_BUREAU_HISTORY = gettext_lazy("No credit history is known at the credit bureau")
NONE_RUNNING = gettext_lazy("None of your credits reported by the credit bureau is still running")
no_history("BUREAU_", count="BUREAU_COUNT", text=NO_BUREAU_HISTORY)
empty_scope("BUREAU_ACTIVE_", count="BUREAU_ACTIVE_COUNT", text=NONE_RUNNING)
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
    if count == 0:  # "reports 0 credits"
        return Fact(str(NO_BUREAU_HISTORY))
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
    if count == 0:  # "You have 0 credits still running"
        return Fact(str(NONE_RUNNING))
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


# ---------------------------------------------------------------------------
# The client facts of the credit bureau's file (explanations/facts.py); a client the
# bureau knows nothing about has one fact for it all (no_history above).
# ---------------------------------------------------------------------------


@fact_template("bureau_credits")
def _bureau_credits(say: Say) -> Fact:
    count = say.number_of("BUREAU_COUNT") or 0
    active = say.number_of("BUREAU_ACTIVE_COUNT")
    credits = ngettext("%(count)s credit", "%(count)s credits", plural_number(count)) % {
        "count": say.number(count)
    }
    if active is None:
        return Fact(_("The credit bureau reports %(credits)s in your name") % {"credits": credits})
    if active == 0:  # "0 of them still running"
        return Fact(
            ngettext(
                "The credit bureau reports %(count)s credit in your name, no longer running",
                "The credit bureau reports %(count)s credits in your name, none of them still "
                "running",
                plural_number(count),
            )
            % {"count": say.number(count)}
        )
    if active == count:  # "1 credit in your name, 1 of them still running"
        return Fact(
            ngettext(
                "The credit bureau reports %(count)s credit in your name, still running",
                "The credit bureau reports %(count)s credits in your name, all still running",
                plural_number(count),
            )
            % {"count": say.number(count)}
        )
    return Fact(
        _("The credit bureau reports %(credits)s in your name, %(active)s of them still running")
        % {"credits": credits, "active": say.number(active)}
    )


@fact_template("bureau_debt")
def _bureau_debt_fact(say: Say) -> Fact:
    borrowed = say.number_of("BUREAU_AMT_CREDIT_SUM_SUM")
    owed = say.number_of("BUREAU_AMT_CREDIT_SUM_DEBT_SUM")
    if borrowed is None and owed is None:
        return not_provided(_("The amounts of your credits reported by the credit bureau"))
    if borrowed is None:
        return _bureau_debt(say, owed) or not_provided(
            _("The amounts of your credits reported by the credit bureau")
        )
    if owed is None:
        return Fact(
            _("Your credits reported by the credit bureau total %(borrowed)s borrowed")
            % {"borrowed": say.amount(borrowed)}
        )
    return Fact(
        _(
            "Your credits reported by the credit bureau total %(borrowed)s borrowed, of which "
            "%(owed)s is still owed"
        )
        % {"borrowed": say.amount(borrowed), "owed": say.amount(owed)}
    )


@fact_template("bureau_overdue")
def _bureau_overdue_fact(say: Say) -> Fact:
    days = say.number_of("BUREAU_CREDIT_DAY_OVERDUE_MAX")
    amount = say.number_of("BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM")
    largest = say.number_of("BUREAU_AMT_CREDIT_MAX_OVERDUE_MAX")
    if days is not None and days > 0:
        return Fact(
            _("A credit reported by the credit bureau is %(days)s overdue")
            % {"days": say.days(days)}
        )
    if amount is not None and amount > 0:
        return _bureau_amount_overdue(say, amount) or not_provided(
            _("Overdue amounts on your credits reported by the credit bureau")
        )
    if largest is not None and largest > 0:
        return Fact(
            _(
                "None of your credits reported by the credit bureau is overdue now; the largest "
                "amount ever overdue was %(amount)s"
            )
            % {"amount": say.amount(largest)}
        )
    if days is None and amount is None and largest is None:
        return not_provided(_("Overdue amounts on your credits reported by the credit bureau"))
    count = say.number_of("BUREAU_COUNT") or 0
    return Fact(
        ngettext(
            "Your only credit reported by the credit bureau is not and was never overdue",
            "None of your %(count)s credits reported by the credit bureau is or was overdue",
            plural_number(count),
        )
        % {"count": say.number(count)}
    )


@fact_template("bureau_late_months")
def _bureau_late_months_fact(say: Say) -> Fact:
    months = say.number_of("BUREAU_BB_LATE_MONTHS_SUM")
    reported = say.number_of("BUREAU_BB_MONTHS_SUM")
    if not say.number_of("BUREAU_BB_CREDITS_COUNT") or months is None:
        return Fact(_("No month-by-month history of your credits is known at the credit bureau"))
    if months == 0:
        return Fact(
            _("Your monthly credit bureau history shows no late payment in %(total)s")
            % {"total": say.month_count(reported or 0)}
        )
    return Fact(
        ngettext(
            "Your monthly credit bureau history shows %(count)s month with late payments out "
            "of %(total)s",
            "Your monthly credit bureau history shows %(count)s months with late payments out "
            "of %(total)s",
            plural_number(months),
        )
        % {"count": say.number(months), "total": say.month_count(reported or months)}
    )


@fact_template("bureau_dates")
def _bureau_dates(say: Say) -> Fact:
    oldest = say.number_of("BUREAU_DAYS_CREDIT_MIN")
    latest = say.number_of("BUREAU_DAYS_CREDIT_MAX")
    if oldest is None or latest is None:
        return not_provided(_("When your credits reported by the credit bureau were opened"))
    if round(oldest) == round(latest):
        return Fact(
            _("Your credit reported by the credit bureau was opened %(duration)s ago")
            % {"duration": say.duration(latest)}
        )
    return Fact(
        _(
            "Your oldest credit reported by the credit bureau was opened %(oldest)s ago, "
            "the most recent %(latest)s ago"
        )
        % {"oldest": say.duration(oldest), "latest": say.duration(latest)}
    )


@fact_template("bureau_enquiries")
def _bureau_enquiries(say: Say) -> Fact:
    if say.number_of("APP_BUREAU_ENQUIRIES_TOTAL") is None:
        return not_provided(_("The enquiries to the credit bureau about you"))
    return _enquiries(say, None) or not_provided(_("The enquiries to the credit bureau about you"))
