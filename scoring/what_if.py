"""What-if and counterfactual: re-scoring an application with other loan terms, saving nothing.

The advisor may change four things: the credit amount (`AMT_CREDIT`), the
monthly instalment (`AMT_ANNUITY`), the price of the goods (`AMT_GOODS_PRICE`)
and the term in months (`TERM_MONTHS`, not a Kaggle column).

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

Counterfactual: "the smallest change"
-------------------------------------
Candidates form a grid: credit amount factors 1.0, 0.975, ... 0.30 of the
current amount (rounded down to a multiple of 100) x terms (the current one,
then every standard term from 6 to 120 months longer than it). When the amount
drops, the goods price drops in proportion (the goods-to-credit ratio the
model sees stays the client's own: the client borrows less for cheaper goods,
so the suggestion never relies on changing that ratio). All candidates are
scored in one batched model call. The smallest change is the one keeping the
largest credit amount (the client asked for that money: a shorter loan is
worth less to them than the loan itself), ties broken by the shortest term.

Nothing here writes to the database: the application's tables are read once,
its features computed once, and only the features derived from the three
amounts are recomputed for each scenario (`ml.features.FEATURE_SOURCES` says
which ones), so a scenario scores exactly as the same values stored and
scored would (a test checks it against the real scoring path).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from clients.frames import tables_for_applications
from clients.models import Application
from explanations.feature_labels import label, normalise_language
from ml import schema
from ml.artifact import to_json_safe
from ml.features import FEATURE_SOURCES, build_features
from ml.predict import GRANTED, REFUSED, ScoringModel
from scoring.registry import active_scoring_model

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

# Counterfactual grid (see the module docstring).
AMOUNT_FACTORS: tuple[float, ...] = tuple(
    round(1.0 - 0.025 * step, 3) for step in range(29)
)  # 1.0 .. 0.3
STANDARD_TERMS: tuple[int, ...] = (
    6,
    9,
    12,
    15,
    18,
    24,
    30,
    36,
    42,
    48,
    54,
    60,
    72,
    84,
    96,
    108,
    120,
)
AMOUNT_ROUNDING = 100.0

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


def _say(language: str, en: str, fr: str) -> str:
    return fr if language == "fr" else en


def _number(value: object) -> float:
    """A stored value as a float, NaN for missing."""
    if value is None:
        return math.nan
    try:
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


def _positive_number(field: str, value: object, language: str) -> float:
    number = math.nan
    if not isinstance(value, bool | None):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    if not (math.isfinite(number) and number > 0):
        raise InvalidChange(
            field, _say(language, "must be a positive number", "doit être un nombre positif")
        )
    return number


def _between(field: str, value: float, low: float, high: float, language: str) -> None:
    if not low <= value <= high:
        raise InvalidChange(
            field,
            _say(
                language,
                f"must be between {low:,.0f} and {high:,.0f}",
                f"doit être compris entre {low:,.0f} et {high:,.0f}".replace(",", "\u202f"),
            ),
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
    language = normalise_language(language)
    normalised: dict[str, float] = {}
    for raw_field, value in changes.items():
        field = str(raw_field).strip().upper()
        if field not in CHANGEABLE_FIELDS:
            raise InvalidChange(
                str(raw_field),
                _say(
                    language,
                    "cannot be changed (only " + ", ".join(CHANGEABLE_FIELDS) + ")",
                    "ne peut pas être modifié (seulement " + ", ".join(CHANGEABLE_FIELDS) + ")",
                ),
            )
        normalised[field] = _positive_number(field, value, language)
    if ANNUITY in normalised and TERM in normalised:
        raise InvalidChange(
            TERM,
            _say(
                language,
                "give either the instalment or the term, not both (each fixes the other)",
                "donnez l'échéance ou la durée, pas les deux (l'une fixe l'autre)",
            ),
        )
    max_credit = (
        MAX_CREDIT_FACTOR * current.credit if current.credit > 0 else MAX_AMOUNT_WHEN_UNKNOWN
    )
    if CREDIT in normalised:
        _between(CREDIT, normalised[CREDIT], MIN_AMOUNT, max_credit, language)
    credit = normalised.get(CREDIT, current.credit)
    if TERM in normalised:
        _between(TERM, normalised[TERM], MIN_TERM_MONTHS, MAX_TERM_MONTHS, language)
        if not credit > 0:
            raise InvalidChange(
                TERM,
                _say(
                    language,
                    "the credit amount is unknown: give it too",
                    "le montant du crédit est inconnu : indiquez-le aussi",
                ),
            )
    if ANNUITY in normalised:
        if credit > 0:
            _between(
                ANNUITY,
                normalised[ANNUITY],
                credit / MAX_TERM_MONTHS,
                credit / MIN_TERM_MONTHS,
                language,
            )
        else:
            _between(ANNUITY, normalised[ANNUITY], 1.0, MAX_AMOUNT_WHEN_UNKNOWN, language)
    if GOODS_PRICE in normalised:
        max_goods = MAX_GOODS_TO_CREDIT * credit if credit > 0 else MAX_AMOUNT_WHEN_UNKNOWN
        _between(GOODS_PRICE, normalised[GOODS_PRICE], MIN_AMOUNT, max_goods, language)
    return normalised


def loan_terms_after(
    *, current: LoanTerms, changes: Mapping[str, object], language: str = "en"
) -> LoanTerms:
    """The loan terms once `changes` are applied (validated; see the module docstring)."""
    return _applied(current, validate_changes(current=current, changes=changes, language=language))


def _applied(current: LoanTerms, changes: Mapping[str, float]) -> LoanTerms:
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


def _application_tables(application: Application) -> dict[str, pd.DataFrame]:
    tables = tables_for_applications([application.pk])
    if tables[schema.APPLICATION.name].empty:
        raise Application.DoesNotExist(f"application {application.pk} is not in the database")
    return tables


# ---------------------------------------------------------------------------
# What-if
# ---------------------------------------------------------------------------


def what_if(
    *,
    application: Application,
    changes: Mapping[str, object],
    language: str = "en",
    top: int = 10,
) -> dict[str, Any]:
    """The application re-scored with `changes` by the active model, nothing saved.

    `changes`: {field: value} among `CHANGEABLE_FIELDS` (case-insensitive);
    raises `InvalidChange` naming the field refused. "before" is computed from
    the stored data the same way (same model call), so the two compare like
    for like. `factors` lists the `top` features whose contribution changed
    most (log-odds, positive raises the risk).
    """
    language = normalise_language(language)
    version, model = active_scoring_model()
    tables = _application_tables(application)
    current = LoanTerms.of(tables[schema.APPLICATION.name].iloc[0])
    accepted = validate_changes(current=current, changes=changes, language=language)
    after = _applied(current, accepted)
    features = scenario_features(model, tables, [after])
    prediction = model.predict(features)
    explanation = model.explain(features)
    probability = prediction.probability
    return {
        "application_id": application.pk,
        "model_version": version.version,
        "threshold": model.threshold,
        "language": language,
        "changes": accepted,
        "inputs": {"before": current.as_dict(), "after": after.as_dict()},
        "before": {"probability": float(probability[0]), "decision": str(prediction.decision[0])},
        "after": {"probability": float(probability[1]), "decision": str(prediction.decision[1])},
        "delta": float(probability[1] - probability[0]),
        "decision_changed": bool(prediction.decision[0] != prediction.decision[1]),
        "factors": _changed_factors(explanation, language=language, top=top),
    }


def _changed_factors(explanation, *, language: str, top: int) -> list[dict[str, Any]]:
    contributions = explanation.contributions.to_numpy()
    change = contributions[1] - contributions[0]
    values = explanation.feature_values
    order = np.argsort(-np.abs(change), kind="stable")
    factors = []
    for position in order[: max(0, int(top))]:
        if change[position] == 0.0:
            break
        feature = explanation.contributions.columns[position]
        factors.append(
            {
                "feature": feature,
                "label": label(feature, language),
                "value_before": to_json_safe(values.iat[0, position]),
                "value_after": to_json_safe(values.iat[1, position]),
                "contribution_before": float(contributions[0, position]),
                "contribution_after": float(contributions[1, position]),
                "contribution_change": float(change[position]),
            }
        )
    return factors


def scenarios_evaluate(
    *, application: Application, scenarios: Sequence[Mapping[str, object]]
) -> list[dict[str, Any]]:
    """Probability and decision of each scenario (a `changes` dict), one batched model call.

    For curves (probability against the amount, say) and for checking a
    counterfactual. Raises `InvalidChange` for an invalid scenario.
    """
    _, model = active_scoring_model()
    tables = _application_tables(application)
    current = LoanTerms.of(tables[schema.APPLICATION.name].iloc[0])
    terms = [loan_terms_after(current=current, changes=changes) for changes in scenarios]
    prediction = model.predict(scenario_features(model, tables, terms))
    return [
        {
            "changes": dict(changes),
            "inputs": scenario_terms.as_dict(),
            "probability": float(prediction.probability[i + 1]),
            "decision": str(prediction.decision[i + 1]),
        }
        for i, (changes, scenario_terms) in enumerate(zip(scenarios, terms, strict=True))
    ]


# ---------------------------------------------------------------------------
# Counterfactual
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One point of the counterfactual grid."""

    changes: dict[str, float]  # what `what_if` takes to score it
    terms: LoanTerms
    amount_factor: float  # credit / current credit
    term_months: float  # the term of the candidate (the current one when unchanged)

    def order_key(self) -> tuple[float, float]:
        """Smaller sorts first: the largest credit kept, then the shortest term."""
        return (-self.terms.credit, self.term_months)


