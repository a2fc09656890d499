"""Human-readable names of every feature the model sees, in every language of the catalogues.

Three families, three sources:

* raw application columns (AMT_CREDIT, NAME_EDUCATION_TYPE, ...): the labels
  of `clients.field_descriptions` (written from the official column
  descriptions), so the dashboard and the explanations name a column alike;
* engineered application features (APP_...): written here, one by one;
* history aggregates (BUREAU_, PREV_, POS_, INST_, CC_): composed from the
  declarations that drive their computation in `ml.features` (each module's
  `SCOPES` and `INPUTS`), as "<measure> (<statistic>, <rows>)", e.g.
  "Days late (average, instalments of the last 365 days)". Every input has
  its wording below; a feature declared in `ml` without wording here falls
  back to its English description (and a test fails, naming it).

The wording is English, marked for translation (`gettext_lazy`, and
`pgettext_lazy` where a short word needs its context, e.g. "closed" credits
and "closed" months take different French endings); the other languages live
in `locale/*/LC_MESSAGES/django.po`. Composed labels use a translated pattern,
so a language may order the parts its own way.

`value_kind(feature)` says how a value of the feature reads (an amount, a
share, days before the application...), which `explanations.reasons` uses to
format values for people. `raw_fields(feature)` lists the raw Kaggle fields
("table.COLUMN") a feature is computed from.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple, cast

from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clients import field_descriptions
from formatting import active_language, languages, normalise_language
from ml import features as ml_features
from ml.features import application, bureau, credit_card, installments, pos_cash
from ml.features import previous_application as previous
from ml.features.aggregate import output_name

__all__ = [
    "LANGUAGES",
    "has_label",
    "label",
    "label_lazy",
    "labels",
    "normalise_language",
    "raw_fields",
    "value_kind",
]

LANGUAGES = languages()


class Measure(NamedTuple):
    text: str | Promise  # translated when read, in the active language
    kind: str


def _compose(pattern: str, **parts: object) -> str:
    return gettext(pattern) % {name: str(part) for name, part in parts.items()}


# A label made of translated parts, translated (pattern and parts) when read.
_composed = lazy(_compose, str)


def _column_label(column: str) -> str:
    return field_descriptions.label(column, active_language())


_raw_column_label = lazy(_column_label, str)


# ---------------------------------------------------------------------------
# Value kinds (how `explanations.reasons` formats a value)
# ---------------------------------------------------------------------------
AMOUNT = "amount"  # money (settings.CURRENCY): said with formatting.money
RATIO = "ratio"  # "5.2" (times)
SHARE = "share"  # 0..1 (or a little above) shown as a percentage
COUNT = "count"  # a number of things
DAYS = "days"  # a number of days (delays, gaps)
DAYS_BEFORE = "days_before"  # a date as days relative to the application (negative: before)
MONTHS_BEFORE = "months_before"  # a month relative to the application (negative: before)
YEARS = "years"  # a duration in years
SCORE = "score"  # an external score on a 0-1 scale
FLAG = "flag"  # 1/0
CATEGORY = "category"  # a text level
HOUR = "hour"  # hour of the day
NUMBER = "number"  # anything else


# ---------------------------------------------------------------------------
# Engineered application features
# ---------------------------------------------------------------------------
_APPLICATION: dict[str, Measure] = {
    "APP_CREDIT_TO_INCOME": Measure(_("Credit amount / annual income"), RATIO),
    "APP_ANNUITY_TO_INCOME": Measure(_("Repayment instalment / annual income"), SHARE),
    "APP_ANNUITY_TO_CREDIT": Measure(_("Repayment instalment / credit amount"), SHARE),
    "APP_CREDIT_TERM": Measure(_("Credit term (number of instalments)"), COUNT),
    "APP_GOODS_TO_CREDIT": Measure(_("Goods price / credit amount"), SHARE),
    "APP_CREDIT_MINUS_GOODS": Measure(_("Credit beyond the goods price"), AMOUNT),
    "APP_INCOME_PER_PERSON": Measure(_("Income per family member"), AMOUNT),
    "APP_CHILDREN_SHARE": Measure(_("Children / family members"), SHARE),
    "APP_AGE_YEARS": Measure(_("Age"), YEARS),
    "APP_YEARS_EMPLOYED": Measure(_("Time in current employment"), YEARS),
    "APP_NOT_EMPLOYED": Measure(_("Not employed (pensioner or unemployed)"), FLAG),
    "APP_EMPLOYED_TO_AGE": Measure(_("Share of life in current employment"), SHARE),
    "APP_REGISTRATION_TO_AGE": Measure(_("Time since registration change / age"), SHARE),
    "APP_ID_PUBLISH_TO_AGE": Measure(_("Time since identity document change / age"), SHARE),
    "APP_PHONE_CHANGE_TO_AGE": Measure(_("Time since phone change / age"), SHARE),
    "APP_CAR_AGE_TO_AGE": Measure(_("Car age / client age"), SHARE),
    "APP_EXT_SOURCE_MEAN": Measure(_("External scores (average)"), SCORE),
    "APP_EXT_SOURCE_MIN": Measure(_("External scores (lowest)"), SCORE),
    "APP_EXT_SOURCE_MAX": Measure(_("External scores (highest)"), SCORE),
    "APP_EXT_SOURCE_PROD": Measure(_("External scores (product of the three)"), SCORE),
    "APP_EXT_SOURCE_COUNT": Measure(_("External scores known"), COUNT),
    "APP_DOCUMENT_COUNT": Measure(_("Documents provided"), COUNT),
    "APP_CONTACT_COUNT": Measure(_("Phones and e-mail given"), COUNT),
    "APP_ADDRESS_MISMATCH_COUNT": Measure(_("Address mismatches (home, contact, work)"), COUNT),
    "APP_BUREAU_ENQUIRIES_TOTAL": Measure(
        _("Credit bureau enquiries (year before applying)"), COUNT
    ),
    "APP_SOCIAL_DEFAULT_30_SHARE": Measure(
        _("Defaults in social circle (30 days past due)"), SHARE
    ),
    "APP_SOCIAL_DEFAULT_60_SHARE": Measure(
        _("Defaults in social circle (60 days past due)"), SHARE
    ),
}


def _raw_application_kind(column: str) -> str:
    if column in application.CATEGORICAL_COLUMNS:
        return CATEGORY
    if column.startswith("AMT_REQ_CREDIT_BUREAU_"):
        return COUNT
    if column.startswith("AMT_"):
        return AMOUNT
    if column == "DAYS_BIRTH":
        return DAYS_BEFORE
    if column.startswith("DAYS_"):
        return DAYS_BEFORE
    if column.startswith("EXT_SOURCE_"):
        return SCORE
    if column == "OWN_CAR_AGE":
        return YEARS
    if column.startswith(("CNT_", "OBS_", "DEF_")):
        return COUNT
    if column.startswith("FLAG_") or "_NOT_" in column:
        return FLAG
    if column == "HOUR_APPR_PROCESS_START":
        return HOUR
    return NUMBER


# ---------------------------------------------------------------------------
# History aggregates: the rows each scope covers, and each input's wording
# ---------------------------------------------------------------------------
class Rows(NamedTuple):
    """What a scope's rows are: named in full (amounts) and as a qualifier (flags)."""

    rows: str | Promise
    qualifier: str | Promise = ""


