"""what_if: an application re-scored with other loan terms, nothing saved."""

from __future__ import annotations

import math

import pytest
from django.forms.models import model_to_dict

from audit.models import AuditEvent
from clients.models import Application
from explanations.feature_labels import label
from scoring.loan_terms import (
    ANNUITY,
    CREDIT,
    GOODS_PRICE,
    TERM,
    InvalidChange,
    LoanTerms,
    loan_terms_after,
)
from scoring.models import Explanation, Score
from scoring.what_if import what_if

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_score(score_now):
    """Score an application through the real service and (eager) worker task."""
    return score_now


def _row_counts() -> dict[str, int]:
    return {
        "scores": Score.objects.count(),
        "explanations": Explanation.objects.count(),
        "applications": Application.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_a_much_larger_credit_changes_the_probability_and_saves_nothing(
    active_model_version, imported_clients
):
    applications = list(Application.objects.filter(pk__in=imported_clients[:4]))
    stored = {a.pk: model_to_dict(a) for a in applications}
    counts = _row_counts()

    results = [what_if(application=a, changes={CREDIT: 8 * a.amt_credit}) for a in applications]

    # The test model is small, and not every client sits on a split of the credit
    # features; a what-if ignoring the change would leave every one unchanged.
    assert any(r["after"]["probability"] != r["before"]["probability"] for r in results)
    for application, result in zip(applications, results, strict=True):
        assert result["inputs"]["after"][CREDIT] == pytest.approx(8 * application.amt_credit)
        # Same term: the instalment follows the amount.
        assert result["inputs"]["after"][ANNUITY] == pytest.approx(8 * application.amt_annuity)
        assert result["inputs"]["after"][GOODS_PRICE] == result["inputs"]["before"][GOODS_PRICE]
        assert result["delta"] == pytest.approx(
            result["after"]["probability"] - result["before"]["probability"]
        )
    assert _row_counts() == counts
    for application in applications:
        application.refresh_from_db()
        assert model_to_dict(application) == stored[application.pk]


def test_before_is_the_stored_score_when_nothing_changes(
    active_model_version, imported_clients, stored_score
):
    application = Application.objects.get(pk=imported_clients[0])
    score = stored_score(application)

    result = what_if(application=application, changes={})

    assert result["before"]["probability"] == pytest.approx(score.probability, abs=1e-9)
    assert result["before"]["decision"] == score.decision
    assert result["after"] == result["before"]
    assert result["factors"] == []
    assert result["threshold"] == pytest.approx(score.threshold)
    assert result["model_version"] == active_model_version.version


def test_a_scenario_scores_like_the_same_values_stored_and_scored(
    active_model_version, imported_clients, stored_score
):
    application = Application.objects.get(pk=imported_clients[2])
    changes = {CREDIT: application.amt_credit * 3, TERM: 84, GOODS_PRICE: 100_000.0}

    result = what_if(application=application, changes=changes)

    after = result["inputs"]["after"]
    application.amt_credit = after[CREDIT]
    application.amt_annuity = after[ANNUITY]
    application.amt_goods_price = after[GOODS_PRICE]
    application.save()
    score = stored_score(application)
    assert result["after"]["probability"] == pytest.approx(score.probability, abs=1e-9)
    assert result["after"]["decision"] == score.decision


def test_changed_factors_show_the_amount_features_with_labels_and_both_contributions(
    active_model_version, imported_clients
):
    application = Application.objects.get(pk=imported_clients[0])

    result = what_if(
        application=application, changes={CREDIT: application.amt_credit * 8}, language="fr"
    )

    factors = result["factors"]
    assert factors, "a credit 8 times larger changes at least one contribution"
    changes = [abs(f["contribution_change"]) for f in factors]
    assert changes == sorted(changes, reverse=True)
    for factor in factors:
        assert factor["contribution_change"] == pytest.approx(
            factor["contribution_after"] - factor["contribution_before"]
        )
        assert factor["label"] and factor["label"] != factor["feature"]
        assert factor["label"] == label(factor["feature"], "fr")
    # Values of the amount features move with the credit (the term is kept); a feature
    # whose value did not change may still appear, through its interactions in the trees.
    expected_ratio = {
        "AMT_CREDIT": 8.0,
        "AMT_ANNUITY": 8.0,
        "APP_CREDIT_TO_INCOME": 8.0,
        "APP_ANNUITY_TO_INCOME": 8.0,
        "APP_CREDIT_TERM": 1.0,
        "APP_ANNUITY_TO_CREDIT": 1.0,
        "APP_GOODS_TO_CREDIT": 1 / 8,
    }
    moved = [f for f in factors if f["value_after"] != f["value_before"]]
    assert moved, "some factor is an amount feature whose value changed"
    for factor in moved:
        assert factor["feature"] in expected_ratio or factor["feature"] == "APP_CREDIT_MINUS_GOODS"
        if factor["feature"] in expected_ratio:
            assert factor["value_after"] == pytest.approx(
                factor["value_before"] * expected_ratio[factor["feature"]]
            )


def test_a_term_sets_the_instalment_to_credit_over_months(active_model_version, application):
    result = what_if(application=application, changes={"term_months": 60, "amt_credit": 300_000})

    after = result["inputs"]["after"]
    assert after[ANNUITY] == pytest.approx(300_000 / 60)
    assert after[TERM] == pytest.approx(60)
    assert result["changes"] == {TERM: 60.0, CREDIT: 300_000.0}
    before = result["inputs"]["before"]
    assert before[TERM] == pytest.approx(application.amt_credit / application.amt_annuity)


def test_an_instalment_is_taken_as_given(active_model_version, application):
    result = what_if(application=application, changes={ANNUITY: 20_000})

    after = result["inputs"]["after"]
    assert after[ANNUITY] == 20_000
    assert after[CREDIT] == application.amt_credit
    assert after[TERM] == pytest.approx(application.amt_credit / 20_000)


CURRENT = LoanTerms(credit=400_000.0, annuity=20_000.0, goods_price=350_000.0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"AMT_INCOME_TOTAL": 1_000_000}, "AMT_INCOME_TOTAL"),
        ({"EXT_SOURCE_3": 0.9}, "EXT_SOURCE_3"),
        ({CREDIT: -5}, CREDIT),
        ({CREDIT: 0}, CREDIT),
        ({CREDIT: "a lot"}, CREDIT),
        ({CREDIT: None}, CREDIT),
        ({CREDIT: True}, CREDIT),
        ({CREDIT: math.nan}, CREDIT),
        ({CREDIT: math.inf}, CREDIT),
        ({CREDIT: 999}, CREDIT),
        ({CREDIT: 4_000_001}, CREDIT),  # more than 10x the current credit
        ({TERM: 2}, TERM),
        ({TERM: 121}, TERM),
        ({TERM: 24, ANNUITY: 10_000}, TERM),
        ({ANNUITY: 400_000}, ANNUITY),  # a single instalment: a term of 1 month
        ({ANNUITY: 3_000}, ANNUITY),  # 133 months
        ({GOODS_PRICE: 500}, GOODS_PRICE),
        ({CREDIT: 100_000, GOODS_PRICE: 1_000_001}, GOODS_PRICE),  # 10x the new credit
    ],
)
def test_invalid_changes_are_refused_naming_the_field(changes, field):
    with pytest.raises(InvalidChange) as refused:
        loan_terms_after(current=CURRENT, changes=changes)

    assert refused.value.field == field
    assert refused.value.message_dict == {field: [refused.value.reason]}
    assert str(refused.value).startswith(f"{field}: ")


def test_refusals_are_worded_in_french_when_asked():
    with pytest.raises(InvalidChange) as refused:
        loan_terms_after(current=CURRENT, changes={TERM: 200}, language="fr")

    assert refused.value.reason == "doit être compris entre 3 et 120"


def test_what_if_refuses_an_invalid_change_before_scoring(active_model_version, application):
    counts = _row_counts()

    with pytest.raises(InvalidChange) as refused:
        what_if(application=application, changes={"DAYS_BIRTH": -20_000})

    assert refused.value.field == "DAYS_BIRTH"
    assert _row_counts() == counts


def test_an_application_without_instalment_keeps_it_unknown_unless_a_term_is_given():
    current = LoanTerms(credit=400_000.0, annuity=math.nan, goods_price=math.nan)

    assert math.isnan(loan_terms_after(current=current, changes={CREDIT: 200_000}).annuity)
    assert loan_terms_after(current=current, changes={TERM: 40}).annuity == pytest.approx(10_000)
    assert current.as_dict()[TERM] is None
