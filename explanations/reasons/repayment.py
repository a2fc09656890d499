"""Reasons about the repayment of previous loans with us: instalments
(installments_payments) and point-of-sale and cash loans (POS_CASH_balance)."""

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

no_history(
    "POS_",
    count="POS_COUNT",
    text=gettext_lazy("No previous point-of-sale or cash loan with us is known"),
)
no_history(
    "INST_",
    count="INST_COUNT",
    text=gettext_lazy("No repayment history of previous loans with us is known"),
)
empty_scope(
    "POS_RECENT_",
    count="POS_RECENT_COUNT",
    text=gettext_lazy("You had no point-of-sale or cash loan with us in the last 12 months"),
)
empty_scope(
    "INST_365_",
    count="INST_365_COUNT",
    text=gettext_lazy("No instalment of a loan with us was due in the last 12 months"),
)


def _late_share(share_feature: str, none_late: Promise, some_late: Promise) -> Template:
    """`some_late` has a %(share)s."""

    def said(say: Say, value: object) -> Fact | None:
        share = say.number_of(share_feature)
        if share is None:
            return None
        if share == 0:
            return Fact(str(none_late))
        return Fact(some_late % {"share": say.percent(share)})

    return said


template("INST_LATE_SHARE", "INST_LATE_COUNT", topic="instalments_late")(
    _late_share(
        "INST_LATE_SHARE",
        gettext_lazy("None of your instalments on previous loans with us was paid late"),
        gettext_lazy("%(share)s of your instalments on previous loans with us were paid late"),
    )
)
template("INST_365_LATE_SHARE", "INST_365_LATE_COUNT", topic="instalments_late_recent")(
    _late_share(
        "INST_365_LATE_SHARE",
        gettext_lazy(
            "None of your instalments of the last 12 months on loans with us was paid late"
        ),
        gettext_lazy(
            "%(share)s of your instalments of the last 12 months on loans with us were paid late"
        ),
    )
)
template("INST_LAST3_LATE_SHARE", topic="instalments_late_last")(
    _late_share(
        "INST_LAST3_LATE_SHARE",
        gettext_lazy("None of the last 3 instalments of each of your loans with us was paid late"),
        gettext_lazy(
            "%(share)s of the last 3 instalments of each of your loans with us were paid late"
        ),
    )
)


def longest_delay(never_late: Promise, longest: Promise) -> Template:
    """`longest` has a %(days)s: "Your longest payment delay ... was %(days)s"."""

    def said(say: Say, value: object) -> Fact | None:
        days = as_number(value)
        if days is None:
            return None
        if days <= 0:
            return Fact(str(never_late))
        return Fact(longest % {"days": say.days(days)})

    return said


template("INST_DPD_MAX", topic="instalments_delay")(
    longest_delay(
        gettext_lazy("You never paid late on previous loans with us"),
        gettext_lazy("Your longest payment delay on previous loans with us was %(days)s"),
    )
)
template("INST_365_DPD_MAX", topic="instalments_delay_recent")(
    longest_delay(
        gettext_lazy("You never paid late on loans with us in the last 12 months"),
        gettext_lazy(
            "Your longest payment delay on loans with us in the last 12 months was %(days)s"
        ),
    )
)
template("INST_LAST3_DPD_MAX", topic="instalments_delay_last")(
    longest_delay(
        gettext_lazy("You never paid late on the last 3 instalments of your loans with us"),
        gettext_lazy(
            "Your longest payment delay on the last 3 instalments of your loans with us was "
            "%(days)s"
        ),
    )
)
template("POS_SK_DPD_MAX", "POS_SK_DPD_DEF_MAX", topic="pos_delay")(
    longest_delay(
        gettext_lazy("You never paid late on previous point-of-sale or cash loans with us"),
        gettext_lazy(
            "Your longest payment delay on previous point-of-sale or cash loans with us was "
            "%(days)s"
        ),
    )
)
template("POS_RECENT_SK_DPD_MAX", "POS_RECENT_SK_DPD_DEF_MAX", topic="pos_delay_recent")(
    longest_delay(
        gettext_lazy(
            "You never paid late on point-of-sale or cash loans with us in the last 12 months"
        ),
        gettext_lazy(
            "Your longest payment delay on point-of-sale or cash loans with us in the last "
            "12 months was %(days)s"
        ),
    )
)


def _average_delay(sentence: Promise) -> Template:
    """`sentence` has a %(days)s: "You paid ... %(days)s late on average"."""

    def said(say: Say, value: object) -> Fact | None:
        days = as_number(value)
        if days is None:
            return None
        return Fact(sentence % {"days": say.day_count(days)})

    return said


template("INST_DPD_MEAN", topic="instalments_delay_mean")(
    _average_delay(
        gettext_lazy("You paid your instalments on previous loans with us %(days)s late on average")
    )
)
template("INST_365_DPD_MEAN", topic="instalments_delay_mean_recent")(
    _average_delay(
        gettext_lazy("You paid your instalments of the last 12 months %(days)s late on average")
    )
)


@template("INST_DBD_MEAN", "INST_DBD_SUM", "INST_DBD_MAX", topic="early")
def _paid_early(say: Say, value: object) -> Fact | None:
    days = say.number_of("INST_DBD_MEAN")
    if days is None:
        return None
    return Fact(
        _(
            "You paid your instalments on previous loans with us %(days)s before the due date "
            "on average"
        )
        % {"days": say.day_count(days)}
    )


