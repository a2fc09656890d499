"""Human-readable names and short descriptions of the Kaggle columns, in English and French.

The wording is ours, written from the facts of the official
`HomeCredit_columns_description.csv`; it lives in
`clients/data/column_descriptions.json`, committed with the code (nothing is
read from outside the repository at run time). Every column of `ml.schema`
has an entry (a test checks it).

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

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "column_descriptions.json"
LANGUAGES = ("en", "fr")
DEFAULT_TABLE = "application"


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)


def _language(lang: str | None) -> str:
    """'fr', 'fr-fr' or 'fr_CA' -> 'fr'; anything we do not write in -> 'en'."""
    code = (lang or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def _entry(column: str, table: str | None) -> dict[str, Any] | None:
    columns: dict[str, dict[str, Any]] = _data()["columns"]
    name = column.upper()
    for candidate in (table, DEFAULT_TABLE):
        if candidate and name in columns.get(candidate, {}):
            return columns[candidate][name]
    for table_columns in columns.values():
        if name in table_columns:
            return table_columns[name]
    return None


def label(column: str, lang: str, *, table: str | None = None) -> str:
    """A short human-readable name of `column`; the column name itself when unknown."""
    entry = _entry(column, table)
    if entry is None:
        return column
    return entry["label"][_language(lang)]


def describe(column: str, lang: str, *, table: str | None = None) -> str:
    """One or two sentences saying what `column` holds; "" when unknown."""
    entry = _entry(column, table)
    if entry is None:
        return ""
    return entry["description"][_language(lang)]


def value_label(column: str, value: object, lang: str) -> str:
    """A readable form of a categorical Kaggle value ("Cash loans" -> "Prêt personnel").

    Values we have no wording for are returned as they are; None gives "".
    """
    if value is None:
        return ""
    translations = _data()["values"].get(column.upper(), {}).get(str(value))
    if translations is None:
        return str(value)
    return translations[_language(lang)]


def known_values(column: str) -> list[str]:
    """The Kaggle values of `column` that have a readable form, in the file's order."""
    return list(_data()["values"].get(column.upper(), {}))
