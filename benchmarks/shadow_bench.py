"""The champion's scoring throughput with and without a challenger in shadow, in one run.

    .venv/bin/python benchmarks/shadow_bench.py [--train-clients 4000] [--clients 2000]
        [--chunk 500] [--singles 40] [--rounds 3] [--seed 0]

Creates its own database `creditscore_bench_shadow` on the server of
DATABASE_URL (dropped at the end; it never touches another one), trains a
champion and a challenger (2 folds each) on --train-clients synthetic clients,
imports --clients other synthetic clients with their history, then times the
worker's own service, `scoring.services.scores_compute`, in two shapes:

* chunks of --chunk applications (`score_applications`, the demo, a re-score
  after an activation): applications per second;
* one application per call (the Celery task of a score asked from a page or
  the API): milliseconds per score, median over --singles applications.

Each shape runs without a challenger and with one in shadow, alternately,
--rounds times (scores deleted between runs, so each run computes and
stores everything). Beside the difference it prints the challenger's own
model call on the same rows (features already built: its predict only),
which is what shadow scoring may cost at most (issue 13).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "creditscore_bench_shadow"

sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import (  # noqa: E402
    scratch_database,
    use_scratch_database,
)

use_scratch_database(BENCH_DATABASE)

import django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train-clients", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--singles", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with scratch_database(BENCH_DATABASE), tempfile.TemporaryDirectory(prefix="shadow-") as tmp:
        return _run(args, Path(tmp))


def _train(tables, out: Path, seed: int, params: dict) -> Path:
    from ml.artifact import save_artifact
    from ml.train import train_model

    result = train_model(tables, folds=2, seed=seed, params=params, progress=lambda m: None)
    return save_artifact(result, out)


def _run(args: argparse.Namespace, scratch: Path) -> int:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(scratch / "media")
    settings.MODEL_CACHE_DIR = scratch / "model-cache"
    call_command("migrate", verbosity=0)

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from clients.frames import tables_for_applications
    from clients.importer import import_homecredit_dir
    from clients.models import Application
    from ml.features import build_features
    from ml.synthetic import generate, write_csvs
    from scoring.governance import model_version_shadow_start, model_version_shadow_stop
    from scoring.models import ModelVersion, Score, ShadowScore
    from scoring.registry import model_version_register, scoring_model_for
    from scoring.services import _scores_for, scores_compute  # noqa: PLC2701 - the worker's path

    started = time.perf_counter()
    training = generate(args.train_clients, seed=args.seed + 1)
    champion_dir = _train(training, scratch / "champion", args.seed, {"learning_rate": 0.1})
    challenger_dir = _train(
        training, scratch / "challenger", args.seed + 1, {"learning_rate": 0.1, "num_leaves": 15}
    )
    print(
        f"trained two models on {args.train_clients} clients "
        f"in {time.perf_counter() - started:.0f} s"
    )
    champion = model_version_register(
        artifact_dir=champion_dir, activate=True, emergency_reason="benchmark: a scratch database"
    )
    challenger = model_version_register(artifact_dir=challenger_dir)
    created = user_create(username="bench-staff", password="bench-only-password-1", role=Role.STAFF)
    staff = User.objects.get(pk=created.pk)  # permissions read afresh

    clients_dir = scratch / "clients"
    write_csvs(generate(args.clients, seed=args.seed + 2), clients_dir)
    import_homecredit_dir(data_dir=clients_dir)
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
    champion_model, challenger_model = scoring_model_for(champion), scoring_model_for(challenger)
    print(
        f"champion {champion.version}, challenger {challenger.version}; "
        f"{len(ids):,} clients with history\n"
    )

    def reset() -> None:
        ShadowScore.objects.all().delete()
        Score.objects.all().delete()

    def shadow(on: bool) -> None:
        version = ModelVersion.objects.get(pk=challenger.pk)
        if on and not version.is_shadow:
            model_version_shadow_start(version=version, started_by=staff, reason="benchmark run")
        if not on and version.is_shadow:
            model_version_shadow_stop(version=version, stopped_by=staff, reason="benchmark run")

    def chunks_run() -> float:
        reset()
        begun = time.perf_counter()
        for first in range(0, len(ids), args.chunk):
            scores = _scores_for(version=champion, application_ids=ids[first : first + args.chunk])
            scores_compute(score_ids=[str(score.pk) for score in scores])
        return len(ids) / (time.perf_counter() - begun)

    singles = ids[: args.singles]

    def singles_run() -> float:
        reset()
        times = []
        for sk_id in singles:
            (score,) = _scores_for(version=champion, application_ids=[sk_id])
            begun = time.perf_counter()
            scores_compute(score_ids=[str(score.pk)])
            times.append(time.perf_counter() - begun)
        return 1000 * statistics.median(times)

    results: dict[tuple[str, bool], list[float]] = {}
    for round_ in range(args.rounds):
        for on in (False, True) if round_ % 2 == 0 else (True, False):
            shadow(on)
            results.setdefault(("chunks", on), []).append(chunks_run())
            results.setdefault(("singles", on), []).append(singles_run())
    shadow(False)
    stored = ShadowScore.objects.count()

    # The challenger's own model call on the same rows, features built once (as the worker does).
    chunk_features = build_features(tables_for_applications(ids[: args.chunk]))
    one_features = build_features(tables_for_applications(ids[:1]))

    def predict_ms(model, features, repeats: int = 20) -> float:
        frame = features.reindex(columns=model.feature_names)
        times = []
        for _ in range(repeats):
            begun = time.perf_counter()
            model.predict(frame)
            times.append(time.perf_counter() - begun)
        return 1000 * statistics.median(times)

    chunk_predict = predict_ms(challenger_model, chunk_features)
    one_predict = predict_ms(challenger_model, one_features)
    champion_chunk_predict = predict_ms(champion_model, chunk_features)

    def median(values: list[float]) -> float:
        return statistics.median(values)

    off, on = median(results[("chunks", False)]), median(results[("chunks", True)])
    chunk_seconds_off = args.chunk / off * 1000
    chunk_seconds_on = args.chunk / on * 1000
    print(f"chunks of {args.chunk} ({args.rounds} runs each, alternated; median):")
    print(
        f"  champion alone            {off:8,.0f} applications/s "
        f"({chunk_seconds_off:6.0f} ms a chunk)"
    )
    print(
        f"  with a challenger         {on:8,.0f} applications/s "
        f"({chunk_seconds_on:6.0f} ms a chunk)"
    )
    print(
        f"  cost of shadow            {chunk_seconds_on - chunk_seconds_off:+8.1f} ms a chunk "
        f"({(off - on) / off:+.1%} throughput)"
    )
    print(
        f"  challenger's predict      {chunk_predict:8.1f} ms a chunk "
        f"(champion's: {champion_chunk_predict:.1f} ms)"
    )
    s_off, s_on = median(results[("singles", False)]), median(results[("singles", True)])
    print(f"\none application per call (median over {len(singles)}, {args.rounds} runs each):")
    print(f"  champion alone            {s_off:8.1f} ms a score")
    print(f"  with a challenger         {s_on:8.1f} ms a score")
    print(f"  cost of shadow            {s_on - s_off:+8.1f} ms a score")
    print(f"  challenger's predict      {one_predict:8.2f} ms a score")
    print(f"\nshadow scores stored in the last run with a challenger: {stored:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
