"""Reasons about the credit asked for: its size against the income, its term, the goods,
and the application itself (type of loan, day, who came along, documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.reasons.core import Fact, Say, category, template
from formatting import as_number, plural_number


@template("APP_CREDIT_TO_INCOME", topic="credit_to_income")
def _credit_to_income(say: Say, value: object) -> Fact | None:
    ratio = as_number(value)
    if ratio is None:
        return None
    if ratio < 1:
        return Fact(
            _("The loan amount is %(share)s of your annual income") % {"share": say.percent(ratio)}
        )
    return Fact(
        _("The loan amount is %(times)s times your annual income") % {"times": say.number(ratio)}
    )


@template("APP_ANNUITY_TO_INCOME", topic="annuity_to_income")
def _annuity_to_income(say: Say, value: object) -> Fact | None:
    share = as_number(value)
    if share is None:
        return None
    return Fact(
        _("Each repayment instalment represents %(share)s of your annual income")
        % {"share": say.percent(share)}
    )


@template("APP_CREDIT_TERM", "APP_ANNUITY_TO_CREDIT", topic="term")
def _credit_term(say: Say, value: object) -> Fact | None:
    term = say.number_of("APP_CREDIT_TERM")
    if term is None:
        rate = say.number_of("APP_ANNUITY_TO_CREDIT")
        term = 1 / rate if rate else None
    if term is None:
        return None
    instalments = round(term)
    return Fact(
        ngettext(
            "The loan is repaid in about %(count)s instalment",
            "The loan is repaid in about %(count)s instalments",
            plural_number(instalments),
        )
        % {"count": say.number(instalments)}
    )


@template("APP_GOODS_TO_CREDIT", "APP_CREDIT_MINUS_GOODS", topic="goods")
def _goods_to_credit(say: Say, value: object) -> Fact | None:
    credit = say.number_of("AMT_CREDIT")
    goods = say.number_of("AMT_GOODS_PRICE")
    gap = say.number_of("APP_CREDIT_MINUS_GOODS")
    if gap is None and credit is not None and goods is not None:
        gap = credit - goods
    if gap is None:
        return None
    if gap > 0:
        return Fact(
            _("The loan exceeds the price of the goods it pays for by %(amount)s")
            % {"amount": say.amount(gap)}
        )
    return Fact(_("The loan does not exceed the price of the goods it pays for"))


@template("AMT_CREDIT")
def _credit(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(_("The loan amount asked for is %(amount)s") % {"amount": say.amount(amount)})


@template("AMT_ANNUITY")
def _annuity(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        _("The repayment instalment of the loan is %(amount)s") % {"amount": say.amount(amount)}
    )


@template("AMT_GOODS_PRICE")
def _goods_price(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(_("The price of the goods financed is %(amount)s") % {"amount": say.amount(amount)})


category("NAME_CONTRACT_TYPE", gettext_lazy("The type of loan asked for (%(value)s)"))
category(
    "WEEKDAY_APPR_PROCESS_START",
    gettext_lazy("The day of the week of the application (%(value)s)"),
)
category(
    "NAME_TYPE_SUITE",
    gettext_lazy("Who accompanied you when applying (%(value)s)"),
    missing=gettext_lazy("Who accompanied you when applying is not known"),
)


@template("APP_DOCUMENT_COUNT")
def _documents(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    return Fact(
        ngettext(
            "You provided %(count)s document with the application",
            "You provided %(count)s documents with the application",
            plural_number(count),
        )
        % {"count": say.number(count)}
    )