_SCOPE_ROWS: dict[str, Rows] = {
    "BUREAU_": Rows(pgettext_lazy("history rows", "bureau credits")),
    "BUREAU_ACTIVE_": Rows(
        pgettext_lazy("history rows", "active bureau credits"),
        pgettext_lazy("bureau credits", "active"),
    ),
    "BUREAU_CLOSED_": Rows(
        pgettext_lazy("history rows", "closed bureau credits"),
        pgettext_lazy("bureau credits", "closed"),
    ),
    "PREV_": Rows(pgettext_lazy("history rows", "previous applications")),
    "PREV_APPROVED_": Rows(
        pgettext_lazy("history rows", "approved previous applications"),
        pgettext_lazy("previous applications", "approved"),
    ),
    "PREV_REFUSED_": Rows(
        pgettext_lazy("history rows", "refused previous applications"),
        pgettext_lazy("previous applications", "refused"),
    ),
    "POS_": Rows(pgettext_lazy("history rows", "POS/cash loan statements")),
    "POS_RECENT_": Rows(
        pgettext_lazy("history rows", "POS/cash loan statements of the last 12 months"),
        pgettext_lazy("history rows", "last 12 months"),
    ),
    "INST_": Rows(pgettext_lazy("history rows", "instalments of previous loans")),
    "INST_365_": Rows(
        pgettext_lazy("history rows", "instalments of the last 365 days"),
        pgettext_lazy("history rows", "last 365 days"),
    ),
    "INST_LAST3_": Rows(
        pgettext_lazy("history rows", "last 3 instalments of each loan"),
        pgettext_lazy("history rows", "last 3 of each loan"),
    ),
    "CC_": Rows(pgettext_lazy("history rows", "credit card statements")),
    "CC_RECENT_": Rows(
        pgettext_lazy("history rows", "credit card statements of the last 12 months"),
        pgettext_lazy("history rows", "last 12 months"),
    ),
}

