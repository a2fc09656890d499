"""A client's record in words: the application and its credit history as a person reads them.

The Kaggle tables count time backwards from the application in days
(DAYS_CREDIT = -233) or months (MONTHS_BALANCE = -8), code categories in
English ("Cash loans", "Y") and carry amounts without a currency. This
module says the same facts in the active language: dates ("March 2024,
8 months before the application"), amounts with the currency
(`formatting.money`), translated categories, and labels a non-specialist
understands, each with the source the fact comes from.

It sits below the user interfaces so that every one of them says a record
the same way: the client portal's "My application" reads it, and so can the
advisor's "history in words". The wording is neutral ("the application",
not "your application") so that it reads right to both. Everything runs
under the active language: a caller that speaks for someone wraps its work
in `translation.override(language)` once.

    with translation.override("en"):
        record = record_in_words(application=application)
    record.sections[0].title             # "The loan asked for"
    record.sections[0].lines[1].text     # "€406,598"

When is "the application"? The Kaggle day counts are relative to the day the
application was made, which the data does not date; our record of it is
`Application.created_at`, the day the application reached us (imported or
sent by a partner system), so that is the anchor (`application_received_on`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

import formatting
from clients import field_descriptions
from clients.models import Application, BureauBalance
from clients.selectors.client_file import ClientFile, client_file_get
from formatting import DAYS_PER_YEAR, as_number
from ml.schema import DAYS_EMPLOYED_SENTINEL

# The Kaggle tables grouped by where their facts come from (GDPR art. 15(1)(g): the source).
APPLICATION_FORM = "application_form"
CREDIT_BUREAU = "credit_bureau"
OUR_HISTORY = "our_history"
SOURCE_OF_TABLE: dict[str, str] = {
    "application": APPLICATION_FORM,
    "bureau": CREDIT_BUREAU,
    "bureau_balance": CREDIT_BUREAU,
    "previous_application": OUR_HISTORY,
    "POS_CASH_balance": OUR_HISTORY,
    "installments_payments": OUR_HISTORY,
    "credit_card_balance": OUR_HISTORY,
}


def source_label(source: str) -> str:
    """Where a kind of data comes from, in words."""
    return {
        APPLICATION_FORM: _("the application form you filled in"),
        CREDIT_BUREAU: _(
            "the credit bureau and external credit reference sources (credits you hold with "
            "other lenders, scores)"
        ),
        OUR_HISTORY: _("our own history with you (earlier applications and loans with us)"),
    }[source]


# ---------------------------------------------------------------------------
# What the presenter returns
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One fact: what it is (`label`) and its value in words (`text`).

    `key` names it for code and tests (a Kaggle column in lower case, or a
    derived name such as "term").
    """

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Item:
    """One credit, application or loan of the history, with its facts."""

    key: str
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Section:
    """A part of the record: facts of the application (`lines`) or a history (`items`).

    `summary` says the section in one sentence ("3 credits reported, the most
    recent first"); `empty` what to say when the section holds nothing;
    `truncated` that older rows were left out (they are in the download).
    """

    key: str
    title: str
    source: str
    summary: str = ""
    lines: list[Line] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    truncated: bool = False
    # Where the facts come from, in the language active when the section was made.
    source_label: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_label", source_label(self.source))

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.items


@dataclass(frozen=True)
class RecordInWords:
    received_on: dt.date
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


# ---------------------------------------------------------------------------
# Dates instead of day and month counts
# ---------------------------------------------------------------------------


def application_received_on(application: Application) -> dt.date:
    """The day the application reached us: the anchor of the Kaggle day counts (see above)."""
    created = application.created_at or timezone.now()
    return timezone.localdate(created)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, the day clamped to the month's length
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def date_of_day_count(days: float, received_on: dt.date) -> dt.date:
    """The date `days` days from the application (negative: before it)."""
    return received_on + dt.timedelta(days=round(days))


def when_days(days: object, received_on: dt.date) -> str:
    """A Kaggle day count as a date and its distance: "March 2024, 8 months before the
    application"; "" when unknown."""
    number = as_number(days)
    if number is None:
        return ""
    number = round(number)
    if number == 0:
        return _("on the day of the application (%(date)s)") % {
            "date": formatting.date(received_on)
        }
    said = {
        "month": formatting.month_year(date_of_day_count(number, received_on)),
        "duration": formatting.duration(number),
    }
    if number < 0:
        return _("%(month)s, %(duration)s before the application") % said
    return _("%(month)s, %(duration)s after the application") % said


