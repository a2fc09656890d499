"""Reasons about the credit asked for: its size against the income, its term, the goods,
and the application itself (type of loan, day, who came along, documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from explanations.reasons.core import Fact, Say, category, fact_template, not_provided, template
from formatting import as_number, count_phrase, plural_number


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
        count_phrase(
            ngettext(
                "The loan is repaid in about %(count)s instalment",
                "The loan is repaid in about %(count)s instalments",
                plural_number(instalments),
            )
            % {"count": say.number(instalments)}
        )
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


category(
    "NAME_CONTRACT_TYPE",
    gettext_lazy("The type of loan asked for (%(value)s)"),
    fact="contract_type",
    unknown=gettext_lazy("The type of loan asked for"),
)
category(
    "WEEKDAY_APPR_PROCESS_START",
    gettext_lazy("The day of the week of the application (%(value)s)"),
)
category(
    "NAME_TYPE_SUITE",
    gettext_lazy("Who accompanied you when applying (%(value)s)"),
    missing=gettext_lazy("Who accompanied you when applying is not known"),
    fact="companion",
    unknown=gettext_lazy("Who accompanied you when applying"),
)


@template("APP_DOCUMENT_COUNT")
def _documents(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    if count == 0:
        # Most applications come with a document (document 3: 71% in Home Credit's data);
        # those without one were repaid more often in the loans the model learned from, so
        # the model usually counts it in the client's favour. Said bare, "no document, which
        # lowers the risk" reads as a reward for giving nothing: the sentence says why.
        return Fact(
            _("You provided no document with the application"),
            lowering=_(
                "You provided no document with the application; in the past loans our model "
                "learned from, applications without a document were repaid more often, which "
                "lowers the risk."
            ),
        )
    said = {"count": say.number(count)}
    return Fact(
        count_phrase(
            ngettext(
                "You provided %(count)s document with the application",
                "You provided %(count)s documents with the application",
                plural_number(count),
            )
            % said
        ),
        # The same the other way round: giving a document does not itself raise the risk,
        # applications that came with it were repaid less often.
        raising=count_phrase(
            ngettext(
                "You provided %(count)s document with the application; in the past loans our "
                "model learned from, applications with the same document were repaid less often, "
                "which increases the risk.",
                "You provided %(count)s documents with the application; in the past loans our "
                "model learned from, applications with the same documents were repaid less often, "
                "which increases the risk.",
                plural_number(count),
            )
            % said
        ),
    )


# ---------------------------------------------------------------------------
# The client facts of the credit asked for (explanations/facts.py)
# ---------------------------------------------------------------------------


@fact_template("loan_to_income")
def _loan_to_income(say: Say) -> Fact:
    amount = say.number_of("AMT_CREDIT")
    ratio = say.number_of("APP_CREDIT_TO_INCOME")
    if amount is None:  # a partial file: the ratio alone, else nothing to state
        return _credit_to_income(say, ratio) or not_provided(_("The loan amount"))
    said = {"amount": say.amount(amount)}
    if ratio is None:
        return Fact(_("The loan amount asked for is %(amount)s") % said)
    if ratio < 1:
        return Fact(
            _("The loan amount (%(amount)s) is %(share)s of your annual income")
            % {**said, "share": say.percent(ratio)}
        )
    return Fact(
        _("The loan amount (%(amount)s) is %(times)s times your annual income")
        % {**said, "times": say.number(ratio)}
    )


@fact_template("instalment")
def _instalment(say: Say) -> Fact:
    amount = say.number_of("AMT_ANNUITY")
    share = say.number_of("APP_ANNUITY_TO_INCOME")
    if amount is None:
        return _annuity_to_income(say, share) or not_provided(_("The repayment instalment"))
    said = {"amount": say.amount(amount)}
    if share is None:
        return Fact(_("The repayment instalment of the loan is %(amount)s") % said)
    return Fact(
        _("The repayment instalment (%(amount)s) represents %(share)s of your annual income")
        % {**said, "share": say.percent(share)}
    )


@fact_template("term")
def _term(say: Say) -> Fact:
    return _credit_term(say, None) or not_provided(_("The length of the loan"))


@fact_template("goods")
def _goods(say: Say) -> Fact:
    credit = say.number_of("AMT_CREDIT")
    goods = say.number_of("AMT_GOODS_PRICE")
    if goods is None:
        return _goods_to_credit(say, None) or not_provided(_("The price of the goods financed"))
    if credit is None:
        return Fact(
            _("The price of the goods financed is %(amount)s") % {"amount": say.amount(goods)}
        )
    said = {"credit": say.amount(credit), "goods": say.amount(goods)}
    if credit > goods:
        return Fact(
            _(
                "The loan (%(credit)s) exceeds the price of the goods it pays for (%(goods)s) "
                "by %(gap)s"
            )
            % {**said, "gap": say.amount(credit - goods)}
        )
    return Fact(
        _("The loan (%(credit)s) does not exceed the price of the goods it pays for (%(goods)s)")
        % said
    )


@fact_template("application_time")
def _application_time(say: Say) -> Fact:
    day = say.values.get("WEEKDAY_APPR_PROCESS_START")
    hour = say.number_of("HOUR_APPR_PROCESS_START")
    if not isinstance(day, str) or hour is None:
        return not_provided(_("The day and hour of the application"))
    return Fact(
        _("The time of your application (%(day)s, %(hour)s)")
        % {
            "day": say.category("WEEKDAY_APPR_PROCESS_START", day),
            "hour": pgettext("hour of the day", "%(hour)s:00") % {"hour": int(hour)},
        },
        subject=True,
    )


@fact_template("documents")
def _documents_fact(say: Say) -> Fact:
    return _documents(say, say.values.get("APP_DOCUMENT_COUNT")) or not_provided(
        _("The documents provided with the application")
    )