_STATISTIC: dict[str, Promise] = {
    "min": pgettext_lazy("statistic", "lowest"),
    "max": pgettext_lazy("statistic", "highest"),
    "mean": pgettext_lazy("statistic", "average"),
    "sum": pgettext_lazy("statistic", "total"),
    "std": pgettext_lazy("statistic", "spread"),
}
_FLAG_STATISTIC: dict[str, Promise] = {
    "sum": pgettext_lazy("statistic", "number"),
    "mean": pgettext_lazy("statistic", "share"),
}
# "<measure> (<statistic>, <rows>)": "Days late (average, instalments of the last 365 days)".
_AGGREGATE = gettext_noop("%(measure)s (%(statistic)s, %(rows)s)")
# Flags are counted or shared over rows: "Instalments paid late (share, last 365 days)".
_FLAG_AGGREGATE = gettext_noop("%(measure)s (%(statistic)s)")
_FLAG_AGGREGATE_QUALIFIED = gettext_noop("%(measure)s (%(statistic)s, %(qualifier)s)")

# Months of the monthly bureau history, by status ("Months 1-30 days late").
_BB_STATUS_WORDS: dict[str, Promise] = {
    "0": pgettext_lazy("months of the bureau history", "with no delay"),
    "1": pgettext_lazy("months of the bureau history", "1-30 days late"),
    "2": pgettext_lazy("months of the bureau history", "31-60 days late"),
    "3": pgettext_lazy("months of the bureau history", "61-90 days late"),
    "4": pgettext_lazy("months of the bureau history", "91-120 days late"),
    "5": pgettext_lazy("months of the bureau history", "over 120 days late or written off"),
    "C": pgettext_lazy("months of the bureau history", "closed"),
    "X": pgettext_lazy("months of the bureau history", "of unknown status"),
}
_BB_MONTHS = gettext_noop("Months %(status)s")
_BB_SHARE_OF_MONTHS = gettext_noop("Share of months %(status)s")