def when_months(months: object, received_on: dt.date) -> str:
    """A Kaggle month count (MONTHS_BALANCE: -1 is the month before the application) as
    a month and its distance: "October 2024, 1 month before the application"."""
    number = as_number(months)
    if number is None:
        return ""
    number = round(number)
    month = formatting.month_year(add_months(received_on, number))
    if number == 0:
        return _("%(month)s, the month of the application") % {"month": month}
    said = {"month": month, "duration": formatting.month_count(abs(number))}
    if number < 0:
        return _("%(month)s, %(duration)s before the application") % said
    return _("%(month)s, %(duration)s after the application") % said


# ---------------------------------------------------------------------------
# Values in words
# ---------------------------------------------------------------------------


def _category(column: str, value: object) -> str:
    if value is None or value == "":
        return ""
    return field_descriptions.value_label(column, value, formatting.active_language())


def _money(value: object) -> str:
    return "" if as_number(value) is None else formatting.money(value)


def _count(value: object) -> str:
    number = as_number(value)
    return "" if number is None else formatting.number(number, decimals=0)


def _days_late(value: object) -> str:
    number = as_number(value)
    if number is None:
        return ""
    if number <= 0:
        return pgettext("delay", "none")
    return formatting.day_count(round(number), decimals=0)


def _score(value: object) -> str:
    number = as_number(value)
    if number is None:
        return ""
    return _("%(score)s on a scale from 0 to 1 (higher is better)") % {
        "score": formatting.score_value(number)
    }


def _lines(values: Mapping[str, Any], specs: Iterable[tuple[str, str, Callable]]) -> list[Line]:
    """The facts of `specs` (key, label, value -> text) that have a value: an empty
    text is a fact we do not hold, left out rather than shown as a dash."""
    lines = []
    for key, label, say in specs:
        text = say(values.get(key))
        if text:
            lines.append(Line(key=key, label=label, text=text))
    return lines


# ---------------------------------------------------------------------------
# The application
# ---------------------------------------------------------------------------


def _employment(application: Application, received_on: dt.date) -> str:
    days = as_number(application.days_employed)
    if days is None:
        return ""
    if days == DAYS_EMPLOYED_SENTINEL:
        if application.name_income_type == "Pensioner":
            return _("retired, no current employment")
        return _("no current employment declared")
    return _("since %(when)s") % {"when": when_days(days, received_on)}


def _term(application: Application) -> str:
    # AMT_ANNUITY is the monthly instalment (see scoring/loan_terms.py): the term is their
    # ratio, interest not included, hence "about".
    credit, annuity = as_number(application.amt_credit), as_number(application.amt_annuity)
    if not credit or not annuity or annuity <= 0:
        return ""
    months = round(credit / annuity)
    # "about 16 months": the count and its word on one line (formatting.month_count).
    return _("about %(term)s") % {"term": formatting.month_count(months)}


