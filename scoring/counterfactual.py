"""Counterfactual: the smallest change of amount and/or term turning a refusal into a grant.

Candidates form a grid: credit amount factors 1.0, 0.975, ... 0.30 of the
current amount (rounded down to a multiple of 100) x terms (the current one,
then every standard term from 6 to 120 months longer than it). When the amount
drops, the goods price drops in proportion (the goods-to-credit ratio the
model sees stays the client's own: the client borrows less for cheaper goods,
so the suggestion never relies on changing that ratio). All candidates are
scored in one batched model call. The smallest change is the one keeping the
largest credit amount (the client asked for that money: a shorter loan is
worth less to them than the loan itself), ties broken by the shortest term.

Nothing is saved: the grid is scored like a what-if (scoring/loan_terms.py
computes the scenarios' features from one read of the application).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from clients.models import Application
from explanations.feature_labels import normalise_language
from ml import schema
from ml.predict import GRANTED, REFUSED
from scoring.loan_terms import (
    CREDIT,
    GOODS_PRICE,
    MAX_TERM_MONTHS,
    TERM,
    InvalidChange,
    LoanTerms,
    application_tables,
    in_language,
    loan_terms_after,
    scenario_features,
)
from scoring.registry import active_scoring_model

# The grid (see the module docstring).
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
    tables = application_tables(application)
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
        result["reason"] = in_language(
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
    return in_language(
        language,
        "The application would be granted by " + " and ".join(parts_en) + ".",
        "La demande serait accordée en " + " et en ".join(parts_fr) + ".",
    )


def _not_found_reason(current: LoanTerms, language: str) -> str:
    if not current.credit > 0:
        return in_language(
            language,
            "The credit amount is unknown: no change of amount or term can be proposed.",
            "Le montant du crédit est inconnu : aucune modification ne peut être proposée.",
        )
    return in_language(
        language,
        f"Even {round((1 - AMOUNT_FACTORS[-1]) * 100)}% less credit over up to "
        f"{MAX_TERM_MONTHS} months would still be refused: the refusal does not come "
        "from the amount or the term.",
        f"Même avec {round((1 - AMOUNT_FACTORS[-1]) * 100)}\u202f% de crédit en moins sur "
        f"{MAX_TERM_MONTHS} mois au plus, la demande resterait refusée : le refus ne tient "
        "pas au montant ni à la durée.",
    )