# (module prefix, input name) -> wording. Amount inputs name a measure; flag inputs
# name the rows that have the property (counted or shared).
_INPUTS: dict[tuple[str, str], Measure] = {
    # bureau + bureau_balance
    ("BUREAU_", "DAYS_CREDIT"): Measure(_("Credit opened"), DAYS_BEFORE),
    ("BUREAU_", "CREDIT_DAY_OVERDUE"): Measure(_("Days overdue"), DAYS),
    ("BUREAU_", "DAYS_CREDIT_ENDDATE"): Measure(_("Planned end"), DAYS_BEFORE),
    ("BUREAU_", "DAYS_ENDDATE_FACT"): Measure(_("Actual end"), DAYS_BEFORE),
    ("BUREAU_", "AMT_CREDIT_MAX_OVERDUE"): Measure(_("Largest amount ever overdue"), AMOUNT),
    ("BUREAU_", "CNT_CREDIT_PROLONG"): Measure(_("Prolongations"), COUNT),
    ("BUREAU_", "AMT_CREDIT_SUM"): Measure(_("Credit amount"), AMOUNT),
    ("BUREAU_", "AMT_CREDIT_SUM_DEBT"): Measure(_("Outstanding debt"), AMOUNT),
    ("BUREAU_", "AMT_CREDIT_SUM_LIMIT"): Measure(_("Credit card limit"), AMOUNT),
    ("BUREAU_", "AMT_CREDIT_SUM_OVERDUE"): Measure(_("Amount overdue"), AMOUNT),
    ("BUREAU_", "DAYS_CREDIT_UPDATE"): Measure(_("Last bureau update"), DAYS_BEFORE),
    ("BUREAU_", "AMT_ANNUITY"): Measure(_("Repayment instalment"), AMOUNT),
    ("BUREAU_", "DEBT_TO_CREDIT"): Measure(_("Outstanding debt / credit amount"), SHARE),
    ("BUREAU_", "OVERDUE_TO_DEBT"): Measure(_("Amount overdue / debt"), SHARE),
    ("BUREAU_", "CREDIT_DURATION"): Measure(_("Planned duration"), DAYS),
    ("BUREAU_", "ENDDATE_GAP"): Measure(_("Actual end minus planned end (days)"), DAYS),
    ("BUREAU_", "ACTIVE"): Measure(_("Bureau credits still active"), FLAG),
    ("BUREAU_", "CLOSED"): Measure(_("Bureau credits closed"), FLAG),
    ("BUREAU_", "SOLD_OR_BAD_DEBT"): Measure(_("Bureau credits sold or written off"), FLAG),
    ("BUREAU_", "OVERDUE"): Measure(_("Bureau credits overdue"), FLAG),
    ("BUREAU_", "PROLONGED"): Measure(_("Bureau credits prolonged"), FLAG),
    ("BUREAU_", "TYPE_CONSUMER_CREDIT"): Measure(_("Consumer credits at the bureau"), FLAG),
    ("BUREAU_", "TYPE_CREDIT_CARD"): Measure(_("Credit cards at the bureau"), FLAG),
    ("BUREAU_", "TYPE_CAR_LOAN"): Measure(_("Car loans at the bureau"), FLAG),
    ("BUREAU_", "TYPE_MORTGAGE"): Measure(_("Mortgages at the bureau"), FLAG),
    ("BUREAU_", "TYPE_MICROLOAN"): Measure(_("Microloans at the bureau"), FLAG),
    ("BUREAU_", "TYPE_BUSINESS_LOAN"): Measure(_("Business loans at the bureau"), FLAG),
    ("BUREAU_", "TYPE_OTHER"): Measure(_("Other credits at the bureau"), FLAG),
    ("BUREAU_", "BB_MONTHS"): Measure(_("Months reported"), COUNT),
    **{
        ("BUREAU_", f"BB_STATUS_{status}"): Measure(_composed(_BB_MONTHS, status=words), COUNT)
        for status, words in _BB_STATUS_WORDS.items()
    },
    **{
        ("BUREAU_", f"BB_SHARE_{status}"): Measure(
            _composed(_BB_SHARE_OF_MONTHS, status=words), SHARE
        )
        for status, words in _BB_STATUS_WORDS.items()
    },
    ("BUREAU_", "BB_LATE_MONTHS"): Measure(_("Months late"), COUNT),
    ("BUREAU_", "BB_LATE_SHARE"): Measure(_("Share of months late"), SHARE),
    ("BUREAU_", "BB_WORST_STATUS"): Measure(_("Worst monthly delay status (0-5)"), NUMBER),
    ("BUREAU_", "BB_LAST_LATE_MONTH"): Measure(_("Last month late"), MONTHS_BEFORE),
    # previous_application
    ("PREV_", "AMT_ANNUITY"): Measure(_("Repayment instalment"), AMOUNT),
    ("PREV_", "AMT_APPLICATION"): Measure(_("Amount asked for"), AMOUNT),
    ("PREV_", "AMT_CREDIT"): Measure(_("Amount granted"), AMOUNT),
    ("PREV_", "AMT_DOWN_PAYMENT"): Measure(_("Down payment"), AMOUNT),
    ("PREV_", "AMT_GOODS_PRICE"): Measure(_("Goods price"), AMOUNT),
    ("PREV_", "HOUR_APPR_PROCESS_START"): Measure(_("Application hour"), HOUR),
    ("PREV_", "RATE_DOWN_PAYMENT"): Measure(_("Down payment rate"), SHARE),
    ("PREV_", "DAYS_DECISION"): Measure(_("Decision"), DAYS_BEFORE),
    ("PREV_", "CNT_PAYMENT"): Measure(_("Number of instalments"), COUNT),
    ("PREV_", "NFLAG_INSURED_ON_APPROVAL"): Measure(_("Insurance requested"), SHARE),
    ("PREV_", "DAYS_FIRST_DRAWING"): Measure(_("First drawing"), DAYS_BEFORE),
    ("PREV_", "DAYS_FIRST_DUE"): Measure(_("First due date"), DAYS_BEFORE),
    ("PREV_", "DAYS_LAST_DUE_1ST_VERSION"): Measure(_("Last due date first planned"), DAYS_BEFORE),
    ("PREV_", "DAYS_LAST_DUE"): Measure(_("Last due date"), DAYS_BEFORE),
    ("PREV_", "DAYS_TERMINATION"): Measure(_("Expected termination"), DAYS_BEFORE),
    ("PREV_", "APPLICATION_TO_CREDIT"): Measure(_("Amount asked / amount granted"), RATIO),
    ("PREV_", "DOWN_PAYMENT_TO_CREDIT"): Measure(_("Down payment / amount granted"), SHARE),
    ("PREV_", "ANNUITY_TO_CREDIT"): Measure(_("Instalment / amount granted"), SHARE),
    ("PREV_", "CREDIT_TO_GOODS"): Measure(_("Amount granted / goods price"), RATIO),
    ("PREV_", "INTEREST_SHARE"): Measure(_("Interest share"), SHARE),
    ("PREV_", "ENDED_EARLY_DAYS"): Measure(_("Days ended ahead of plan"), DAYS),
    ("PREV_", "APPROVED"): Measure(_("Previous applications approved"), FLAG),
    ("PREV_", "REFUSED"): Measure(_("Previous applications refused"), FLAG),
    ("PREV_", "CANCELED"): Measure(_("Previous applications cancelled by the client"), FLAG),
    ("PREV_", "UNUSED_OFFER"): Measure(_("Previous offers left unused"), FLAG),
    ("PREV_", "TYPE_CASH"): Measure(_("Previous applications for cash loans"), FLAG),
    ("PREV_", "TYPE_CONSUMER"): Measure(_("Previous applications for consumer loans"), FLAG),
    ("PREV_", "TYPE_REVOLVING"): Measure(_("Previous applications for revolving credit"), FLAG),
    ("PREV_", "NEW_CLIENT"): Measure(_("Previous applications as a new client"), FLAG),
    ("PREV_", "YIELD_HIGH"): Measure(_("Previous applications at a high interest rate"), FLAG),
    ("PREV_", "RUNNING"): Measure(_("Previous loans still running"), FLAG),
    # POS_CASH_balance
    ("POS_", "MONTHS_BALANCE"): Measure(_("Statement month"), MONTHS_BEFORE),
    ("POS_", "CNT_INSTALMENT"): Measure(_("Loan term (instalments)"), COUNT),
    ("POS_", "CNT_INSTALMENT_FUTURE"): Measure(_("Instalments left to pay"), COUNT),
    ("POS_", "SK_DPD"): Measure(_("Days past due"), DAYS),
    ("POS_", "SK_DPD_DEF"): Measure(_("Days past due (small debts ignored)"), DAYS),
    ("POS_", "DPD_POSITIVE"): Measure(_("POS/cash loan statements with a delay"), FLAG),
    ("POS_", "DPD_DEF_POSITIVE"): Measure(
        _("POS/cash loan statements with a delay (small debts ignored)"), FLAG
    ),
    # installments_payments
    ("INST_", "DPD"): Measure(_("Days late"), DAYS),
    ("INST_", "DBD"): Measure(_("Days paid early"), DAYS),
    ("INST_", "PAYMENT_RATIO"): Measure(_("Amount paid / amount due"), SHARE),
    ("INST_", "PAYMENT_DIFF"): Measure(_("Amount due minus amount paid"), AMOUNT),
    ("INST_", "AMT_INSTALMENT"): Measure(_("Amount due"), AMOUNT),
    ("INST_", "AMT_PAYMENT"): Measure(_("Amount paid"), AMOUNT),
    ("INST_", "DAYS_ENTRY_PAYMENT"): Measure(_("Payment date"), DAYS_BEFORE),
    ("INST_", "DAYS_INSTALMENT"): Measure(_("Due date"), DAYS_BEFORE),
    ("INST_", "LATE"): Measure(_("Instalments paid late"), FLAG),
    ("INST_", "LATE_30"): Measure(_("Instalments paid over 30 days late"), FLAG),
    ("INST_", "UNDERPAID"): Measure(_("Instalments paid short of the amount due"), FLAG),
    ("INST_", "UNPAID"): Measure(_("Instalments without a payment"), FLAG),
    # credit_card_balance
    ("CC_", "MONTHS_BALANCE"): Measure(_("Statement month"), MONTHS_BEFORE),
    ("CC_", "AMT_BALANCE"): Measure(_("Card balance"), AMOUNT),
    ("CC_", "AMT_CREDIT_LIMIT_ACTUAL"): Measure(_("Card limit"), AMOUNT),
    ("CC_", "AMT_DRAWINGS_CURRENT"): Measure(_("Drawings in the month"), AMOUNT),
    ("CC_", "AMT_DRAWINGS_ATM_CURRENT"): Measure(_("Cash withdrawals in the month"), AMOUNT),
    ("CC_", "AMT_DRAWINGS_POS_CURRENT"): Measure(_("Purchases in the month"), AMOUNT),
    ("CC_", "AMT_INST_MIN_REGULARITY"): Measure(_("Minimum payment of the month"), AMOUNT),
    ("CC_", "AMT_PAYMENT_CURRENT"): Measure(_("Payment of the month"), AMOUNT),
    ("CC_", "AMT_PAYMENT_TOTAL_CURRENT"): Measure(_("Total payment of the month"), AMOUNT),
    ("CC_", "AMT_TOTAL_RECEIVABLE"): Measure(_("Total amount owed"), AMOUNT),
    ("CC_", "CNT_DRAWINGS_CURRENT"): Measure(_("Drawings in the month (number)"), COUNT),
    ("CC_", "CNT_DRAWINGS_ATM_CURRENT"): Measure(
        _("Cash withdrawals in the month (number)"), COUNT
    ),
    ("CC_", "CNT_INSTALMENT_MATURE_CUM"): Measure(_("Instalments paid so far"), COUNT),
    ("CC_", "SK_DPD"): Measure(_("Days past due"), DAYS),
    ("CC_", "SK_DPD_DEF"): Measure(_("Days past due (small debts ignored)"), DAYS),
    ("CC_", "UTILISATION"): Measure(_("Card utilisation"), SHARE),
    ("CC_", "DRAWINGS_TO_LIMIT"): Measure(_("Drawings / card limit"), SHARE),
    ("CC_", "PAYMENT_TO_MIN"): Measure(_("Payment / minimum payment"), RATIO),
    ("CC_", "BELOW_MIN"): Measure(_("Card statements paid below the minimum"), FLAG),
    ("CC_", "OVER_LIMIT"): Measure(_("Card statements over the limit"), FLAG),
    ("CC_", "DPD_POSITIVE"): Measure(_("Card statements with a payment delay"), FLAG),
}

