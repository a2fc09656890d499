import numpy as np
import pytest

from ml.threshold import bayes_threshold, choose_threshold, confusion_at, expected_cost

# Six clients, sorted by probability: refusing the k riskiest costs
# k=0: 3 FN -> 30; k=1: 20; k=2: 10; k=3 (adds a good client): 10 + 1 = 11;
# k=4: 0 FN + 1 FP -> 1; k=5: 2; k=6: 3. Best: refuse p >= 0.3, cost 1.
Y = np.array([0, 0, 1, 0, 1, 1])
P = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.9])


def test_the_hand_computed_optimum_is_found():
    choice = choose_threshold(Y, P, cost_fn=10, cost_fp=1)

    assert 0.2 < choice.threshold <= 0.3
    assert choice.threshold == pytest.approx(0.25)  # midpoint of the winning interval
    assert choice.cost == 1
    assert choice.confusion.as_dict() == {"tn": 2, "fp": 1, "fn": 0, "tp": 3}
    assert choice.refusal_rate == pytest.approx(4 / 6)


def test_costs_at_half_and_refusing_nobody_are_reported_in_total_and_per_client():
    choice = choose_threshold(Y, P, cost_fn=10, cost_fp=1)

    assert choice.cost_at_05 == 10  # the defaulter at 0.3 is granted
    assert choice.cost_refuse_nobody == 30
    assert choice.cost_per_client == pytest.approx(1 / 6)
    assert choice.cost_at_05_per_client == pytest.approx(10 / 6)
    assert choice.cost_refuse_nobody_per_client == pytest.approx(5.0)


def test_cost_weights_move_the_threshold():
    # Now a wrongly refused good client costs 10, a missed defaulter 1:
    # k=2 (refuse 0.9 and 0.6) costs 1 FN = 1, the cheapest.
    choice = choose_threshold(Y, P, cost_fn=1, cost_fp=10)

    assert 0.4 < choice.threshold <= 0.6
    assert choice.cost == 1
    assert choice.threshold > choose_threshold(Y, P, cost_fn=10, cost_fp=1).threshold


def test_the_search_is_exact_against_brute_force():
    rng = np.random.default_rng(3)
    proba = np.round(rng.beta(1, 8, size=3000), 3)  # many ties
    y = (rng.random(3000) < proba).astype(int)

    choice = choose_threshold(y, proba, cost_fn=10, cost_fp=1)

    candidates = np.append(np.unique(proba), 1.1)
    brute = min(expected_cost(y, proba, t, cost_fn=10, cost_fp=1) for t in candidates)
    assert choice.cost == brute
    assert expected_cost(y, proba, choice.threshold, cost_fn=10, cost_fp=1) == brute


def test_tied_probabilities_are_never_split():
    y = np.array([1, 0, 0, 0])
    proba = np.array([0.5, 0.5, 0.1, 0.1])

    choice = choose_threshold(y, proba, cost_fn=10, cost_fp=1)

    # Refusing the two clients at 0.5 (cost 1) beats granting them (cost 10).
    assert choice.cost == 1
    assert confusion_at(y, proba, choice.threshold).tp == 1


def test_nobody_is_refused_when_every_client_repays():
    y = np.zeros(5, dtype=int)
    proba = np.array([0.1, 0.2, 0.3, 0.4, 0.5])

    choice = choose_threshold(y, proba)

    assert choice.threshold > 0.5
    assert choice.cost == 0
    assert choice.refusal_rate == 0


def test_the_bayes_threshold_of_ten_to_one_is_one_eleventh():
    assert bayes_threshold(cost_fn=10, cost_fp=1) == pytest.approx(1 / 11)


def test_calibrated_probabilities_give_a_threshold_near_the_bayes_one():
    rng = np.random.default_rng(0)
    proba = rng.beta(1, 10, size=200_000)
    y = (rng.random(len(proba)) < proba).astype(int)

    choice = choose_threshold(y, proba, cost_fn=10, cost_fp=1)

    assert choice.threshold == pytest.approx(1 / 11, abs=0.01)


@pytest.mark.parametrize(
    ("y", "proba", "message"),
    [
        ([0, 1], [0.1, np.nan], "NaN"),
        ([0, 2], [0.1, 0.2], "only 0 and 1"),
        ([0, 1, 1], [0.1, 0.2], "same length"),
        ([], [], "no rows"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(y, proba, message):
    with pytest.raises(ValueError, match=message):
        choose_threshold(np.array(y), np.array(proba))


def test_negative_cost_weights_are_refused():
    with pytest.raises(ValueError, match="cost weights"):
        choose_threshold(Y, P, cost_fn=-1, cost_fp=1)