def counterfactual_candidates(current: LoanTerms) -> list[Candidate]:
    """The grid searched by `counterfactual`, smallest change first (the current terms excluded).

    Amount factors `AMOUNT_FACTORS` (credit rounded down to a multiple of
    100; goods price scaled alike) x terms (current, then each of
    `STANDARD_TERMS` longer than it); candidates outside the what-if bounds
    are left out. An application without a known credit amount has none; one
    without an instalment (no term) gets amount changes only.
    """
    if not current.credit > 0:
        return []
    current_term = current.term_months
    longer_terms = (
        [term for term in STANDARD_TERMS if term > current_term] if current_term > 0 else []
    )
    candidates: dict[tuple[float, float | None], Candidate] = {}
    for factor in AMOUNT_FACTORS:
        if factor == 1.0:
            credit = current.credit
        else:
            credit = math.floor(current.credit * factor / AMOUNT_ROUNDING) * AMOUNT_ROUNDING
        for term in [None, *longer_terms]:
            changes: dict[str, float] = {}
            if credit != current.credit:
                changes[CREDIT] = float(credit)
                if current.goods_price > 0:
                    changes[GOODS_PRICE] = round(current.goods_price * credit / current.credit, 2)
            if term is not None:
                changes[TERM] = float(term)
            if not changes or (credit, term) in candidates:
                continue
            try:
                terms = loan_terms_after(current=current, changes=changes)
            except InvalidChange:
                continue
            candidates[(credit, term)] = Candidate(
                changes=changes,
                terms=terms,
                amount_factor=credit / current.credit,
                term_months=float(term) if term is not None else current_term,
            )
    return sorted(candidates.values(), key=Candidate.order_key)


