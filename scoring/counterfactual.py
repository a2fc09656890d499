"""Counterfactual: the smallest change of amount and/or term turning a refusal into a grant.

Candidates form a grid: credit amount factors 1.0, 0.975, ... 0.30 of the
current amount (rounded down to a multiple of 100) x terms (the current one,
then every standard term from 6 to 120 months longer than it). When the amount
drops, the goods price drops in proportion (the goods-to-credit ratio the
model sees stays the client's own: the client borrows less for cheaper goods,
so the suggestion never relies on changing that ratio). All candidates are
scored in one batched model call; the sentence of a suggestion that lowers the
goods price says so, with both prices. The smallest change is the one keeping the
largest credit amount (the client asked for that money: a shorter loan is
worth less to them than the loan itself), ties broken by the shortest term.

Nothing is saved: the grid is scored like a what-if (scoring/loan_terms.py
computes the scenarios' features from one read of the application).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

import formatting
from clients.models import Application
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
    language = formatting.normalise_language(language)
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
        with translation.override(language):
            result["reason"] = _("The application is already granted as it stands.")
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
    result["reason"] = _found_reason(result["suggestion"], language, current)
    amount_only = next((g for g in granted if TERM not in g[0].changes), None)
    term_only = next((g for g in granted if CREDIT not in g[0].changes), None)
    result["alternatives"] = [
        _suggestion(option, current, model.threshold, kind=kind)
        for option, kind in ((amount_only, "amount_only"), (term_only, "term_only"))
        if option is not None and option[0] is not best[0]
    ]
    for alternative in result["alternatives"]:
        alternative["reason"] = _found_reason(alternative, language, current)
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


def _found_reason(suggestion: dict[str, Any], language: str, current: LoanTerms) -> str:
    """The change in one sentence, and, when the goods price moves with the amount, a second
    one saying so (a suggestion never changes a value without saying it)."""
    inputs = suggestion["inputs"]
    changes = suggestion["changes"]
    with translation.override(language):
        months = int(round(inputs[TERM])) if TERM in changes else 0
        said = {
            "amount": formatting.money(inputs[CREDIT]),
            "share": formatting.percent(suggestion["amount_reduction"]),
            # "36 months" / "36 mois" on one line, its plural from the catalogue.
            "term": formatting.month_count(months),
        }
        if CREDIT in changes and months:
            sentence = (
                _(
                    "The application would be granted with a credit lowered to %(amount)s "
                    "(%(share)s less) and repaid over %(term)s."
                )
                % said
            )
        elif months:
            sentence = (
                _("The application would be granted with the credit repaid over %(term)s.") % said
            )
        else:
            sentence = (
                _(
                    "The application would be granted with a credit lowered to %(amount)s "
                    "(%(share)s less)."
                )
                % said
            )
        if GOODS_PRICE in changes:
            sentence += " " + _(
                "This assumes cheaper goods, priced %(goods)s instead of %(current)s, so that "
                "the same share of the price is lent."
            ) % {
                "goods": formatting.money(changes[GOODS_PRICE]),
                "current": formatting.money(current.goods_price),
            }
        return sentence


def _not_found_reason(current: LoanTerms, language: str) -> str:
    with translation.override(language):
        if not current.credit > 0:
            return _("The credit amount is unknown: no change of amount or term can be proposed.")
        return _(
            "Even %(share)s less credit over up to %(term)s would still be refused: "
            "the refusal does not come from the amount or the term."
        ) % {
            "share": formatting.percent(1 - AMOUNT_FACTORS[-1]),
            "term": formatting.month_count(MAX_TERM_MONTHS),
        }
