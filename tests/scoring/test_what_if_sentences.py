"""Every sentence of the what-if and the counterfactual, rendered in both languages.

Each template of a sentence (and each plural form) is rendered with fixed values and
compared with the whole expected sentence, so that a translation that no longer fits its
place ("serait accordée en ramener le crédit") fails here rather than on a client's page.
"""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from clients.models import Application
from dashboard import wording
from dashboard.forms import WhatIfForm
from dashboard.views.what_if import _what_if_view
from scoring.counterfactual import _found_reason, _not_found_reason
from scoring.loan_terms import ANNUITY, CREDIT, GOODS_PRICE, TERM, LoanTerms

NNBSP, NBSP = "\u202f", "\u00a0"
CURRENT = LoanTerms(credit=817_560.0, annuity=34_763.0, goods_price=882_000.0)

# The what-if panel reads the manual-review switch (scoring.governance) from the database.
pytestmark = pytest.mark.django_db


def suggestion(changes: dict[str, float]) -> dict:
    credit = changes.get(CREDIT, CURRENT.credit)
    term = changes.get(TERM, CURRENT.term_months)
    return {
        "changes": changes,
        "inputs": {CREDIT: credit, TERM: term, ANNUITY: credit / term, GOODS_PRICE: None},
        "amount_reduction": 1 - credit / CURRENT.credit,
    }


AMOUNT_AND_TERM = {CREDIT: 463_800.0, TERM: 36.0}
AMOUNT_ONLY = {CREDIT: 463_800.0}
TERM_ONLY = {TERM: 48.0}
ONE_MONTH = {TERM: 1.0}  # the singular (outside the grid, but the catalogue has it)
WITH_GOODS = {CREDIT: 463_800.0, GOODS_PRICE: 500_349.0}

