"""Human-readable names and short descriptions of the Kaggle columns, in the active language.

The wording (English, marked for translation) lives in
`clients/column_wording.py`; its other languages in the gettext catalogues
(`locale/*/LC_MESSAGES/django.po`), like every sentence of the pages.

A column name alone is ambiguous (AMT_CREDIT is the amount asked for in
`application` but the amount granted in `previous_application`), so every
function takes an optional `table`; without it the `application` meaning
wins, then the first table that has the column.

    >>> label("AMT_CREDIT", "fr")
    'Montant du crédit'
    >>> describe("DAYS_BIRTH", "en")
    "Client's age at the application, stored as a negative number of days."
"""

from __future__ import annotations

from functools import cache

from django.utils import translation

from clients.column_wording import COLUMNS, VALUES, Column
from formatting import languages, normalise_language

LANGUAGES = languages()
DEFAULT_TABLE = "application"


def _entry(column: str, table: str | None) -> Column | None:
    name = column.upper()
    for candidate in (table, DEFAULT_TABLE):
        if candidate and name in COLUMNS.get(candidate, {}):
            return COLUMNS[candidate][name]
    for table_columns in COLUMNS.values():
        if name in table_columns:
            return table_columns[name]
    return None


@cache
def _entry_text(language: str, table: str | None, column: str, field: str) -> str | None:
    """The label or description of a column in `language`; None when unknown. Cached: the
    catalogues do not change while the process runs, and the pages ask for the same few
    columns on every row."""
    entry = _entry(column, table)
    if entry is None:
        return None
    with translation.override(language):
        return str(getattr(entry, field))


@cache
def _value_text(language: str, column: str, value: str) -> str | None:
    wording = VALUES.get(column.upper(), {}).get(value)
    if wording is None:
        return None
    with translation.override(language):
        return str(wording)


def label(column: str, lang: str, *, table: str | None = None) -> str:
    """A short human-readable name of `column`; the column name itself when unknown.

    `lang`: 'fr', 'fr-fr' or 'fr_CA' -> 'fr'; a language we do not write in -> 'en'.
    """
    text = _entry_text(normalise_language(lang), table, column, "label")
    return column if text is None else text


def describe(column: str, lang: str, *, table: str | None = None) -> str:
    """One or two sentences saying what `column` holds; "" when unknown."""
    text = _entry_text(normalise_language(lang), table, column, "description")
    return "" if text is None else text


def value_label(column: str, value: object, lang: str) -> str:
    """A readable form of a categorical Kaggle value ("Cash loans" -> "Prêt personnel").

    Values we have no wording for are returned as they are; None gives "".
    """
    if value is None:
        return ""
    text = _value_text(normalise_language(lang), column, str(value))
    return str(value) if text is None else text


def known_values(column: str) -> list[str]:
    """The Kaggle values of `column` that have a readable form, in the file's order."""
    return list(VALUES.get(column.upper(), {}))
