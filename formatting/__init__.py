"""Numbers, amounts, percentages, durations and dates as the active language writes them.

Every function reads the active language (`django.utils.translation.get_language()`),
so a caller that speaks for someone wraps its work once in
`translation.override(language)` instead of passing the language down:

    with translation.override("fr"):
        amount(250000.4)   # "250 000" (narrow no-break space)
        percent(0.234)     # "23 %"
        duration(400)      # "1 an et 1 mois"

The separators, the decimal sign, the place of "%" and the way a list of two
durations is joined come from the locale data of CLDR through Babel; the
words ("day", "months") come from the gettext catalogues (`ngettext`), so a
new language needs a catalogue and nothing here. A missing value (None, NaN,
infinity, not a number) reads "—" (`MISSING`).

This package is the bottom of the project: it imports Django and Babel, no
app of ours. `ml/` is plain Python and keeps its own copy of DAYS_PER_YEAR.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale, dates, lists, numbers
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, ngettext, to_locale

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
MISSING = "—"
# Inside a count ("120 mois") or a date ("5 décembre 2026"): a line never breaks there.
NO_BREAK_SPACE = "\u00a0"

# French typography puts a narrow no-break space (U+202F) before "%", the sign
# the pages have always shown; CLDR's French pattern has a no-break space
# (U+00A0) there. The percent pattern of the locale is kept, with that one
# space narrowed (a locale without it is unchanged).
_PERCENT_SPACE = ("\u00a0", "\u202f")


# ---------------------------------------------------------------------------
# The active language
# ---------------------------------------------------------------------------


def languages() -> tuple[str, ...]:
    """The codes of the languages the pages are written in (settings.LANGUAGES)."""
    return tuple(code for code, _name in settings.LANGUAGES)


@lru_cache(maxsize=64)  # a handful of spellings ("fr", "fr-fr", "en-us"), asked for per label
def normalise_language(language: str | None) -> str:
    """'fr', 'fr-FR', 'fr_CA' -> 'fr': a language of settings.LANGUAGES; else the first of them
    written in English ("en"), else the default language."""
    code = (language or "").replace("_", "-").split("-")[0].lower()
    known = languages()
    if code in known:
        return code
    return "en" if "en" in known else settings.LANGUAGE_CODE


def active_language() -> str:
    """The active language, normalised ("fr" or "en" today)."""
    return normalise_language(get_language() or settings.LANGUAGE_CODE)


@cache
def _babel_locale(language: str) -> Locale:
    return Locale.parse(to_locale(language))


def locale() -> Locale:
    """Babel's locale for the active language."""
    return _babel_locale(active_language())


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


def as_number(value: object) -> float | None:
    """The value as a finite float; None when missing, NaN, infinite or not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    try:
        # Whatever float() takes (numpy scalars, Decimal...); it raises on the rest.
        number_ = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number_ if math.isfinite(number_) else None


@cache
def _pattern(language: str, kind: str, decimals: int, trim: bool) -> numbers.NumberPattern:
    """The locale's decimal, percent or currency pattern with `decimals` digits after the sign."""
    babel_locale = _babel_locale(language)
    formats = {
        "decimal": babel_locale.decimal_formats,
        "percent": babel_locale.percent_formats,
        "currency": babel_locale.currency_formats,
    }[kind]
    text = formats["standard" if kind == "currency" else None].pattern
    if kind == "percent":
        text = text.replace(*_PERCENT_SPACE)
    pattern = copy.copy(numbers.parse_pattern(text))
    pattern.frac_prec = (0 if trim else decimals, decimals)
    return pattern


def _rounded(value: float, decimals: int) -> Decimal:
    # One rounding everywhere, the one a person does on the written number: Decimal(str(x))
    # rounds 2.675 to 2.68, not to the binary 2.67, and a half away from zero (34,762.5 ->
    # 34,763), as the browser's Intl and the charts do, so that an amount reads the same in
    # every card and chart. A value that rounds to zero loses its sign ("-0" is not a number
    # anyone writes).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else Decimal(0)


def rounded(value: float, decimals: int) -> float:
    """`value` rounded as every formatter here rounds it: for a figure computed from numbers
    shown (a difference of two percentages), so that it agrees with what the reader sees."""
    return float(_rounded(value, decimals))


