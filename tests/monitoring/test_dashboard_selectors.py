"""The dashboard's reads and figures on constructed data whose answers are known by hand."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone

from monitoring.selectors import (
    Window,
    monitoring_figures,
    scored_applications_frame,
    scored_features_frame,
)
from scoring.models import CreditDecision, Explanation, ModelVersion, Score
from tests.factories import ApplicationFactory

TRAINING = {"auc": 0.75, "cost_per_client": 0.5, "default_rate": 0.08, "refusal_rate": 0.3}


@pytest.fixture
def version(db):
    return ModelVersion.objects.create(
        version="test01",
        artifact_hash="a" * 64,
        threshold=0.5,
        cost_false_negative=10.0,
        cost_false_positive=1.0,
        is_active=True,
    )


def make_score(version, application, *, probability, when, **fields) -> Score:
    score = Score.objects.create(
        application=application,
        model_version=version,
        input_digest=f"{application.pk}-{probability}-{when.isoformat()}",
        status=Score.Status.DONE,
        probability=probability,
        decision="refused" if probability >= version.threshold else "granted",
        threshold=version.threshold,
        **fields,
    )
    # auto_now_add: the scoring time is set afterwards, as the demo backdates its history.
    Score.objects.filter(pk=score.pk).update(created_at=when, finished_at=when)
    return score


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_the_window_reads_each_application_once_as_its_last_score_with_override_and_outcome(
    version, advisor
):
    today = dt.date(2026, 11, 30)
    window = Window(since=today - dt.timedelta(days=6), until=today)
    young = ApplicationFactory(code_gender="M", days_birth=-8000, target=1)
    older = ApplicationFactory(code_gender="F", days_birth=-20000, target=None)
    outside = ApplicationFactory()
    make_score(version, young, probability=0.2, when=at(today - dt.timedelta(days=3)))
    last = make_score(version, young, probability=0.7, when=at(today - dt.timedelta(days=1)))
    other = make_score(version, older, probability=0.1, when=at(today, hour=23))
    make_score(version, outside, probability=0.3, when=at(today - dt.timedelta(days=7), hour=23))
    CreditDecision.objects.create(
        application=young, score=last, outcome="granted", model_decision="refused",
        is_override=True, justification="Known employer, stable income for years.",
        decided_by=advisor,
    )  # fmt: skip

    frame = scored_applications_frame(window=window)

    assert list(frame["application_id"]) == [young.pk, older.pk]
    assert list(frame["score_id"]) == [last.pk, other.pk]
    assert list(frame["probability"]) == [0.7, 0.1]
    assert list(frame["decision"]) == ["refused", "granted"]
    assert list(frame["overridden"]) == [True, False]
    assert frame["TARGET"].iloc[0] == 1 and math.isnan(frame["TARGET"].iloc[1])
    assert list(frame["CODE_GENDER"]) == ["M", "F"]
    assert list(frame["DAYS_BIRTH"]) == [-8000.0, -20000.0]


def test_feature_values_are_read_from_the_explanations_numbers_as_numbers(version):
    application = ApplicationFactory()
    score = make_score(version, application, probability=0.2, when=timezone.now())
    Explanation.objects.create(
        score=score, base_value=0.0, raw_score=0.0, contributions={},
        feature_values={"EXT_SOURCE_2": 0.26, "NAME_INCOME_TYPE": "Working", "GONE": None},
    )  # fmt: skip

    frame = scored_features_frame(
        score_ids=[score.pk], features=["EXT_SOURCE_2", "NAME_INCOME_TYPE", "GONE"]
    )

    assert frame.loc[score.pk, "EXT_SOURCE_2"] == pytest.approx(0.26)
    assert frame.loc[score.pk, "NAME_INCOME_TYPE"] == "Working"
    assert math.isnan(frame.loc[score.pk, "GONE"])


# -- figures on constructed frames ---------------------------------------------------------


def scores_frame(probabilities, *, genders=None, days_birth=-12000.0, target=np.nan, start=None):
    n = len(probabilities)
    start = start or pd.Timestamp("2026-11-02", tz="UTC")  # a Monday
    probabilities = np.asarray(probabilities, dtype=float)
    return pd.DataFrame(
        {
            "score_id": range(n),
            "application_id": range(n),
            "scored_at": [start + pd.Timedelta(hours=i % 100) for i in range(n)],
            "probability": probabilities,
            "decision": np.where(probabilities >= 0.5, "refused", "granted"),
            "threshold": 0.5,
            "model_version": "test01",
            "overridden": False,
            "TARGET": target,
            "CODE_GENDER": genders if genders is not None else "F",
            "DAYS_BIRTH": days_birth,
        }
    )


def figures(scores, reference, **options):
    return monitoring_figures(
        scores=scores,
        features=pd.DataFrame(),
        reference=reference,
        importance={},
        threshold=0.5,
        cost_fn=10.0,
        cost_fp=1.0,
        training=TRAINING,
        **options,
    )


def test_the_score_psi_is_zero_for_the_training_distribution_and_known_when_all_move_up():
    reference = pd.DataFrame({"OOF_PROBABILITY": np.linspace(0.0005, 0.9995, 1000)})

    same = figures(scores_frame(reference["OOF_PROBABILITY"]), reference)
    assert same["score_psi"]["value"] == pytest.approx(0.0, abs=1e-9)
    assert same["score_psi"]["verdict"] == "stable"

    # Every application in the top tenth of the training distribution: nine bins fall from
    # 10% to the 0.01% floor and one rises from 10% to 100%.
    moved = figures(scores_frame(np.full(500, 0.99)), reference)
    known = 9 * (1e-4 - 0.1) * math.log(1e-4 / 0.1) + (1 - 0.1) * math.log(1 / 0.1)
    assert moved["score_psi"]["value"] == pytest.approx(known, rel=1e-9)
    assert moved["score_psi"]["verdict"] == "significant"


def test_the_score_psi_is_given_per_week_so_a_shift_in_the_last_week_stands_out():
    reference = pd.DataFrame({"OOF_PROBABILITY": np.linspace(0.0005, 0.9995, 1000)})
    usual = scores_frame(reference["OOF_PROBABILITY"])
    shifted = scores_frame(np.full(50, 0.99), start=pd.Timestamp("2026-11-09", tz="UTC"))

    weeks = figures(pd.concat([usual, shifted], ignore_index=True), reference)[
        "score_psi_by_period"
    ]

    assert [w["period"] for w in weeks] == ["2026-11-02", "2026-11-09"]
    assert weeks[0]["value"] == pytest.approx(0.0, abs=1e-9) and weeks[0]["few"] is False
    known = 9 * (1e-4 - 0.1) * math.log(1e-4 / 0.1) + (1 - 0.1) * math.log(1 / 0.1)
    assert weeks[1]["value"] == pytest.approx(known) and weeks[1]["verdict"] == "significant"
    assert weeks[1]["rows"] == 50 and weeks[1]["few"] is True


def test_expected_auc_and_cost_follow_from_calibrated_probabilities_alone():
    # Half at 0.2 (granted), half at 0.8 (refused), no outcome known. Expected defaulters:
    # 0.8 of the refused and 0.2 of the granted: the expected ROC goes through (0.2, 0.8), so
    # AUC = 0.2 * 0.8 / 2 + 0.8 * (0.8 + 1) / 2 = 0.8. Expected cost per client: 10 x 0.1
    # (defaulters granted) + 1 x 0.1 (good clients refused) = 1.1.
    scores = scores_frame([0.2, 0.8] * 200)

    result = figures(scores, pd.DataFrame({"OOF_PROBABILITY": [0.2, 0.8] * 50}))

    assert result["expected"]["auc"] == pytest.approx(0.8)
    assert result["expected"]["cost_per_client"] == pytest.approx(1.1)
    week = result["performance"]["periods"][0]
    assert week["expected"]["auc"] == pytest.approx(0.8)
    assert week["realised"] is None
    assert result["performance"]["training"]["auc"] == 0.75
    assert result["labelled_rows"] == 0


def test_realised_figures_appear_beside_the_expected_ones_once_outcomes_are_known():
    # Perfect ranking: every refused client defaulted, every granted one repaid.
    probabilities = [0.2, 0.8] * 100
    scores = scores_frame(probabilities, target=[0, 1] * 100)

    week = figures(scores, pd.DataFrame({"OOF_PROBABILITY": probabilities}))["performance"][
        "periods"
    ][0]

    assert week["labelled_rows"] == 200
    assert week["realised"]["auc"] == pytest.approx(1.0)
    assert week["realised"]["cost_per_client"] == pytest.approx(0.0)
    assert week["expected_on_labelled"]["auc"] == pytest.approx(0.8)


def test_fairness_flags_the_group_approved_at_half_the_rate_and_not_the_small_group():
    # 200 women all approved, 200 men half approved, 10 of unstated gender all refused.
    probabilities = [0.1] * 200 + [0.1, 0.9] * 100 + [0.9] * 10
    genders = ["F"] * 200 + ["M"] * 200 + ["XNA"] * 10

    fairness = figures(
        scores_frame(probabilities, genders=genders), pd.DataFrame({"OOF_PROBABILITY": [0.1]})
    )["fairness"]
    rows = {(r["group"], r["metric"]): r for r in fairness["groupings"]["CODE_GENDER"]["rows"]}

    assert fairness["groupings"]["CODE_GENDER"]["reference_group"] == "F"
    assert rows["F", "approval_rate"]["value"] == pytest.approx(1.0)
    assert rows["M", "approval_rate"]["value"] == pytest.approx(0.5)
    assert rows["M", "approval_ratio"]["value"] == pytest.approx(0.5)
    assert rows["M", "approval_ratio"]["flagged"] is True
    assert rows["F", "approval_ratio"]["flagged"] is False
    low, high = rows["M", "approval_rate"]["ci_low"], rows["M", "approval_rate"]["ci_high"]
    assert low < 0.5 < high
    assert rows["XNA", "approval_rate"]["significant"] is False
    assert rows["XNA", "approval_ratio"]["flagged"] is False  # 0 %, but too few to conclude
    # Everyone is 32 years old (DAYS_BIRTH -12000): one age band.
    bands = {r["group"] for r in fairness["groupings"]["age_band"]["rows"]}
    assert bands == {"25-34"}


def test_stability_counts_the_share_near_the_threshold_per_week():
    # Week 1: 0.49 and 0.51 are within two points of 0.5, 0.1 is not; week 2 is empty.
    first = scores_frame([0.49, 0.51, 0.1])
    third = scores_frame([0.3], start=pd.Timestamp("2026-11-16", tz="UTC"))
    scores = pd.concat([first, third], ignore_index=True)

    stability = figures(scores, pd.DataFrame({"OOF_PROBABILITY": [0.3]}))["stability"]

    assert [r["period"] for r in stability] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert [r["volume"] for r in stability] == [3, 0, 1]
    assert stability[0]["near_threshold_share"] == pytest.approx(2 / 3)
    assert stability[0]["approval_rate"] == pytest.approx(2 / 3)
    assert stability[1]["approval_rate"] is None


def test_an_empty_window_gives_empty_figures_not_an_error():
    result = figures(scores_frame([]), pd.DataFrame({"OOF_PROBABILITY": [0.3]}))

    assert result["rows"] == 0 and result["score_psi"] is None and result["fairness"] is None
