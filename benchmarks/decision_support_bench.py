"""Latency of the advisor's decision-support services: what-if, counterfactual, population.

    .venv/bin/python benchmarks/decision_support_bench.py [--train-clients 6000]
        [--clients 12] [--repeats 5] [--artifact DIR] [--seed 0]

Creates its own database `creditscore_bench_decision_support` on the server of
DATABASE_URL (dropped at the end; it never touches another one), trains a
model on --train-clients synthetic clients (2 folds; or reuses --artifact),
registers it in a temporary storage, imports --clients other synthetic clients
with their history, then times each service per client (median over clients
x --repeats):

* baseline: what scoring one application costs in-process (the worker's
  path: tables from the database, features, predict, explain);
* what_if (before + after in one 2-row call) and its ratio to the baseline;
* counterfactual (the whole grid in one batched call): its time, grid size,
  ratio to the baseline, and the cost per candidate against what_if's;
* population: similar_clients on the first call of a process (reference
  sample read, matrix prepared) and cached, feature_distribution, bivariate.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "creditscore_bench_decision_support"


# Django must see the benchmark database before it loads the settings.
sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import (  # noqa: E402
    scratch_database,
    use_scratch_database,
)

use_scratch_database(BENCH_DATABASE)

import django  # noqa: E402


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def median_ms(seconds: list[float]) -> float:
    return 1000 * statistics.median(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train-clients", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--artifact", type=Path, help="reuse a trained artifact directory")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    with (
        scratch_database(BENCH_DATABASE),
        tempfile.TemporaryDirectory(prefix="decision-bench-") as scratch,
    ):
        return _run(args, Path(scratch))


def _run(args: argparse.Namespace, scratch: Path) -> int:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(scratch / "media")
    settings.MODEL_CACHE_DIR = scratch / "model-cache"
    call_command("migrate", verbosity=0)

    from clients.frames import tables_for_applications
    from clients.importer import import_homecredit_dir
    from clients.models import Application
    from explanations import population
    from ml.synthetic import generate, write_csvs
    from scoring.counterfactual import counterfactual
    from scoring.population import forget_population_references, population_reference
    from scoring.registry import active_scoring_model, model_version_register
    from scoring.what_if import what_if

    artifact = args.artifact
    if artifact is None:
        from ml.artifact import save_artifact
        from ml.train import train_model

        started = time.perf_counter()
        result = train_model(
            generate(args.train_clients, seed=args.seed + 1),
            folds=2,
            seed=args.seed,
            params={"learning_rate": 0.1},
            progress=lambda message: None,
        )
        artifact = save_artifact(result, scratch / "model")
        print(f"trained on {args.train_clients} clients in {time.perf_counter() - started:.0f} s")
    version = model_version_register(
        artifact_dir=artifact, activate=True, emergency_reason="benchmark: a scratch database"
    )
    _, model = active_scoring_model()

    clients_dir = scratch / "clients"
    write_csvs(generate(args.clients, seed=args.seed + 2), clients_dir)
    import_homecredit_dir(data_dir=clients_dir)
    applications = list(Application.objects.order_by("pk"))
    print(
        f"model {version.version}: {len(model.feature_names)} features, reference sample "
        f"{len(model.reference_sample())} rows; {len(applications)} clients with history\n"
    )

    def score_once(application: Application) -> None:
        features = model.features(tables_for_applications([application.pk]))
        model.predict(features)
        model.explain(features)

    baseline, what_ifs, counterfactuals, grid = [], [], [], 0
    statuses: dict[str, int] = {}
    for application in applications:
        changes = {"AMT_CREDIT": application.amt_credit * 0.8, "TERM_MONTHS": 48}
        score_once(application)  # warm the process
        for _ in range(args.repeats):
            baseline.append(timed(lambda a=application: score_once(a)))
            what_ifs.append(
                timed(lambda a=application, c=changes: what_if(application=a, changes=c))
            )
            started = time.perf_counter()
            outcome = counterfactual(application=application)
            counterfactuals.append(time.perf_counter() - started)
            grid = max(grid, outcome["grid"]["candidates"])
        statuses[outcome["status"]] = statuses.get(outcome["status"], 0) + 1

    base = median_ms(baseline)
    print(f"{'service':<44}{'median ms':>12}{'x baseline':>12}")
    rows = [
        ("baseline: score one application in-process", base),
        ("what_if (before + after, 2 rows)", median_ms(what_ifs)),
        (f"counterfactual (grid up to {grid} rows, 1 call)", median_ms(counterfactuals)),
    ]
    for name, figure in rows:
        print(f"{name:<44}{figure:>12.1f}{figure / base:>12.2f}")
    extra = median_ms(counterfactuals) - median_ms(what_ifs)
    print(
        f"\ncounterfactual beyond a what-if: {extra:.0f} ms for {grid} candidates "
        f"({extra / grid:.2f} ms each); {grid} separate what-ifs would take about "
        f"{grid * median_ms(what_ifs) / 1000:.0f} s"
    )
    print(f"counterfactual outcomes over the clients: {statuses}\n")

    sample = model.reference_sample()
    rows_of = [sample.iloc[i] for i in range(0, len(sample), max(1, len(sample) // 50))]
    forget_population_references()
    first = timed(
        lambda: population.similar_clients(
            reference=population_reference(version), features_row=rows_of[0]
        )
    )
    cached = [
        timed(
            lambda r=row: population.similar_clients(
                reference=population_reference(version), features_row=r
            )
        )
        for row in rows_of
    ]
    feature = population.comparable_features(reference=population_reference(version), top=1)[0][
        "feature"
    ]
    distribution = [
        timed(
            lambda r=row: population.feature_distribution(
                reference=population_reference(version), feature=feature, client_value=r[feature]
            )
        )
        for row in rows_of
    ]
    numeric = [
        f["feature"]
        for f in population.comparable_features(reference=population_reference(version), top=10)
        if f["kind"] == "numeric"
    ]
    scatter = [
        timed(
            lambda r=row: population.bivariate(
                reference=population_reference(version),
                x=numeric[0],
                y=numeric[1],
                client_values=dict(r),
            )
        )
        for row in rows_of
    ]
    print(f"{'population service':<52}{'ms':>10}")
    print(f"{'similar_clients, first call (sample read, prepared)':<52}{1000 * first:>10.1f}")
    print(f"{'similar_clients, cached (median)':<52}{median_ms(cached):>10.2f}")
    print(f"{'  first / cached':<52}{first / statistics.median(cached):>10.0f}")
    print(f"{'feature_distribution ' + feature + ' (median)':<52}{median_ms(distribution):>10.2f}")
    print(f"{'bivariate, 2000 points (median)':<52}{median_ms(scatter):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
