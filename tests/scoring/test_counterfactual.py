"""counterfactual: the smallest change of amount and term that turns a refusal into a grant."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clients.frames import tables_for_applications
from clients.models import Application
from ml.predict import GRANTED, REFUSED
from scoring.counterfactual import (
    AMOUNT_FACTORS,
    STANDARD_TERMS,
    counterfactual,
    counterfactual_candidates,
)
from scoring.loan_terms import CREDIT, GOODS_PRICE, MAX_TERM_MONTHS, TERM, LoanTerms
from scoring.registry import scoring_model_for
from scoring.what_if import scenarios_evaluate, what_if

pytestmark = pytest.mark.django_db


def _current_terms(application: Application) -> LoanTerms:
    return LoanTerms.of(tables_for_applications([application.pk])["application"].iloc[0])


@pytest.fixture
def refusal_that_can_be_turned(active_model_version, imported_clients, monkeypatch):
    """An imported application, its grid scored, and a threshold refusing it but not all the grid.

    The small test model barely reacts to the amounts, so the threshold is put
    between the application's probability and the best of its grid: the
    search itself is what is tested.
    """
    model = scoring_model_for(active_model_version)
    best = None
    for sk_id in imported_clients:
        application = Application.objects.get(pk=sk_id)
        candidates = counterfactual_candidates(_current_terms(application))
        scored = scenarios_evaluate(
            application=application, scenarios=[{}] + [c.changes for c in candidates]
        )
        current, grid = scored[0]["probability"], [s["probability"] for s in scored[1:]]
        gap = current - min(grid)
        if best is None or gap > best[0]:
            best = (gap, application, candidates, current, grid)
        if gap > 1e-3:  # enough room for a threshold between the two
            break
    gap, application, candidates, current, grid = best
    assert gap > 0, "no imported client gets a lower probability anywhere on its grid"
    # Half-way between the current probability and the best candidate's.
    threshold = current - gap / 2
    monkeypatch.setattr(model, "threshold", threshold)
    return application, candidates, np.array(grid), threshold


def test_the_suggestion_is_granted_when_rescored_with_what_if(refusal_that_can_be_turned):
    application, _, _, threshold = refusal_that_can_be_turned

    result = counterfactual(application=application)

    assert result["status"] == "found"
    assert result["current"]["decision"] == REFUSED
    suggestion = result["suggestion"]
    assert suggestion["decision"] == GRANTED
    assert 0 < suggestion["margin"] == pytest.approx(threshold - suggestion["probability"])
    rescored = what_if(application=application, changes=suggestion["changes"])
    assert rescored["after"]["decision"] == GRANTED
    assert rescored["after"]["probability"] == pytest.approx(suggestion["probability"], abs=1e-12)
    assert rescored["inputs"]["after"] == suggestion["inputs"]
    assert rescored["before"]["decision"] == REFUSED
    # The smallest amount-only and term-only changes, when they differ from it.
    for alternative in result["alternatives"]:
        assert alternative["decision"] == GRANTED
        assert alternative["changes"] != suggestion["changes"]
        if alternative["kind"] == "amount_only":
            assert TERM not in alternative["changes"]
            assert "lowering the credit" in alternative["reason"]
            assert "spreading" not in alternative["reason"]
        else:
            assert alternative["kind"] == "term_only"
            assert CREDIT not in alternative["changes"]
            assert alternative["reason"].startswith("The application would be granted by spreading")


def test_no_smaller_change_of_the_grid_is_granted(refusal_that_can_be_turned):
    application, candidates, grid, threshold = refusal_that_can_be_turned

    suggestion = counterfactual(application=application)["suggestion"]

    credit = suggestion["inputs"][CREDIT]
    term = suggestion["inputs"][TERM]
    # The definition: the largest credit first, then the shortest term.
    smaller = [
        i
        for i, c in enumerate(candidates)
        if c.terms.credit > credit or (c.terms.credit == credit and c.term_months < term - 1e-9)
    ]
    assert all(grid[i] >= threshold for i in smaller)
    chosen = next(i for i, c in enumerate(candidates) if c.changes == suggestion["changes"])
    assert grid[chosen] < threshold
    assert len(smaller) == chosen  # the grid is listed smallest change first


def test_a_lower_amount_lowers_the_goods_price_in_proportion():
    current = LoanTerms(credit=406_597.5, annuity=24_700.5, goods_price=351_000.0)

    for candidate in counterfactual_candidates(current):
        if CREDIT in candidate.changes:
            expected = current.goods_price * candidate.changes[CREDIT] / current.credit
            assert candidate.changes[GOODS_PRICE] == pytest.approx(expected, abs=0.01)
            assert candidate.terms.goods_price == candidate.changes[GOODS_PRICE]
        else:
            assert GOODS_PRICE not in candidate.changes


def test_an_application_granted_as_it_is_is_already_granted(
    active_model_version, application, monkeypatch
):
    monkeypatch.setattr(scoring_model_for(active_model_version), "threshold", 1.0)

    result = counterfactual(application=application, language="fr")

    assert result["status"] == "already_granted"
    assert result["suggestion"] is None
    assert result["reason"] == "La demande est déjà accordée en l’état."


def test_no_suggestion_when_nothing_in_the_grid_is_granted(
    active_model_version, application, monkeypatch
):
    monkeypatch.setattr(scoring_model_for(active_model_version), "threshold", 0.0)

    result = counterfactual(application=application)

    assert result["status"] == "not_found"
    assert result["suggestion"] is None
    assert result["alternatives"] == []
    assert "would still be refused" in result["reason"]
    assert result["grid"]["candidates"] > 100


def test_the_grid_runs_from_the_current_terms_to_less_credit_and_longer_terms():
    current = LoanTerms(credit=450_000.0, annuity=22_500.0, goods_price=405_000.0)  # 20 months

    candidates = counterfactual_candidates(current)

    longer_terms = [t for t in STANDARD_TERMS if t > 20]
    assert len(candidates) == len(AMOUNT_FACTORS) * (1 + len(longer_terms)) - 1
    credits = {c.terms.credit for c in candidates}
    assert max(credits) == current.credit
    assert min(credits) == 135_000.0  # 30% of the credit
    assert all(c % 100 == 0 for c in credits)
    assert {c.term_months for c in candidates} == {20.0, *map(float, longer_terms)}
    assert max(c.term_months for c in candidates) == MAX_TERM_MONTHS
    keys = [(-c.terms.credit, c.term_months) for c in candidates]
    assert keys == sorted(keys)
    first = candidates[0]
    assert first.changes == {TERM: 24.0}  # same amount, the next longer term
    assert first.terms.annuity == pytest.approx(450_000 / 24)


def test_without_instalment_only_the_amount_is_searched():
    current = LoanTerms(credit=450_000.0, annuity=math.nan, goods_price=math.nan)

    candidates = counterfactual_candidates(current)

    assert len(candidates) == len(AMOUNT_FACTORS) - 1
    assert all(set(c.changes) == {CREDIT} for c in candidates)