def counterfactual(*, application: Application, language: str = "en") -> dict[str, Any]:
    """The smallest change of amount and/or term turning a refusal into a grant.

    Always a JSON-ready dict; `status` says what happened and `suggestion` is
    None unless one was found:

    * "found": `suggestion` = {changes (give them to `what_if`), inputs,
      probability, decision, margin (threshold - probability, > 0),
      amount_reduction (share of the credit removed), term_extension_months};
      `alternatives` holds the smallest amount-only and term-only changes
      when they exist and differ from it;
    * "already_granted": the application is granted as it is;
    * "not_found": no candidate of the grid is granted.

    `reason` says it in a sentence, `grid` how many candidates were scored
    (one batched model call).
    """
    language = normalise_language(language)
    version, model = active_scoring_model()
    tables = _application_tables(application)
    current = LoanTerms.of(tables[schema.APPLICATION.name].iloc[0])
    candidates = counterfactual_candidates(current)
    prediction = model.predict(scenario_features(model, tables, [c.terms for c in candidates]))
    result: dict[str, Any] = {
        "application_id": application.pk,
        "model_version": version.version,
        "threshold": model.threshold,
        "language": language,
        "current": {
            "inputs": current.as_dict(),
            "probability": float(prediction.probability[0]),
            "decision": str(prediction.decision[0]),
        },
        "grid": {
            "candidates": len(candidates),
            "amount_factors": list(AMOUNT_FACTORS),
            "terms": sorted({c.term_months for c in candidates if math.isfinite(c.term_months)}),
        },
        "suggestion": None,
        "alternatives": [],
    }
    if prediction.decision[0] == GRANTED:
        result["status"] = "already_granted"
        result["reason"] = _say(
            language,
            "The application is already granted as it stands.",
            "La demande est déjà accordée en l'état.",
        )
        return result
    granted = [
        (candidate, float(prediction.probability[i + 1]))
        for i, candidate in enumerate(candidates)
        if prediction.decision[i + 1] == GRANTED
    ]  # in grid order: the first is the smallest change
    if not granted:
        result["status"] = "not_found"
        result["reason"] = _not_found_reason(current, language)
        return result
    best = granted[0]
    result["status"] = "found"
    result["suggestion"] = _suggestion(best, current, model.threshold, kind="smallest")
    result["reason"] = _found_reason(result["suggestion"], language)
    amount_only = next((g for g in granted if TERM not in g[0].changes), None)
    term_only = next((g for g in granted if CREDIT not in g[0].changes), None)
    result["alternatives"] = [
        _suggestion(option, current, model.threshold, kind=kind)
        for option, kind in ((amount_only, "amount_only"), (term_only, "term_only"))
        if option is not None and option[0] is not best[0]
    ]
    for alternative in result["alternatives"]:
        alternative["reason"] = _found_reason(alternative, language)
    return result