def number(value: object, decimals: int = 1, *, trim: bool = True) -> str:
    """1234.5 -> "1,234.5" (en) / "1 234,5" (fr); trailing zeros dropped when `trim`."""
    known = as_number(value)
    if known is None:
        return MISSING
    pattern = _pattern(active_language(), "decimal", decimals, trim)
    return pattern.apply(_rounded(known, decimals), locale())


def amount(value: object, *, currency: bool = False) -> str:
    """An amount of money, grouped, without decimals: "817 560" (fr) / "817,560" (en).

    `currency=True` adds the currency the way the language writes it (see `money`).
    """
    if currency:
        return money(value)
    known = as_number(value)
    return MISSING if known is None else number(known, decimals=0)


def money(value: object) -> str:
    """An amount with its currency, without decimals: "817 560 €" (fr) / "€817,560" (en).

    The data has no currency of its own: the amounts are in `settings.CURRENCY`
    (an ISO 4217 code, "EUR" by default: Prêt à dépenser lends in France). The
    place of the sign, its spacing and the grouping come from the locale's CLDR
    currency pattern (Babel), so a new language needs nothing here. Use it
    wherever a person reads an amount of their own (the client portal, the
    letters, the advisor's history in words); `amount` stays for tables whose
    header already names the currency.
    """
    known = as_number(value)
    if known is None:
        return MISSING
    pattern = _pattern(active_language(), "currency", 0, False)
    return pattern.apply(
        _rounded(known, 0), locale(), currency=settings.CURRENCY, currency_digits=False
    )


def percent(share: object, decimals: int | None = None) -> str:
    """A share as a percentage: 0.234 -> "23%" (en) / "23 %" (fr).

    decimals=None: none, but one below 1% so that a little is not "0%" (0.004 -> "0.4%");
    an int: exactly that many (0.1234, 1 -> "12.3%").
    """
    known = as_number(share)
    if known is None:
        return MISSING
    trim = decimals is None
    if decimals is None:
        decimals = 1 if 0 < abs(known * 100) < 1 else 0
    pattern = _pattern(active_language(), "percent", decimals, trim)
    # The pattern multiplies by 100; round the percentage, not the share.
    return pattern.apply(_rounded(known * 100, decimals) / 100, locale())


def decimal_sign() -> str:
    """ "." (en), "," (fr): for a chart library that formats numbers itself."""
    return numbers.get_decimal_symbol(locale())


def group_sign() -> str:
    """ "," (en), narrow no-break space (fr): the thousands separator."""
    return numbers.get_group_symbol(locale())


def percent_suffix() -> str:
    """What follows a percentage: "%" (en), narrow no-break space and "%" (fr)."""
    return _pattern(active_language(), "percent", 0, True).suffix[0]


def points(distance: object, decimals: int = 1) -> str:
    """A distance between two probabilities in percentage points, unsigned: 0.031 -> "3.1"."""
    known = as_number(distance)
    return MISSING if known is None else number(100 * abs(known), decimals, trim=False)


def score_value(value: object) -> str:
    """A score on a 0-1 scale, always with two decimals: 0.2 -> "0.20" / "0,20"."""
    return number(value, decimals=2, trim=False)


def signed(value: object, decimals: int = 2) -> str:
    """A number with its sign always shown: "+0.12", "−0.30" (the minus sign, U+2212), "0.00"."""
    known = as_number(value)
    if known is None:
        return MISSING
    text = number(abs(known), decimals, trim=False)
    if _rounded(known, decimals) == 0:
        return text
    return f"+{text}" if known > 0 else f"\u2212{text}"


def parse_number(text: str) -> float:
    """A number typed the way the active language writes it: "180 000" or "12,5" in French,
    "180,000" or "12.5" in English (spaces, underscores and apostrophes ignored).
    Raises ValueError when it is not a finite number."""
    cleaned = "".join(text.split()).replace("_", "").replace("'", "")
    try:
        parsed = float(numbers.parse_decimal(cleaned, locale=locale()))
    except numbers.NumberFormatError as error:
        raise ValueError(str(error)) from error
    if not math.isfinite(parsed):
        raise ValueError(f"{text!r} is not a finite number")
    return parsed


# ---------------------------------------------------------------------------
# Counts and durations (the words come from the catalogues)
# ---------------------------------------------------------------------------