@template(
    "INST_UNDERPAID_SHARE",
    "INST_UNDERPAID_COUNT",
    topic="underpaid",
)
def _underpaid(say: Say, value: object) -> Fact | None:
    share = say.number_of("INST_UNDERPAID_SHARE")
    if share is None:
        return None
    if share == 0:
        return Fact(_("You always paid the full amount due on your previous loans with us"))
    return Fact(
        _(
            "%(share)s of your instalments on previous loans with us were paid short of the "
            "amount due"
        )
        % {"share": say.percent(share)}
    )


@template(
    "INST_PAYMENT_DIFF_SUM",
    "INST_PAYMENT_DIFF_MEAN",
    topic="unpaid_amount",
)
def _unpaid_amount(say: Say, value: object) -> Fact | None:
    total = say.number_of("INST_PAYMENT_DIFF_SUM")
    if total is None:
        return None
    if total <= 0:
        return Fact(_("You paid every amount due on your previous loans with us"))
    return Fact(
        _("In total, %(amount)s due on your previous loans with us was not paid when due")
        % {"amount": say.amount(total)}
    )


@template(
    "POS_DPD_POSITIVE_SHARE",
    "POS_DPD_POSITIVE_COUNT",
    topic="pos_late_months",
)
def _pos_late_months(say: Say, value: object) -> Fact | None:
    share = say.number_of("POS_DPD_POSITIVE_SHARE")
    if share is None:
        return None
    if share == 0:
        return Fact(_("Your point-of-sale and cash loans with us never showed a payment delay"))
    return Fact(
        _(
            "Your point-of-sale and cash loans with us showed a payment delay in %(share)s of "
            "the months"
        )
        % {"share": say.percent(share)}
    )


# ---------------------------------------------------------------------------
# The client facts of the repayments of loans with us (explanations/facts.py)
# ---------------------------------------------------------------------------


@fact_template("instalment_delays")
def _instalment_delays(say: Say) -> Fact:
    count = say.number_of("INST_COUNT") or 0
    share = say.number_of("INST_LATE_SHARE")
    longest = say.number_of("INST_DPD_MAX")
    said = {"count": say.number(count)}
    if share is None:
        return not_provided(_("The payment dates of your instalments on loans with us"))
    if share == 0 or not longest:
        return Fact(
            ngettext(
                "You paid your only instalment on previous loans with us on time",
                "You paid all your %(count)s instalments on previous loans with us on time",
                plural_number(count),
            )
            % said
        )
    return Fact(
        ngettext(
            "%(share)s of your %(count)s instalment on previous loans with us was paid late, "
            "%(days)s late at the worst",
            "%(share)s of your %(count)s instalments on previous loans with us were paid late, "
            "%(days)s late at the worst",
            plural_number(count),
        )
        % {**said, "share": say.percent(share), "days": say.days(longest)}
    )


@fact_template("instalment_amounts")
def _instalment_amounts(say: Say) -> Fact:
    share = say.number_of("INST_UNDERPAID_SHARE")
    if share is None:
        return not_provided(_("The amounts paid on your loans with us"))
    total = say.number_of("INST_PAYMENT_DIFF_SUM")
    if share == 0:
        count = say.number_of("INST_COUNT") or 0
        return Fact(
            ngettext(
                "You paid the full amount due on your only instalment on previous loans with us",
                "You paid the full amount due on all your %(count)s instalments on previous "
                "loans with us",
                plural_number(count),
            )
            % {"count": say.number(count)}
        )
    if total is None or total <= 0:
        return _underpaid(say, None) or not_provided(_("The amounts paid on your loans with us"))
    return Fact(
        _(
            "%(share)s of your instalments on previous loans with us were paid short of the "
            "amount due, %(amount)s in total"
        )
        % {"share": say.percent(share), "amount": say.amount(total)}
    )


@fact_template("pos_delays")
def _pos_delays(say: Say) -> Fact:
    share = say.number_of("POS_DPD_POSITIVE_SHARE")
    longest = say.number_of("POS_SK_DPD_MAX")
    if share is None:
        return not_provided(_("The payment delays on your point-of-sale and cash loans with us"))
    if share == 0 or not longest:
        return Fact(
            _(
                "Your point-of-sale and cash loans with us showed no payment delay over "
                "%(total)s of statements"
            )
            % {"total": say.month_count(say.number_of("POS_COUNT") or 0)}
        )
    return Fact(
        _(
            "Your point-of-sale and cash loans with us showed a payment delay in %(share)s of "
            "the months, %(days)s at the longest"
        )
        % {"share": say.percent(share), "days": say.days(longest)}
    )


@fact_template("pos_loans")
def _pos_loans(say: Say) -> Fact:
    loans = say.number_of("POS_LOANS_COUNT") or 0
    active = say.number_of("POS_ACTIVE_LOANS_COUNT") or 0
    if active == 0:  # "0 still running"
        return Fact(
            ngettext(
                "You have had %(count)s point-of-sale or cash loan with us, no longer running",
                "You have had %(count)s point-of-sale or cash loans with us, none still running",
                plural_number(loans),
            )
            % {"count": say.number(loans)}
        )
    if active == loans:  # "1 loan with us, 1 still running"
        return Fact(
            ngettext(
                "You have had %(count)s point-of-sale or cash loan with us, still running",
                "You have had %(count)s point-of-sale or cash loans with us, all still running",
                plural_number(loans),
            )
            % {"count": say.number(loans)}
        )
    return Fact(
        ngettext(
            "You have had %(count)s point-of-sale or cash loan with us, %(active)s still running",
            "You have had %(count)s point-of-sale or cash loans with us, %(active)s still running",
            plural_number(loans),
        )
        % {"count": say.number(loans), "active": say.number(active)}
    )