# History features declared one by one (not through a scope).
_HISTORY_SINGLES: dict[str, Measure] = {
    "BUREAU_COUNT": Measure(_("Credits known to the credit bureau"), COUNT),
    "BUREAU_DEBT_TO_CREDIT_TOTAL": Measure(
        _("Outstanding debt / credit amount (all bureau credits)"), SHARE
    ),
    "BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL": Measure(
        _("Outstanding debt / credit amount (active bureau credits)"), SHARE
    ),
    "BUREAU_OVERDUE_TO_DEBT_TOTAL": Measure(
        _("Amount overdue / outstanding debt (bureau credits)"), SHARE
    ),
    "BUREAU_BB_CREDITS_COUNT": Measure(_("Bureau credits with a monthly history"), COUNT),
    "PREV_COUNT": Measure(_("Previous applications with us"), COUNT),
    "POS_COUNT": Measure(_("POS/cash loan statements"), COUNT),
    "POS_LOANS_COUNT": Measure(_("Previous POS/cash loans"), COUNT),
    "POS_RECENT_COUNT": Measure(_("POS/cash loan statements (last 12 months)"), COUNT),
    "POS_ACTIVE_LOANS_COUNT": Measure(_("Active POS/cash loans"), COUNT),
    "POS_COMPLETED_LOANS_COUNT": Measure(_("Completed POS/cash loans"), COUNT),
    "POS_ACTIVE_REMAINING_INSTALMENTS_SUM": Measure(
        _("Instalments left on active POS/cash loans"), COUNT
    ),
    "POS_LOAN_REMAINING_SHARE_MEAN": Measure(
        _("Share of the term left (POS/cash loans, average)"), SHARE
    ),
    "INST_COUNT": Measure(_("Instalments of previous loans"), COUNT),
    "INST_LOANS_COUNT": Measure(_("Previous loans with instalments"), COUNT),
    "INST_365_COUNT": Measure(_("Instalments due in the last 365 days"), COUNT),
    "CC_COUNT": Measure(_("Credit card statements"), COUNT),
    "CC_LOANS_COUNT": Measure(_("Previous credit cards"), COUNT),
    "CC_RECENT_COUNT": Measure(_("Credit card statements (last 12 months)"), COUNT),
    "CC_LAST_BALANCE_SUM": Measure(_("Balance owed on all cards (latest statement)"), AMOUNT),
    "CC_LAST_UTILISATION_MEAN": Measure(_("Card utilisation (latest statement, average)"), SHARE),
}