EXPECTED = {
    "en": {
        "amount_and_term": "The application would be granted with a credit lowered to "
        f"€463,800 (43% less) and repaid over 36{NBSP}months.",
        "amount_only": "The application would be granted with a credit lowered to "
        "€463,800 (43% less).",
        "term_only": "The application would be granted with the credit repaid over "
        f"48{NBSP}months.",
        "one_month": f"The application would be granted with the credit repaid over 1{NBSP}month.",
        "with_goods": "The application would be granted with a credit lowered to "
        "€463,800 (43% less). This assumes cheaper goods, priced €500,349 instead of "
        "€882,000, so that the same share of the price is lent.",
        "not_found": f"Even 70% less credit over up to 120{NBSP}months would still be refused: "
        "the refusal does not come from the amount or the term.",
        "unknown_credit": "The credit amount is unknown: no change of amount or term can "
        "be proposed.",
    },
    "fr": {
        "amount_and_term": "La demande serait accordée avec un crédit ramené à "
        f"463{NNBSP}800{NBSP}€ (43{NNBSP}% de moins) et remboursé en 36{NBSP}mois.",
        "amount_only": "La demande serait accordée avec un crédit ramené à "
        f"463{NNBSP}800{NBSP}€ (43{NNBSP}% de moins).",
        "term_only": f"La demande serait accordée avec un crédit remboursé en 48{NBSP}mois.",
        "one_month": f"La demande serait accordée avec un crédit remboursé en 1{NBSP}mois.",
        "with_goods": "La demande serait accordée avec un crédit ramené à "
        f"463{NNBSP}800{NBSP}€ (43{NNBSP}% de moins). Cela suppose un bien moins cher, à "
        f"500{NNBSP}349{NBSP}€ au lieu de 882{NNBSP}000{NBSP}€, pour que la même part du "
        "prix soit prêtée.",
        "not_found": None,  # filled from the catalogue below, checked for its grammar
        "unknown_credit": None,
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "case, changes",
    [
        ("amount_and_term", AMOUNT_AND_TERM),
        ("amount_only", AMOUNT_ONLY),
        ("term_only", TERM_ONLY),
        ("one_month", ONE_MONTH),
        ("with_goods", WITH_GOODS),
    ],
)
def test_each_counterfactual_sentence_reads_whole_in_both_languages(language, case, changes):
    assert _found_reason(suggestion(changes), language, CURRENT) == EXPECTED[language][case]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_sentences_without_a_suggestion_read_whole_in_both_languages(language):
    not_found = _not_found_reason(CURRENT, language)
    unknown = _not_found_reason(LoanTerms(float("nan"), float("nan"), float("nan")), language)
    if language == "en":
        assert not_found == EXPECTED["en"]["not_found"]
        assert unknown == EXPECTED["en"]["unknown_credit"]
    else:
        assert not_found.startswith(f"Même avec 70{NNBSP}% de crédit en moins")
        assert f"120{NBSP}mois" in not_found and not_found.endswith(".")
        assert unknown.startswith("Le montant du crédit est inconnu")
    for sentence in (not_found, unknown):
        assert "%(" not in sentence and "  " not in sentence


def what_if_result(*, before: float, after: float, decided: tuple[str, str]) -> dict:
    terms_before = {CREDIT: 817_560.0, ANNUITY: 34_763.0, GOODS_PRICE: 882_000.0, TERM: 23.52}
    terms_after = {**terms_before, CREDIT: 300_000.0, ANNUITY: 300_000.0 / 23.52}
    return {
        "threshold": 0.1,
        "changes": {CREDIT: 300_000.0},
        "inputs": {"before": terms_before, "after": terms_after},
        "before": {"probability": before, "decision": decided[0]},
        "after": {"probability": after, "decision": decided[1]},
        "delta": after - before,
        "decision_changed": decided[0] != decided[1],
        "factors": [],
    }


def rendered_result(result: dict, language: str) -> str:
    with translation.override(language):
        form = WhatIfForm(current=WhatIfForm.shown_of(result["inputs"]["before"]))
        body = render_to_string(
            "dashboard/client_what_if_panel.html",
            {
                "application": Application(sk_id_curr=100002),
                "what_if_form": form,
                "what_if": result,
                "what_if_view": _what_if_view(result),
            },
        )
    sentence = re.search(r'data-testid="what-if-sentence">(.*?)</p>', body, re.S).group(1)
    # Collapse the template's layout only: the narrow no-break spaces are part of the words.
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", sentence)).strip()


@pytest.mark.parametrize(
    "language, changed, stayed",
    [
        (
            "en",
            "Probability of default 7.0%, below the threshold of 10.0%: granted. "
            "3.0 points from the threshold: a fairly clear decision. "
            "The decision would change: refused → granted.",
            "The decision would stay: refused.",
        ),
        (
            # After "la décision", the outcome is a noun: "refusé" would have to agree.
            "fr",
            f"Probabilité de défaut 7,0{NNBSP}%, sous le seuil de 10,0{NNBSP}% : accordé. "
            "À 3,0 points du seuil : une décision assez nette. "
            "La décision changerait : refus → accord.",
            "La décision resterait : refus.",
        ),
    ],
)
def test_the_what_if_result_reads_whole_in_both_languages(language, changed, stayed):
    turned = rendered_result(
        what_if_result(before=0.2, after=0.07, decided=("refused", "granted")), language
    )
    assert turned == changed
    kept = rendered_result(
        what_if_result(before=0.2, after=0.15, decided=("refused", "refused")), language
    )
    assert kept.endswith(stayed)


def test_the_outcome_after_the_decision_leaves_the_labels_elsewhere_as_they_were():
    # The loan's "refusé" (a status, the decision gauge's table) keeps its own msgid.
    with translation.override("fr"):
        assert wording.decision_label("refused") == "refusé"
        assert wording.decision_label("granted") == "accordé"
        assert wording.decision_outcome("refused") == "refus"
        assert wording.decision_outcome("granted") == "accord"


def test_the_change_of_probability_is_the_difference_of_the_percentages_shown():
    """12.0 % -> 11.0 % is 1.0 point, even when the unrounded change is 0.92."""
    result = what_if_result(before=0.1196, after=0.11044, decided=("refused", "granted"))
    with translation.override("fr"):
        form = WhatIfForm(current=WhatIfForm.shown_of(result["inputs"]["before"]))
        body = render_to_string(
            "dashboard/client_what_if_panel.html",
            {
                "application": Application(sk_id_curr=100002),
                "what_if_form": form,
                "what_if": result,
                "what_if_view": _what_if_view(result),
            },
        )
    summary = re.search(r'data-testid="what-if-summary">(.*?)</p>', body, re.S).group(1)
    summary = re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", summary)).strip()
    assert f"12,0{NNBSP}%" in summary and f"11,0{NNBSP}%" in summary
    assert summary.endswith("(−1,0 points)")
