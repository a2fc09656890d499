"""How much of a client's score the shown explanation accounts for: features before, facts after.

    .venv/bin/python benchmarks/explanation_coverage.py [--clients 5000] [--test-clients 500]
        [--folds 3] [--seed 42] [--artifact DIR] [--top 10]

Builds what `make demo` builds (`--clients` synthetic clients plus `--test-clients` new
applications, seed 42, a model trained on the clients with 3 folds; or reuses
`--artifact`), explains every one of its clients with the model, and compares, on the
same SHAP values:

* before (issue 9): the explanation by feature, as the dashboard drew it: the `--top`
  strongest features, then "All other factors"; and the reasons said feature by feature
  (the 3 strongest per direction, one per topic, `explanations.reasons.core._explain`);
* after: the explanation by client fact (explanations/facts.py, `explanation_body`): the
  `--top` strongest facts (and every fact given as a reason), then the other facts.

The share of the distance from the average client explained by the shown bars, two ways:

* drawn  = Σ|shown bars| / (Σ|shown bars| + |other bar|): the part of the waterfall's
  path (from the average client to this client) that named bars draw, the rest being the
  "other factors" bar. This is the figure the issue asks about ("all other factors" was
  the biggest bar) and the payload's `share_explained`.
* strict = Σ|shown bars| / Σ|every unit|, units being features before and facts after:
  it counts what the other bar hides when its members cancel out.

Also: how often "other factors" is the biggest bar, and how often the reasons give one
client fact in both columns ("raises" and "lowers"), before and after. Prints medians
over all the clients; asserts nothing. Needs no database.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditscore.settings.test")

import django  # noqa: E402


def shares(units: list[float], shown: int) -> tuple[float, float, bool]:
    """(drawn, strict, other is the biggest bar) when the `shown` strongest units are drawn."""
    ordered = sorted(units, key=abs, reverse=True)
    bars, rest = ordered[:shown], ordered[shown:]
    drawn = math.fsum(abs(bar) for bar in bars)
    other = abs(math.fsum(rest))
    total = math.fsum(abs(unit) for unit in units)
    return (
        drawn / (drawn + other) if drawn + other else 1.0,
        drawn / total if total else 1.0,
        bool(bars) and other > max(abs(bar) for bar in bars),
    )


def reasons_by_feature(contributions: dict[str, float], values: dict, top: int = 3):
    """The reasons as issue 9 found them: feature by feature, one per topic and direction.

    Returns {True: [feature, ...] raising, False: [...] lowering}.
    """
    from explanations.reasons.core import MIN_CONTRIBUTION, OMITTED_FROM_REASONS, _explain

    said: dict[bool, list[str]] = {True: [], False: []}
    topics: dict[bool, set[str]] = {True: set(), False: set()}
    for feature, contribution in sorted(contributions.items(), key=lambda kv: -abs(kv[1])):
        if abs(contribution) < MIN_CONTRIBUTION:
            break
        if feature in OMITTED_FROM_REASONS:
            continue
        raising = contribution > 0
        if len(said[raising]) >= top:
            if len(said[not raising]) >= top:
                break
            continue
        _sentence, topic = _explain(feature, contribution, values)
        if topic in topics[raising]:
            continue
        topics[raising].add(topic)
        said[raising].append(feature)
    return said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--test-clients", type=int, default=500)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--artifact", type=Path, help="reuse a trained artifact directory")
    parser.add_argument("--top", type=int, default=10, help="bars drawn (the dashboard's default)")
    args = parser.parse_args()
    django.setup()

    import numpy as np
    import pandas as pd
    from django.utils import translation

    from explanations import facts
    from explanations.payload import explanation_body
    from explanations.reasons import REASONS_PER_DIRECTION
    from ml.artifact import save_artifact, to_json_safe
    from ml.predict import load_model
    from ml.synthetic import generate
    from ml.train import train_model

    started = time.perf_counter()
    load = os.getloadavg()[0]
    tables = generate(args.clients, seed=args.seed, test_clients=args.test_clients)
    print(f"generated {args.clients} + {args.test_clients} clients", flush=True)
    with tempfile.TemporaryDirectory(prefix="explanation-coverage-") as scratch:
        artifact = args.artifact
        if artifact is None:
            training = {name: frame for name, frame in tables.items() if name != "application_test"}
            result = train_model(training, folds=args.folds, seed=0, progress=lambda _m: None)
            artifact = save_artifact(result, Path(scratch) / "model")
            print(f"trained a model ({args.folds} folds)", flush=True)
        model = load_model(artifact)
        applications = [tables["application"].drop(columns=["TARGET"])]
        if "application_test" in tables:
            applications.append(tables["application_test"])
        every = dict(tables)
        every.pop("application_test", None)
        every["application"] = pd.concat(applications, ignore_index=True)
        explained = model.explain(model.features(every))

    def probability_of(raw: float) -> float:
        return float(model.probability_from_raw(np.asarray([raw]))[0])

    before: dict[str, list[float]] = {"drawn": [], "strict": [], "other": [], "both": []}
    after: dict[str, list[float]] = {"drawn": [], "strict": [], "other": [], "both": []}
    # The reasons' share: Σ|units said| / Σ|every unit| (features before, facts after).
    reasons_before: list[float] = []
    reasons_after: list[float] = []
    seconds: list[float] = []
    values_rows = explained.feature_values.to_dict("records")
    with translation.override("en"):
        for position, (_, row) in enumerate(explained.contributions.iterrows()):
            contributions = {name: float(value) for name, value in row.items() if value != 0.0}
            values = {name: to_json_safe(value) for name, value in values_rows[position].items()}
            features = list(contributions.values())
            drawn, strict, other = shares(features, args.top)
            before["drawn"].append(drawn)
            before["strict"].append(strict)
            before["other"].append(other)
            said = reasons_by_feature(contributions, values, REASONS_PER_DIRECTION)
            absent = facts.absent_histories(values)
            fact_of = {side: {facts.client_fact_of(f, absent) for f in said[side]} for side in said}
            before["both"].append(bool(fact_of[True] & fact_of[False]))
            spoken = math.fsum(abs(contributions[f]) for side in said.values() for f in side)
            reasons_before.append(spoken / math.fsum(abs(unit) for unit in features))

            tick = time.perf_counter()
            body = explanation_body(
                contributions=contributions,
                feature_values=values,
                base_value=explained.base_value,
                raw_score=float(explained.raw_score[position]),
                language="en",
                top=args.top,
                probability_of=probability_of,
            )
            seconds.append(time.perf_counter() - tick)
            grouped = [fact.contribution for fact in facts.facts_of_client(contributions, values)]
            listed = [abs(row["contribution"]) for row in body["facts"]]
            other = abs(body["other_facts"]["contribution"])
            after["drawn"].append(body["share_explained"])  # the payload's own figure
            after["strict"].append(math.fsum(listed) / math.fsum(abs(unit) for unit in grouped))
            after["other"].append(bool(listed) and other > max(listed))
            raising = {r["key"] for r in body["facts"] if r["is_reason"] and r["contribution"] > 0}
            lowering = {r["key"] for r in body["facts"] if r["is_reason"] and r["contribution"] < 0}
            after["both"].append(bool(raising & lowering))
            spoken = math.fsum(abs(r["contribution"]) for r in body["facts"] if r["is_reason"])
            reasons_after.append(spoken / math.fsum(abs(unit) for unit in grouped))

    clients = len(before["drawn"])

    def median(values: list[float]) -> str:
        return f"{100 * statistics.median(values):5.1f} %"

    def rate(values: list[float]) -> str:
        return f"{100 * sum(values) / len(values):5.1f} %"

    print()
    print(
        f"{clients} clients of a demo-like model ({len(model.feature_names)} features, "
        f"{len(facts.facts())} facts), waterfall of {args.top} bars"
    )
    print(f"{'':58s} {'before':>9s} {'after':>9s}")
    print(f"{'  (features)':58s} {'':>9s} {'(facts)':>9s}")
    rows = [
        ("median share drawn by the waterfall's named bars", before["drawn"], after["drawn"]),
        ("median share of all |contributions| in named bars", before["strict"], after["strict"]),
    ]
    for label, old, new in rows:
        print(f"{label:58s} {median(old):>9s} {median(new):>9s}")
    print(
        f"{'median share of all |contributions| said in the reasons':58s} "
        f"{median(reasons_before):>9s} {median(reasons_after):>9s}"
    )
    print(
        f"{'clients whose biggest bar is the other factors':58s} "
        f"{rate(before['other']):>9s} {rate(after['other']):>9s}"
    )
    print(
        f"{'clients with a fact in both columns of the reasons':58s} "
        f"{rate(before['both']):>9s} {rate(after['both']):>9s}"
    )
    print(
        f"\nexplanation_body (facts, sentences, points): median "
        f"{1000 * statistics.median(seconds):.1f} ms per client"
    )
    print(
        f"total {time.perf_counter() - started:.0f} s; load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