def _age(days: object) -> str:
    number = as_number(days)
    if number is None:
        return ""
    years = int(abs(number) // DAYS_PER_YEAR)
    # "25 years old" / "25 ans": the count and its word on one line (formatting.year_count).
    return _("%(age)s old") % {"age": formatting.year_count(years)}


def _documents(application: Application) -> str:
    given = sum(
        1
        for number in range(2, 22)
        if as_number(getattr(application, f"flag_document_{number}", None)) == 1
    )
    if not given:  # "0 documents"
        return pgettext("documents provided", "none")
    return formatting.count_phrase(
        ngettext("%(count)s document", "%(count)s documents", given) % {"count": given}
    )


def application_in_words(application: Application, *, received_on: dt.date) -> list[Section]:
    """The application's facts in words, in four sections (the loan, income and work,
    household, about the applicant) plus the scores and enquiries reported from outside.

    The 122 columns include building statistics and contact flags that say
    nothing to a person: they are not here (every column is in the client's
    data download).
    """
    row = {name: getattr(application, name, None) for name in _APPLICATION_FIELDS}
    when = lambda days: when_days(days, received_on)  # noqa: E731
    loan = _lines(
        row,
        [
            (
                "name_contract_type",
                _("Type of loan"),
                lambda v: _category("NAME_CONTRACT_TYPE", v),
            ),
            ("amt_credit", _("Amount to borrow"), _money),
            ("amt_annuity", _("Monthly repayment"), _money),
            ("term", _("Length of the loan"), lambda _v: _term(application)),
            ("amt_goods_price", _("Price of what the loan pays for"), _money),
            ("name_type_suite", _("Accompanied by"), lambda v: _category("NAME_TYPE_SUITE", v)),
        ],
    )
    work = _lines(
        row,
        [
            ("amt_income_total", _("Annual income"), _money),
            (
                "name_income_type",
                _("Source of income"),
                lambda v: _category("NAME_INCOME_TYPE", v),
            ),
            (
                "days_employed",
                _("In the current job"),
                lambda _v: _employment(application, received_on),
            ),
            ("occupation_type", _("Occupation"), lambda v: _category("OCCUPATION_TYPE", v)),
            (
                "organization_type",
                _("Employer's sector"),
                lambda v: _category("ORGANIZATION_TYPE", v),
            ),
        ],
    )
    household = _lines(
        row,
        [
            (
                "name_family_status",
                _("Family status"),
                lambda v: _category("NAME_FAMILY_STATUS", v),
            ),
            ("cnt_children", _("Children"), _count),
            ("cnt_fam_members", _("People in the household"), _count),
            ("name_housing_type", _("Housing"), lambda v: _category("NAME_HOUSING_TYPE", v)),
            ("flag_own_realty", _("Owns a home"), lambda v: _category("FLAG_OWN_REALTY", v)),
            ("flag_own_car", _("Owns a car"), lambda v: _category("FLAG_OWN_CAR", v)),
        ],
    )
    person = _lines(
        row,
        [
            ("days_birth", _("Age when applying"), _age),
            ("code_gender", _("Gender"), lambda v: _category("CODE_GENDER", v)),
            (
                "name_education_type",
                _("Education"),
                lambda v: _category("NAME_EDUCATION_TYPE", v),
            ),
            ("days_id_publish", _("Identity document issued"), when),
            ("days_registration", _("Registration details last changed"), when),
            ("days_last_phone_change", _("Phone number last changed"), when),
            ("documents", _("Documents provided"), lambda _v: _documents(application)),
        ],
    )
    outside = _lines(
        row,
        [
            ("ext_source_1", _("Score from an external source (1)"), _score),
            ("ext_source_2", _("Score from an external source (2)"), _score),
            ("ext_source_3", _("Score from an external source (3)"), _score),
            (
                "amt_req_credit_bureau_year",
                _("Enquiries to the credit bureau in the year before the application"),
                _count,
            ),
        ],
    )
    return [
        Section(key="loan", title=_("The loan asked for"), source=APPLICATION_FORM, lines=loan),
        Section(key="work", title=_("Income and work"), source=APPLICATION_FORM, lines=work),
        Section(key="household", title=_("Household"), source=APPLICATION_FORM, lines=household),
        Section(
            key="person", title=_("About the applicant"), source=APPLICATION_FORM, lines=person
        ),
        Section(
            key="outside",
            title=_("Scores and enquiries reported from outside"),
            source=CREDIT_BUREAU,
            lines=outside,
            empty=_("No external score or enquiry is recorded."),
        ),
    ]


_APPLICATION_FIELDS = (
    "name_contract_type",
    "amt_credit",
    "amt_annuity",
    "term",
    "amt_goods_price",
    "name_type_suite",
    "amt_income_total",
    "name_income_type",
    "days_employed",
    "occupation_type",
    "organization_type",
    "name_family_status",
    "cnt_children",
    "cnt_fam_members",
    "name_housing_type",
    "flag_own_realty",
    "flag_own_car",
    "days_birth",
    "code_gender",
    "name_education_type",
    "days_id_publish",
    "days_registration",
    "days_last_phone_change",
    "documents",
    "ext_source_1",
    "ext_source_2",
    "ext_source_3",
    "amt_req_credit_bureau_year",
)


# ---------------------------------------------------------------------------
# The credit history
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyReports:
    """How many monthly statuses the bureau reported for one credit, and how many were late."""

    months: int
    late: int


def bureau_monthly_reports(*, application: Application) -> dict[int, MonthlyReports]:
    """Per bureau credit (SK_ID_BUREAU): months reported and months with a payment late.

    One grouped query. A late month is a STATUS from 1 (1-30 days late) to 5
    (over 120 days, sold or written off); 0 is on time, C closed, X unknown.
    """
    rows = (
        BureauBalance.objects.filter(bureau__application=application)
        .values("bureau_id")
        .annotate(
            months=Count("id"),
            late=Count("id", filter=Q(status__in=("1", "2", "3", "4", "5"))),
        )
    )
    return {row["bureau_id"]: MonthlyReports(row["months"], row["late"]) for row in rows}


def _title(kind: str, status: str) -> str:
    if kind and status:
        return _("%(kind)s · %(status)s") % {"kind": kind, "status": status}
    return kind or status or pgettext("loan", "Loan")


def _bureau_items(
    rows: list[dict[str, Any]], months: Mapping[int, MonthlyReports], received_on: dt.date
) -> list[Item]:
    items = []
    for row in rows:
        reports = months.get(row["sk_id_bureau"])
        end = as_number(row["days_credit_enddate"])
        lines = _lines(
            row,
            [
                ("days_credit", _("Opened"), lambda v: when_days(v, received_on)),
                (
                    "days_credit_enddate",
                    _("Ends (planned)") if end is not None and end > 0 else _("Ended (planned)"),
                    lambda v: when_days(v, received_on),
                ),
                ("amt_credit_sum", _("Amount of the credit"), _money),
                ("amt_credit_sum_debt", _("Still owed"), _money),
                ("amt_credit_sum_overdue", _("Overdue"), _money),
                ("credit_day_overdue", _("Days overdue"), _days_late),
            ],
        )
        if reports is not None and reports.months:
            # "%(months)s": "12 months" on one line (formatting.month_count); the plural of
            # "reported" ("relevés") still follows the count.
            if reports.late:
                reported = ngettext(
                    "%(months)s reported, %(late)s with a late payment",
                    "%(months)s reported, %(late)s with a late payment",
                    reports.months,
                )
            else:  # "0 with a late payment"
                reported = ngettext(
                    "%(months)s reported, without a late payment",
                    "%(months)s reported, none with a late payment",
                    reports.months,
                )
            lines.append(
                Line(
                    key="monthly_reports",
                    label=_("Monthly reports"),
                    text=reported
                    % {
                        "months": formatting.month_count(reports.months),
                        "late": formatting.number(reports.late, 0),
                    },
                )
            )
        items.append(
            Item(
                key=f"bureau-{row['sk_id_bureau']}",
                title=_title(
                    _category("CREDIT_TYPE", row["credit_type"]),
                    _category("CREDIT_ACTIVE", row["credit_active"]),
                ),
                lines=lines,
            )
        )
    return items


def _previous_items(rows: list[dict[str, Any]], received_on: dt.date) -> list[Item]:
    items = []
    for row in rows:
        lines = [Line(key="sk_id_prev", label=_("Our reference"), text=str(row["sk_id_prev"]))]
        lines += _lines(
            row,
            [
                ("days_decision", _("Decided"), lambda v: when_days(v, received_on)),
                ("amt_application", _("Amount asked for"), _money),
                ("amt_credit", _("Amount granted"), _money),
                ("amt_annuity", _("Monthly repayment"), _money),
                ("cnt_payment", _("Number of monthly repayments"), _count),
            ],
        )
        items.append(
            Item(
                key=f"previous-{row['sk_id_prev']}",
                title=_title(
                    _category("NAME_CONTRACT_TYPE", row["name_contract_type"]),
                    _category("NAME_CONTRACT_STATUS", row["name_contract_status"]),
                ),
                lines=lines,
            )
        )
    return items


def _late_instalment_items(rows: list[dict[str, Any]], received_on: dt.date) -> list[Item]:
    items = []
    for row in rows:
        title = _("Instalment %(number)s of loan %(reference)s") % {
            "number": _count(row["num_instalment_number"]) or "?",
            "reference": row["sk_id_prev"],
        }
        lines = _lines(
            row,
            [
                ("days_instalment", _("Due"), lambda v: when_days(v, received_on)),
                ("days_late", _("Paid late by"), _days_late),
                ("amt_instalment", _("Amount due"), _money),
                ("amt_payment", _("Amount paid"), _money),
            ],
        )
        items.append(
            Item(
                key=f"instalment-{row['sk_id_prev']}-{row['num_instalment_number']}",
                title=title,
                lines=lines,
            )
        )
    return items


def _monthly_loan_items(
    rows: list[dict[str, Any]], received_on: dt.date, *, kind: str, figures: list[tuple]
) -> list[Item]:
    items = []
    for row in rows:
        lines = [Line(key="sk_id_prev", label=_("Our reference"), text=str(row["sk_id_prev"]))]
        lines += _lines(
            row,
            [
                ("months", _("Months reported"), _count),
                ("last_month", _("Last report"), lambda v: when_months(v, received_on)),
                *figures,
                ("max_dpd", _("Longest delay"), _days_late),
            ],
        )
        items.append(
            Item(
                key=f"{kind}-{row['sk_id_prev']}",
                title=_title(_kind_title(kind), _category("NAME_CONTRACT_STATUS", row["status"])),
                lines=lines,
            )
        )
    return items


def _kind_title(kind: str) -> str:
    return {
        "pos_cash": _("Point-of-sale or cash loan"),
        "card": _("Credit card"),
    }[kind]


def history_in_words(
    client_file: ClientFile,
    *,
    received_on: dt.date,
    bureau_months: Mapping[int, MonthlyReports] | None = None,
) -> list[Section]:
    """The credit history of a client file (`clients.selectors.client_file`) in words:
    the credit bureau's credits, then our own history (earlier applications,
    instalments, point-of-sale and cash loans, credit cards)."""
    bureau = client_file.bureau
    previous = client_file.previous
    instalments = client_file.instalments
    return [
        Section(
            key="bureau",
            title=_("Credits reported by the credit bureau"),
            source=CREDIT_BUREAU,
            summary=formatting.count_phrase(
                ngettext(
                    "%(count)s credit, the most recently opened first.",
                    "%(count)s credits, the most recently opened first.",
                    len(bureau.rows),
                )
                % {"count": len(bureau.rows)}
            )
            if bureau.rows
            else "",
            items=_bureau_items(bureau.rows, bureau_months or {}, received_on),
            empty=_("The credit bureau reports no credit."),
            truncated=bureau.truncated,
        ),
        Section(
            key="previous",
            title=_("Earlier applications with us"),
            source=OUR_HISTORY,
            summary=ngettext(
                "%(count)s application, the most recent first.",
                "%(count)s applications, the most recent first.",
                len(previous.rows),
            )
            % {"count": len(previous.rows)}
            if previous.rows
            else "",
            items=_previous_items(previous.rows, received_on),
            empty=_("No earlier application with us."),
            truncated=previous.truncated,
        ),
        Section(
            key="instalments",
            title=_("Repayments of earlier loans with us"),
            source=OUR_HISTORY,
            summary=_instalments_summary(instalments.total, instalments.late_count),
            items=_late_instalment_items(instalments.late.rows, received_on),
            empty=_("No repayment of an earlier loan with us is recorded."),
            truncated=instalments.late.truncated,
        ),
        Section(
            key="pos_cash",
            title=_("Point-of-sale and cash loans with us"),
            source=OUR_HISTORY,
            items=_monthly_loan_items(
                client_file.pos_cash,
                received_on,
                kind="pos_cash",
                figures=[
                    ("cnt_instalment", _("Number of instalments"), _count),
                    ("cnt_instalment_future", _("Instalments left to pay"), _count),
                ],
            ),
            empty=_("No point-of-sale or cash loan with us."),
        ),
        Section(
            key="cards",
            title=_("Credit cards with us"),
            source=OUR_HISTORY,
            items=_monthly_loan_items(
                client_file.credit_cards,
                received_on,
                kind="card",
                figures=[
                    ("amt_credit_limit_actual", _("Credit limit"), _money),
                    ("amt_balance", _("Balance at the last report"), _money),
                    ("max_balance", _("Highest balance"), _money),
                ],
            ),
            empty=_("No credit card with us."),
        ),
    ]


def _instalments_summary(total: int, late: int) -> str:
    if not total:
        return ""
    instalments = formatting.count_phrase(
        ngettext("%(count)s instalment", "%(count)s instalments", total) % {"count": total}
    )
    if not late:
        return _("%(instalments)s, none paid late.") % {"instalments": instalments}
    return _("%(instalments)s, %(late)s; the late ones, the most recent first:") % {
        "instalments": instalments,
        "late": formatting.count_phrase(
            ngettext("%(count)s paid late", "%(count)s paid late", late) % {"count": late}
        ),
    }


def record_in_words(*, application: Application) -> RecordInWords:
    """The whole record of `application` (loaded with every column) in the active language."""
    received_on = application_received_on(application)
    client_file = client_file_get(application=application)
    return RecordInWords(
        received_on=received_on,
        sections=[
            *application_in_words(application, received_on=received_on),
            *history_in_words(
                client_file,
                received_on=received_on,
                bureau_months=bureau_monthly_reports(application=application),
            ),
        ],
    )