HISTORY_MODULES = (bureau, previous, pos_cash, installments, credit_card)


def _history_labels() -> dict[str, Measure]:
    labels: dict[str, Measure] = dict(_HISTORY_SINGLES)
    for module in HISTORY_MODULES:
        for scope in module.SCOPES:
            rows = _SCOPE_ROWS.get(scope.prefix)
            for input_name, funcs in scope.aggregates.items():
                measure = _INPUTS.get((module.PREFIX, input_name))
                if rows is None or measure is None:
                    continue  # no wording: the English description stands in (a test says so)
                for func in funcs:
                    name = output_name(scope, input_name, func, module.INPUTS)
                    if measure.kind == FLAG:
                        statistic = _FLAG_STATISTIC[func]
                        kind = SHARE if func == "mean" else COUNT
                        if rows.qualifier:
                            text = _composed(
                                _FLAG_AGGREGATE_QUALIFIED,
                                measure=measure.text,
                                statistic=statistic,
                                qualifier=rows.qualifier,
                            )
                        else:
                            text = _composed(
                                _FLAG_AGGREGATE, measure=measure.text, statistic=statistic
                            )
                        labels[name] = Measure(text, kind)
                    else:
                        kind = measure.kind
                        if func == "std" and kind in (DAYS_BEFORE, MONTHS_BEFORE):
                            kind = DAYS if kind == DAYS_BEFORE else NUMBER
                        text = _composed(
                            _AGGREGATE,
                            measure=measure.text,
                            statistic=_STATISTIC[func],
                            rows=rows.rows,
                        )
                        labels[name] = Measure(text, kind)
    return labels