def _suggestion(
    option: tuple[Candidate, float], current: LoanTerms, threshold: float, *, kind: str
) -> dict[str, Any]:
    candidate, probability = option
    return {
        "kind": kind,
        "changes": dict(candidate.changes),
        "inputs": candidate.terms.as_dict(),
        "probability": probability,
        "decision": GRANTED if probability < threshold else REFUSED,
        "margin": threshold - probability,
        "amount_reduction": 1.0 - candidate.amount_factor,
        "term_extension_months": (
            candidate.term_months - current.term_months if TERM in candidate.changes else 0.0
        ),
    }


def _found_reason(suggestion: dict[str, Any], language: str) -> str:
    from explanations.reasons import format_amount, format_percent

    inputs = suggestion["inputs"]
    parts_en, parts_fr = [], []
    if CREDIT in suggestion["changes"]:
        amount = inputs[CREDIT]
        reduction = suggestion["amount_reduction"]
        parts_en.append(
            f"lowering the credit to {format_amount(amount, 'en')} "
            f"({format_percent(reduction, 'en')} less)"
        )
        parts_fr.append(
            f"ramener le crédit à {format_amount(amount, 'fr')} "
            f"({format_percent(reduction, 'fr')} de moins)"
        )
    if TERM in suggestion["changes"]:
        months = int(round(inputs[TERM]))
        parts_en.append(f"spreading it over {months} months")
        parts_fr.append(f"l'étaler sur {months} mois")
    return _say(
        language,
        "The application would be granted by " + " and ".join(parts_en) + ".",
        "La demande serait accordée en " + " et en ".join(parts_fr) + ".",
    )


def _not_found_reason(current: LoanTerms, language: str) -> str:
    if not current.credit > 0:
        return _say(
            language,
            "The credit amount is unknown: no change of amount or term can be proposed.",
            "Le montant du crédit est inconnu : aucune modification ne peut être proposée.",
        )
    return _say(
        language,
        f"Even {round((1 - AMOUNT_FACTORS[-1]) * 100)}% less credit over up to "
        f"{MAX_TERM_MONTHS} months would still be refused: the refusal does not come "
        "from the amount or the term.",
        f"Même avec {round((1 - AMOUNT_FACTORS[-1]) * 100)}\u202f% de crédit en moins sur "
        f"{MAX_TERM_MONTHS} mois au plus, la demande resterait refusée : le refus ne tient "
        "pas au montant ni à la durée.",
    )
