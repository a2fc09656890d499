"""Loan terms a what-if may change, their validation, and the features of such scenarios.

Shared by the what-if (scoring/what_if.py) and the counterfactual
(scoring/counterfactual.py). The advisor may change four things: the credit
amount (`AMT_CREDIT`), the monthly instalment (`AMT_ANNUITY`), the price of the
goods (`AMT_GOODS_PRICE`) and the term in months (`TERM_MONTHS`, not a Kaggle
column).

Term convention
---------------
Kaggle's `AMT_ANNUITY` is the *monthly* instalment, not a yearly amount: in
the previous applications, where the term is known (`CNT_PAYMENT`, months),
instalment x term is 1.2 to 1.5 times the credit (interest included), and on
the application sample credit / instalment is about 20 (1st-99th percentile
10-38) for cash loans and exactly 20 for revolving ones. The current
application carries no interest rate and the model only ever sees the ratio
credit / instalment (`APP_CREDIT_TERM`), so the term is read as that ratio,
interest not modelled:

    TERM_MONTHS = AMT_CREDIT / AMT_ANNUITY        annuity = credit / term

A changed credit amount keeps the term (the instalment follows the amount)
unless the instalment or the term is given too; giving both the instalment and
the term is refused (each fixes the other). The goods price changes only when
asked: the what-if is literal. An application without an instalment has no
term: its instalment stays unknown unless one (or a term) is given.

Scenario features: the application's tables are read once, its features
computed once, and only the features derived from the three amounts are
recomputed for each scenario (`ml.features.FEATURE_SOURCES` says which ones),
so a scenario scores exactly as the same values stored and scored would (a
test checks it against the real scoring path).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

import formatting
from clients.frames import tables_for_applications
from clients.models import Application
from ml import schema
from ml.features import FEATURE_SOURCES, build_features
from ml.predict import ScoringModel

CREDIT = "AMT_CREDIT"
ANNUITY = "AMT_ANNUITY"
GOODS_PRICE = "AMT_GOODS_PRICE"
TERM = "TERM_MONTHS"
CHANGEABLE_FIELDS: tuple[str, ...] = (CREDIT, ANNUITY, GOODS_PRICE, TERM)

MIN_AMOUNT = 1_000.0
MAX_CREDIT_FACTOR = 10.0  # a what-if credit may go up to 10x the one asked for
MAX_AMOUNT_WHEN_UNKNOWN = 10_000_000.0  # 2.5x the largest Kaggle credit
MAX_GOODS_TO_CREDIT = 10.0
MIN_TERM_MONTHS = 3
MAX_TERM_MONTHS = 120

# The raw fields a scenario changes, as `FEATURE_SOURCES` names them.
_CHANGED_SOURCES = frozenset(
    f"{schema.APPLICATION.name}.{name}" for name in (CREDIT, ANNUITY, GOODS_PRICE)
)


class InvalidChange(ValidationError):
    """A what-if change refused; `field` names it, `reason` says why (in the asked language).

    A Django `ValidationError` keyed by the field, so a form can show it
    next to that field (`form.add_error(None, error)`).
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__({field: [reason]})
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def _number(value: object) -> float:
    """A stored value as a float, NaN for missing."""
    if value is None:
        return math.nan
    try:
        # Whatever float() takes (numpy scalars, Decimal...); it raises on the rest.
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _json_number(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


# ---------------------------------------------------------------------------
# Loan terms and the validation of changes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanTerms:
    """The amounts of one application the advisor may change (NaN: unknown)."""

    credit: float
    annuity: float
    goods_price: float

    @classmethod
    def of(cls, application_row: Mapping[str, Any]) -> LoanTerms:
        return cls(
            credit=_number(application_row.get(CREDIT)),
            annuity=_number(application_row.get(ANNUITY)),
            goods_price=_number(application_row.get(GOODS_PRICE)),
        )

    @property
    def term_months(self) -> float:
        """Credit / monthly instalment (the convention of this module); NaN when unknown."""
        if self.credit > 0 and self.annuity > 0:
            return self.credit / self.annuity
        return math.nan

    def as_dict(self) -> dict[str, float | None]:
        return {
            CREDIT: _json_number(self.credit),
            ANNUITY: _json_number(self.annuity),
            GOODS_PRICE: _json_number(self.goods_price),
            TERM: _json_number(self.term_months),
        }


def _positive_number(field: str, value: object) -> float:
    number = math.nan
    if not isinstance(value, bool | None):
        try:
            # Whatever float() takes (numpy scalars, Decimal...); it raises on the rest.
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    if not (math.isfinite(number) and number > 0):
        raise InvalidChange(field, _("must be a positive number"))
    return number


def _between(field: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InvalidChange(
            field,
            _("must be between %(low)s and %(high)s")
            % {"low": formatting.number(low, 0), "high": formatting.number(high, 0)},
        )


def validate_changes(
    *, current: LoanTerms, changes: Mapping[str, object], language: str = "en"
) -> dict[str, float]:
    """`changes` checked and normalised (upper-case field names, float values).

    Raises `InvalidChange` naming the first field refused: a field that cannot
    be changed, a value that is not a positive number, or out of bounds
    (credit 1,000 to 10x the current one; term 3-120 months; an instalment
    giving such a term; goods price 1,000 to 10x the credit).
    """
    with translation.override(formatting.normalise_language(language)):
        return _validated(current, changes)


def _validated(current: LoanTerms, changes: Mapping[str, object]) -> dict[str, float]:
    normalised: dict[str, float] = {}
    for raw_field, value in changes.items():
        field = str(raw_field).strip().upper()
        if field not in CHANGEABLE_FIELDS:
            raise InvalidChange(
                str(raw_field),
                _("cannot be changed (only %(fields)s)") % {"fields": ", ".join(CHANGEABLE_FIELDS)},
            )
        normalised[field] = _positive_number(field, value)
    if ANNUITY in normalised and TERM in normalised:
        raise InvalidChange(
            TERM, _("give either the instalment or the term, not both (each fixes the other)")
        )
    max_credit = (
        MAX_CREDIT_FACTOR * current.credit if current.credit > 0 else MAX_AMOUNT_WHEN_UNKNOWN
    )
    if CREDIT in normalised:
        _between(CREDIT, normalised[CREDIT], MIN_AMOUNT, max_credit)
    credit = normalised.get(CREDIT, current.credit)
    if TERM in normalised:
        _between(TERM, normalised[TERM], MIN_TERM_MONTHS, MAX_TERM_MONTHS)
        if not credit > 0:
            raise InvalidChange(TERM, _("the credit amount is unknown: give it too"))
    if ANNUITY in normalised:
        if credit > 0:
            _between(
                ANNUITY, normalised[ANNUITY], credit / MAX_TERM_MONTHS, credit / MIN_TERM_MONTHS
            )
        else:
            _between(ANNUITY, normalised[ANNUITY], 1.0, MAX_AMOUNT_WHEN_UNKNOWN)
    if GOODS_PRICE in normalised:
        max_goods = MAX_GOODS_TO_CREDIT * credit if credit > 0 else MAX_AMOUNT_WHEN_UNKNOWN
        _between(GOODS_PRICE, normalised[GOODS_PRICE], MIN_AMOUNT, max_goods)
    return normalised


def loan_terms_after(
    *, current: LoanTerms, changes: Mapping[str, object], language: str = "en"
) -> LoanTerms:
    """The loan terms once `changes` are applied (validated; see the module docstring)."""
    return apply_changes(
        current, validate_changes(current=current, changes=changes, language=language)
    )


def apply_changes(current: LoanTerms, changes: Mapping[str, float]) -> LoanTerms:
    """The loan terms once `changes`, already validated, are applied."""
    credit = changes.get(CREDIT, current.credit)
    if ANNUITY in changes:
        annuity = changes[ANNUITY]
    elif TERM in changes:
        annuity = credit / changes[TERM]
    elif CREDIT in changes and current.term_months > 0:
        annuity = credit / current.term_months  # same term: the instalment follows the amount
    else:
        annuity = current.annuity
    return LoanTerms(
        credit=credit, annuity=annuity, goods_price=changes.get(GOODS_PRICE, current.goods_price)
    )


# ---------------------------------------------------------------------------
# Scenario features: one feature run for the application, cheap recomputation per scenario
# ---------------------------------------------------------------------------


def _changed_features(model: ScoringModel) -> list[str]:
    """The model's features computed from the amounts a scenario changes."""
    return [
        name
        for name in model.feature_names
        if _CHANGED_SOURCES.intersection(FEATURE_SOURCES.get(name, ()))
    ]


def scenario_features(
    model: ScoringModel, tables: Mapping[str, pd.DataFrame], scenarios: Sequence[LoanTerms]
) -> pd.DataFrame:
    """Features of the application in `tables` (row 0) and of each scenario (rows 1..n).

    The full feature run (history included) happens once; the features that
    depend on the amounts are recomputed for all scenarios at once from the
    application row alone, since no history feature reads them.
    """
    current = model.features(tables)
    if len(current) != 1:
        raise ValueError(f"scenarios are for one application, got {len(current)}")
    frame = current.iloc[np.zeros(len(scenarios) + 1, dtype=np.intp)].copy()
    if not scenarios:
        return frame
    application_row = tables[schema.APPLICATION.name].iloc[[0] * len(scenarios)].copy()
    # Distinct ids for the application-only run; the result keeps the real id.
    application_row["SK_ID_CURR"] = np.arange(1, len(scenarios) + 1, dtype=np.int64)
    application_row[CREDIT] = [terms.credit for terms in scenarios]
    application_row[ANNUITY] = [terms.annuity for terms in scenarios]
    application_row[GOODS_PRICE] = [terms.goods_price for terms in scenarios]
    recomputed = build_features({schema.APPLICATION.name: application_row.reset_index(drop=True)})
    changed = _changed_features(model)
    positions = [frame.columns.get_loc(name) for name in changed]
    frame.iloc[1:, positions] = recomputed[changed].to_numpy(dtype=np.float64)
    return frame


def application_tables(application: Application) -> dict[str, pd.DataFrame]:
    """The application's Kaggle tables, read once for all its scenarios."""
    tables = tables_for_applications([application.pk])
    if tables[schema.APPLICATION.name].empty:
        raise Application.DoesNotExist(f"application {application.pk} is not in the database")
    return tables
