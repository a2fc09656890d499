"""Reasons about the client's credit cards with us (credit_card_balance)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.reasons.bureau import share_sentence
from explanations.reasons.core import (
    Fact,
    Say,
    empty_scope,
    fact_template,
    no_history,
    not_provided,
    template,
)
from explanations.reasons.repayment import longest_delay
from formatting import as_number, plural_number

NO_CARD = gettext_lazy("No previous credit card with us is known")
no_history("CC_", count="CC_COUNT", text=NO_CARD)
empty_scope(
    "CC_RECENT_",
    count="CC_RECENT_COUNT",
    text=gettext_lazy("You did not use a credit card with us in the last 12 months"),
)

template("CC_SK_DPD_MAX", "CC_SK_DPD_DEF_MAX", topic="card_delay")(
    longest_delay(
        gettext_lazy("You never paid late on your credit cards with us"),
        gettext_lazy("Your longest payment delay on your credit cards with us was %(days)s"),
    )
)
template("CC_RECENT_SK_DPD_MAX", topic="card_delay_recent")(
    longest_delay(
        gettext_lazy("You never paid late on your credit cards with us in the last 12 months"),
        gettext_lazy(
            "Your longest payment delay on your credit cards with us in the last 12 months was "
            "%(days)s"
        ),
    )
)

template("CC_UTILISATION_MEAN", topic="card_utilisation")(
    share_sentence(
        gettext_lazy(
            "On average, the balance of your credit cards with us is %(share)s of their limit"
        )
    )
)
template("CC_RECENT_UTILISATION_MEAN", topic="card_utilisation_recent")(
    share_sentence(
        gettext_lazy(
            "Over the last 12 months, the balance of your credit cards with us was on average "
            "%(share)s of their limit"
        )
    )
)
template("CC_RECENT_UTILISATION_MAX", topic="card_utilisation_peak_recent")(
    share_sentence(
        gettext_lazy(
            "Over the last 12 months, your credit card balance with us reached up to %(share)s "
            "of its limit"
        )
    )
)
template("CC_UTILISATION_MAX", topic="card_utilisation_peak")(
    share_sentence(
        gettext_lazy(
            "At its highest, your credit card balance with us reached %(share)s of its limit"
        )
    )
)
template("CC_LAST_UTILISATION_MEAN", topic="card_utilisation_now")(
    share_sentence(
        gettext_lazy(
            "On the latest statement, your credit cards with us are used at %(share)s of their "
            "limit"
        )
    )
)


@template("CC_BELOW_MIN_SHARE", "CC_RECENT_BELOW_MIN_SHARE", "CC_BELOW_MIN_COUNT", topic="card_min")
def _card_below_minimum(say: Say, value: object) -> Fact | None:
    share = say.number_of("CC_BELOW_MIN_SHARE")
    if share is None:
        return None
    if share == 0:
        return Fact(_("You always paid at least the minimum due on your credit cards with us"))
    return Fact(
        _(
            "In %(share)s of the months you paid less than the minimum due on your credit "
            "cards with us"
        )
        % {"share": say.percent(share)}
    )


@template("CC_AMT_DRAWINGS_ATM_CURRENT_MEAN", topic="card_cash")
def _card_cash(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        _("You withdraw %(amount)s in cash per month on average with your credit card with us")
        % {"amount": say.amount(amount)}
    )


# ---------------------------------------------------------------------------
# The client facts of the credit cards with us (explanations/facts.py)
# ---------------------------------------------------------------------------


@fact_template("card_repayment")
def _card_repayment(say: Say) -> Fact:
    below = say.number_of("CC_BELOW_MIN_SHARE")
    longest = say.number_of("CC_SK_DPD_MAX")
    if below is None and longest is None:
        return not_provided(_("The repayments of your credit cards with us"))
    if longest:
        if below:
            return Fact(
                _(
                    "In %(share)s of the months you paid less than the minimum due on your "
                    "credit cards with us; your longest payment delay was %(days)s"
                )
                % {"share": say.percent(below), "days": say.days(longest)}
            )
        return Fact(
            _("Your longest payment delay on your credit cards with us was %(days)s")
            % {"days": say.days(longest)}
        )
    if below:
        return _card_below_minimum(say, below) or not_provided(
            _("The repayments of your credit cards with us")
        )
    return Fact(
        _(
            "Over %(total)s of statements, you always paid at least the minimum due on your "
            "credit cards with us, never late"
        )
        % {"total": say.month_count(say.number_of("CC_COUNT") or 0)}
    )


@fact_template("card_use")
def _card_use(say: Say) -> Fact:
    utilisation = say.number_of("CC_UTILISATION_MEAN")
    cards = say.number_of("CC_LOANS_COUNT") or 0
    if utilisation is None:
        if cards == 0:  # "You have had 0 credit cards with us"
            return Fact(str(NO_CARD))
        return Fact(
            ngettext(
                "You have had %(count)s credit card with us",
                "You have had %(count)s credit cards with us",
                plural_number(cards),
            )
            % {"count": say.number(cards)}
        )
    return Fact(
        _("On average, the balance of your credit cards with us is %(share)s of their limit")
        % {"share": say.percent(utilisation)}
    )
