"""Template helpers of the dashboard: readable Kaggle values, field help, probabilities in words.

`{% load dashboard_tags %}` then e.g. `{{ app.days_birth|age_years }}`,
`{% field_label "AMT_CREDIT" %}`, `{% value_label "CODE_GENDER" app.code_gender %}`,
`{% field_help "AMT_CREDIT" table="bureau" %}` (label with its description on
hover/focus, accessible), `{% sort_header "income" label %}`, `{{ p|percent }}`,
`{{ score.decision|decision_label }}`, `{{ p|risk_band }}`, `{{ moment|long_date }}`,
`{{ moment|long_moment }}`, `{{ sentence|count_phrase }}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import formatting
from clients import field_descriptions, record_in_words
from clients.models import Application
from dashboard import wording
from ml.schema import DAYS_EMPLOYED_SENTINEL
from scoring.risk_bands import risk_band_of

register = template.Library()


def _lang() -> str:
    return formatting.active_language()


@register.simple_tag
def field_label(column: str, table: str | None = None) -> str:
    """The readable name of a Kaggle column in the active language."""
    return field_descriptions.label(column, _lang(), table=table)


@register.simple_tag
def field_description(column: str, table: str | None = None) -> str:
    return field_descriptions.describe(column, _lang(), table=table)


@register.simple_tag
def value_label(column: str, value: Any) -> str:
    """A categorical Kaggle value in words ("Cash loans" -> "Prêt personnel"); "—" if empty."""
    text = field_descriptions.value_label(column, value, _lang())
    return text or "—"


@register.inclusion_tag("dashboard/field_help.html")
def field_help(
    column: str, table: str | None = None, focusable: bool = False, label: str = ""
) -> dict[str, Any]:
    """A column's label carrying its description: a tooltip on hover (and on focus when
    `focusable`), the same text as the accessible description for screen readers.
    `label`: another label for the column as the table shows it (a date instead of the
    stored day count, say)."""
    table_key = table or field_descriptions.DEFAULT_TABLE
    return {
        "label": label or field_descriptions.label(column, _lang(), table=table),
        "description": field_descriptions.describe(column, _lang(), table=table),
        "description_id": f"help-{table_key}-{column}".lower().replace("_", "-"),
        "focusable": focusable,
    }


@register.filter
def age_years(days_birth: int | float | None) -> int | None:
    """Whole years of age from Kaggle's DAYS_BIRTH (negative days before the application)."""
    if days_birth is None:
        return None
    return int(-days_birth // formatting.DAYS_PER_YEAR)


@register.filter
def is_not_employed(days_employed: int | float | None) -> bool:
    return days_employed is not None and int(days_employed) == DAYS_EMPLOYED_SENTINEL


@register.simple_tag
def employment_length(days_employed: int | float | None) -> str:
    """DAYS_EMPLOYED in words; Kaggle's 365243 sentinel means pensioner or without a job."""
    if days_employed is None:
        return "—"
    if is_not_employed(days_employed):
        return _("Not employed / pensioner")
    years = -days_employed / formatting.DAYS_PER_YEAR
    if years < 1:
        return formatting.month_count(max(int(-days_employed // formatting.DAYS_PER_MONTH), 0))
    return formatting.year_count(round(years, 1))


@register.filter
def year_count(years: int | float | None) -> str:
    """A number of years with its word on one line: "25 years" / "25 ans"; "—" if unknown."""
    return formatting.MISSING if years is None else formatting.year_count(years)


@register.filter
def amount(value: int | float | None) -> str:
    """An amount with the locale's thousands separator and no decimals; "—" if unknown."""
    return formatting.amount(value)


@register.filter
def number(value: int | float | None, digits: int = 0) -> str:
    """A number with exactly `digits` decimals in the page's language; "—" if unknown."""
    return formatting.number(value, int(digits), trim=False)


@register.filter
def signed(value: int | float | None, digits: int = 2) -> str:
    """A number with its sign ("+0.12", "−0.30"); "—" if unknown."""
    return formatting.signed(value, int(digits))


@register.inclusion_tag("dashboard/portfolio_sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str, first: str = "ascending") -> dict[str, Any]:
    """A sortable column header: a link that sorts by `key`, then reverses on a second click.

    `first="descending"` makes the first click sort from the top (riskiest first).
    """
    current = context.get("sort") or ""
    if current == key:
        state, next_sort = "ascending", f"-{key}"
    elif current == f"-{key}":
        state, next_sort = "descending", key
    else:
        state, next_sort = "", (f"-{key}" if first == "descending" else key)
    request = context["request"]
    params = request.GET.copy()
    params["sort"] = next_sort
    params.pop("page", None)
    return {"label": label, "state": state, "url": f"?{params.urlencode()}"}


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current query string with another page number."""
    params = context["request"].GET.copy()
    params["page"] = str(number)
    return f"?{params.urlencode()}"


@register.simple_tag
def status_badge(value: str | None, column: str) -> str:
    """A status as text in a neutral badge (colour is never the only cue)."""
    if not value:
        return "—"
    return format_html(
        '<span class="badge cs-badge">{}</span>',
        field_descriptions.value_label(column, value, _lang()),
    )


@register.filter
def percent(share: float | None) -> str:
    """A probability as a percentage with one decimal, in the page's language."""
    return wording.percent(share)


@register.filter
def decision_label(decision: str) -> str:
    """ "granted"/"refused" in words, in the page's language."""
    return wording.decision_label(decision)


@register.filter
def decision_outcome(decision: str) -> str:
    """The same, where the sentence names the decision ("New decision: refused"): French
    says it as a noun, "refus" (see wording.decision_outcome)."""
    return wording.decision_outcome(decision)


@register.filter
def risk_band(probability: float | None) -> str:
    """The risk band of a probability in words ("High (10% to 20%)"), "" when unknown."""
    band = risk_band_of(probability)
    return str(band.label) if band else ""


@register.simple_tag
def decimal_sign() -> str:
    """The page language's decimal sign, for a script that reads typed numbers."""
    return formatting.decimal_sign()


@register.simple_tag
def group_sign() -> str:
    """The page language's thousands separator, for a script that reads typed numbers."""
    return formatting.group_sign()


# -- The credit history in words (clients/record_in_words.py says it for every audience) --


@register.simple_tag
def company_name() -> str:
    """Our name, where the data says "Home Credit"."""
    return settings.COMPANY_NAME


@register.filter
def money(value: int | float | None) -> str:
    """An amount with its currency ("817 560 €", "€817,560"); "—" if unknown."""
    return formatting.money(value)


@register.filter
def long_date(moment: dt.datetime | dt.date | None) -> str:
    """The day of a moment (in the site's time zone) or a date, in words and on one line:
    "5 décembre 2026" / "December 5, 2026"; "—" if unknown."""
    if isinstance(moment, dt.datetime):
        moment = timezone.localdate(moment)
    return formatting.date(moment)


@register.filter(is_safe=True)
def count_phrase(text: str) -> str:
    """A translated sentence with a count: the count kept on one line with its word
    (`{% blocktranslate count counter=n asvar caption %}...{% endblocktranslate %}
    {{ caption|count_phrase }}`), see formatting.count_phrase."""
    return formatting.count_phrase(str(text))


@register.filter
def long_moment(moment: dt.datetime | None) -> str:
    """A moment in the site's time zone, its day in words on one line, then its time:
    "5 décembre 2026, 21:53" / "December 5, 2026, 9:53 PM"; "—" if unknown."""
    return formatting.moment(moment)


@register.simple_tag
def when_days(days: object, application: Application) -> str:
    """A Kaggle day count as a date and its distance from the application: "March 2024,
    8 months before the application"; "—" if unknown."""
    said = record_in_words.when_days(days, record_in_words.application_received_on(application))
    return said or formatting.MISSING


@register.simple_tag
def when_months(months: object, application: Application) -> str:
    """A Kaggle month count (-1: the month before the application) as a month and its
    distance: "October 2024, 1 month before the application"; "—" if unknown."""
    said = record_in_words.when_months(months, record_in_words.application_received_on(application))
    return said or formatting.MISSING


@register.filter
def days_late(days: object) -> str:
    """A delay in days: "12 days", "none"; "—" if unknown."""
    number = formatting.as_number(days)
    if number is None:
        return formatting.MISSING
    if number <= 0:
        return pgettext("delay", "none")
    return formatting.day_count(round(number), decimals=0)


@register.simple_tag
def reject_reason(code: str | None) -> str:
    """Why an earlier application was refused, in words with its code ("Credit score too
    low (SCO)"); "—" when it was not refused (XAP) or not said."""
    if not code or code in ("XAP", "XNA"):
        return formatting.MISSING
    said = field_descriptions.value_label("CODE_REJECT_REASON", code, _lang())
    return said if said == code else f"{said} ({code})"