@cache
def _catalogue() -> dict[str, Measure]:
    """Every feature of `ml.features` with its wording (where we have one)."""
    history = _history_labels()
    catalogue: dict[str, Measure] = {}
    for name in ml_features.FEATURE_NAMES:
        if name in _APPLICATION:
            catalogue[name] = _APPLICATION[name]
        elif name in history:
            catalogue[name] = history[name]
        elif name in application.RAW_COLUMNS:
            catalogue[name] = Measure(_raw_column_label(name), _raw_application_kind(name))
    return catalogue


@cache
def _labels(language: str) -> dict[str, str]:
    """Every feature of `ml.features` and its label in `language` (read once per language:
    the catalogues do not change while the process runs)."""
    catalogue = _catalogue()
    with translation.override(language):
        return {
            name: str(catalogue[name].text)
            if name in catalogue
            else ml_features.FEATURE_DESCRIPTIONS.get(name, name)
            for name in ml_features.FEATURE_NAMES
        }


def has_label(feature: str) -> bool:
    """True when `feature` has a written label (not a fallback) in every language."""
    if feature not in _catalogue():
        return False
    return all(_labels(code)[feature] != feature for code in LANGUAGES)


def label(feature: str, language: str) -> str:
    """A short human-readable name of `feature` in `language` ("en", "fr", "fr-FR"...).

    Unknown to us: the English description from `ml.features`, else the name itself.
    """
    known = _labels(normalise_language(language)).get(feature)
    if known is not None:
        return known
    return ml_features.FEATURE_DESCRIPTIONS.get(feature, feature)


def value_kind(feature: str) -> str:
    """How a value of `feature` reads: one of the kinds above (AMOUNT, SHARE, ...)."""
    measure = _catalogue().get(feature)
    return measure.kind if measure is not None else NUMBER


def raw_fields(feature: str) -> list[str]:
    """The raw Kaggle fields ("table.COLUMN") `feature` comes from; [] if unknown."""
    return list(ml_features.FEATURE_SOURCES.get(feature, []))


def _active_label(feature: str) -> str:
    return label(feature, active_language())


# The label of a feature, in the language active when it is read. (django-stubs types
# lazy() as giving back its function; what the result returns is a Promise.)
label_lazy = cast(Callable[[str], Promise], lazy(_active_label, str))


def labels(language: str) -> dict[str, str]:
    """Every feature of `ml.features` and its label in `language`."""
    return dict(_labels(normalise_language(language)))