def plural_number(count: float) -> int:
    """The whole number to hand `ngettext` for `count`, which may have decimals.

    gettext's plural formulas take integers; CLDR (Babel) knows the rule for
    decimals: "1,5 jour" in French (below 2: singular), "1.5 days" in English.
    A decimal count is mapped to 1 when its CLDR category is "one", else to 2
    (right for both languages; a language with more forms would extend this).
    """
    count = abs(count)
    if float(count).is_integer():
        return int(count)
    return 1 if locale().plural_form(count) == "one" else 2


def _one_piece(text: str) -> str:
    """A count and its word, or a date, kept on one line ("120 mois", "5 décembre 2026", never
    "120" / "mois" in a narrow table): the catalogue and CLDR write plain spaces inside them,
    this makes them no-break spaces."""
    return text.replace(" ", NO_BREAK_SPACE)


_NUMBER_THEN_SPACE = re.compile(r"(\d) ")


def count_phrase(text: str) -> str:
    """A sentence with a count in it, the count kept on one line with the word it counts: the
    space right after the first number becomes a no-break space ("You have 2 children",
    "12 payées en retard": never "2" / "children"); the rest of the sentence wraps as usual.
    For `ngettext(...) % {"count": ...}` inside a sentence, where `month_count` and its kin
    do not fit, and for a template's `{% blocktranslate count %}` (filter `count_phrase`)."""
    return _NUMBER_THEN_SPACE.sub(r"\1" + NO_BREAK_SPACE, text, count=1)


def day_count(days: float, decimals: int = 1) -> str:
    """A number of days: "1 day", "2.5 days" / "1 jour", "2,5 jours" (no-break space)."""
    return _one_piece(
        ngettext("%(count)s day", "%(count)s days", plural_number(days))
        % {"count": number(days, decimals)}
    )


def month_count(months: float) -> str:
    """A number of months: "1 month", "120 months" / "120 mois" (no-break space)."""
    return _one_piece(
        ngettext("%(count)s month", "%(count)s months", plural_number(months))
        % {"count": number(months)}
    )


def year_count(years: float) -> str:
    """A number of years: "1 year", "12.5 years" / "12,5 ans" (no-break space)."""
    return _one_piece(
        ngettext("%(count)s year", "%(count)s years", plural_number(years))
        % {"count": number(years)}
    )


def duration(days: float) -> str:
    """A length of time in days as people say it: "12 days", "8 months", "3 years and 2 months".

    The sign is dropped (say "before"/"after" around it); beyond 10 years, whole years.
    """
    days = abs(days)
    if days < 31:
        return day_count(round(days))
    months = round(days / DAYS_PER_MONTH)
    if months < 12:
        return month_count(months)
    years, months = divmod(months, 12)
    if months == 0 or years >= 10:
        return year_count(years)
    return lists.format_list([year_count(years), month_count(months)], locale=locale())


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def date(value: dt.date | None, format: str = "long") -> str:
    """A date: "March 5, 2024" (en) / "5 mars 2024" (fr) with format="long" (no-break spaces)."""
    if value is None:
        return MISSING
    return _one_piece(dates.format_date(value, format=format, locale=locale()))


def time_of_day(value: dt.datetime | None) -> str:
    """The hour and minute of a moment, in the site's time zone: "7:05 PM" (en) / "19:05" (fr)."""
    if value is None:
        return MISSING
    return dates.format_time(timezone.localtime(value), format="short", locale=locale())


def moment(value: dt.datetime | None) -> str:
    """A moment in the site's time zone, its day in words then its time, joined as the
    language's CLDR pattern joins them: "5 décembre 2026, 21:53" (fr) / "December 5, 2026,
    9:53 PM" (en). The day stays on one line (see `date`); a line may break before the time."""
    if value is None:
        return MISSING
    joined = str(dates.get_datetime_format("long", locale=locale()))
    # The pattern may quote a word ("{1} 'à' {0}"); '' is a quote.
    joined = joined.replace("''", "\0").replace("'", "").replace("\0", "'")
    day = date(timezone.localdate(value))
    return joined.replace("{1}", day).replace("{0}", time_of_day(value))


def month_year(value: dt.date | None) -> str:
    """A month: "March 2024" (en) / "mars 2024" (fr) (a no-break space)."""
    if value is None:
        return MISSING
    return _one_piece(dates.format_skeleton("yMMMM", value, locale=locale()))
