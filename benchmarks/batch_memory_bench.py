"""Peak memory and wall time of the worker's batch scoring (`batch_job_run`) on a large CSV.

    .venv/bin/python benchmarks/batch_memory_bench.py [--rows 200000] [--train-clients 1500]
        [--seed 0]

Builds, in a temporary folder (deleted at the end):
- applications.csv: `--rows` rows, the 30,752 real rows of
  ../shared/data/homecredit/gitadum__credit_risk_rating/application_train.csv.gz
  repeated with fresh SK_ID_CURR values and without their TARGET column (the
  schema of application_test.csv, what an integration uploads); the synthetic
  generator's rows when the real samples are absent;
- a model trained on `--train-clients` synthetic clients (2 folds), registered
  and active in a scratch database `creditscore_bench_batch_memory` on the
  server of DATABASE_URL (dropped at the end; it never touches another one);
- a BatchJob holding the file in a temporary storage, as `batch_job_create`
  leaves it (nothing queued).

Then, in a fresh Python process (the worker's part, nothing else in it):
- baseline: Django set up, `scoring.batch` imported and the job's model loaded
  (`scoring_model_for`): the peak RSS (getrusage ru_maxrss) of a process that
  does everything but the batch;
- batch: `batch_job_run(job_id)` in the same process: its wall and CPU time,
  the process's peak RSS after it, and the difference with the baseline (what
  the batch itself adds, the figure that grows with the file);
- the job's outcome (status, rows) and the sha256 of its results file without
  its model_version column, so two runs (before and after a change) can be
  checked to give the same results.

The load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "data" / "homecredit"
REAL_APPLICATIONS = SAMPLES / "gitadum__credit_risk_rating" / "application_train.csv.gz"
BENCH_DATABASE = "creditscore_bench_batch_memory"

# Django must see the benchmark database before it loads the settings (child included:
# it inherits DATABASE_URL from this environment).
sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import (  # noqa: E402
    scratch_database,
    use_scratch_database,
)

use_scratch_database(BENCH_DATABASE)

import django  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- The child: the worker's part -------------------------------------------------------------


def child(job_id: str) -> int:
    started = time.perf_counter()
    django.setup()
    from scoring import batch
    from scoring.models import BatchJob
    from scoring.registry import scoring_model_for

    job = BatchJob.objects.select_related("model_version").get(pk=job_id)
    assert job.model_version is not None
    scoring_model_for(job.model_version)  # cached: batch_job_run finds it loaded
    figures: dict[str, object] = {
        "baseline_peak_mb": peak_mb(),
        "baseline_wall_s": time.perf_counter() - started,
        "chunk_rows": batch.CHUNK_ROWS,
        "read_chunk_rows": getattr(batch, "READ_CHUNK_ROWS", None),  # absent: whole-file reads
    }
    cpu_before = cpu_s()
    started = time.perf_counter()
    job = batch.batch_job_run(job_id=job_id)
    figures |= {
        "batch_wall_s": time.perf_counter() - started,
        "batch_cpu_s": cpu_s() - cpu_before,
        "peak_mb": peak_mb(),
        "status": job.status,
        "error": job.error[:500],
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
    }
    if job.results:
        # Without the last column (the model's version, which differs between two runs'
        # models even when they are trained alike and score alike).
        digest = hashlib.sha256()
        with job.results.open("rb") as results:
            for line in results:
                digest.update(line.rsplit(b",", 1)[0] + b"\n")
        figures |= {"results_sha256": digest.hexdigest(), "results_bytes": job.results.size}
    print("FIGURES " + json.dumps(figures))
    return 0


# --- The parent: file, database, model, job ---------------------------------------------------


def build_file(out: Path, *, rows: int, seed: int) -> str:
    """`rows` application rows with fresh ids and no TARGET column; says where they came from."""
    if REAL_APPLICATIONS.is_file():
        with gzip.open(REAL_APPLICATIONS, "rb") as source:
            header, *lines = source.read().splitlines()
        origin = "real rows of application_train.csv.gz"
    else:
        from ml.synthetic import generate

        frame = generate(3000, seed=seed)["application_train"]
        header, *lines = frame.to_csv(index=False).encode().splitlines()
        origin = "synthetic rows (real samples absent)"
    names = header.split(b",")
    assert names[:2] == [b"SK_ID_CURR", b"TARGET"], names[:2]
    with out.open("wb") as file:
        file.write(b",".join(names[:1] + names[2:]) + b"\n")
        for n in range(rows):
            _, _, rest = lines[n % len(lines)].split(b",", 2)  # id, TARGET, the rest
            file.write(b"%d,%s\n" % (1_000_000 + n, rest))
    return origin


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min) / {five:.1f} (5 min)"


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--train-clients", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"Load average at the start: {load_average()} ({os.cpu_count()} cores)")
    with (
        tempfile.TemporaryDirectory(prefix="batch-memory-bench-") as folder,
        scratch_database(BENCH_DATABASE),
    ):
        return run(args, Path(folder))


def run(args: argparse.Namespace, scratch: Path) -> int:
    media, cache = scratch / "media", scratch / "model-cache"
    os.environ["MEDIA_ROOT"], os.environ["MODEL_CACHE_DIR"] = str(media), str(cache)
    csv_path = scratch / "applications.csv"
    origin = build_file(csv_path, rows=args.rows, seed=args.seed)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"applications.csv: {args.rows:,} rows, {size_mb:,.0f} MB ({origin}, fresh SK_ID_CURR)")

    django.setup()
    from django.core.files import File
    from django.core.management import call_command

    from accounts.models import User
    from ml.artifact import save_artifact
    from ml.synthetic import generate
    from ml.train import train_model
    from scoring.models import BatchJob
    from scoring.registry import model_version_register

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = train_model(
        generate(args.train_clients, seed=args.seed + 1),
        folds=2,
        seed=args.seed,
        params={"learning_rate": 0.15},
        progress=lambda message: None,
    )
    artifact = save_artifact(result, scratch / "model")
    version = model_version_register(
        artifact_dir=artifact, activate=True, emergency_reason="benchmark: a scratch database"
    )
    took = time.perf_counter() - started
    print(f"model {version.version} trained on {args.train_clients} clients in {took:.0f} s")
    user = User.objects.create_user(username="bench-integration")
    job = BatchJob(created_by=user, model_version=version, language="en")
    with csv_path.open("rb") as source:
        job.source.save(f"{job.id}/applications.csv", File(source), save=False)
    job.save()
    csv_path.unlink()  # the stored copy is the worker's

    from django.db import connections

    connections.close_all()
    worker = subprocess.run(
        [sys.executable, __file__, "--child", str(job.id)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    lines = [line for line in worker.stdout.splitlines() if line.startswith("FIGURES ")]
    if worker.returncode != 0 or not lines:
        print(worker.stdout[-3000:], worker.stderr[-3000:], sep="\n")
        return 1
    figures = json.loads(lines[-1].removeprefix("FIGURES "))
    report(figures, rows=args.rows)
    return 0 if figures["status"] == "done" else 1


def report(figures: dict, *, rows: int) -> None:
    base, peak = figures["baseline_peak_mb"], figures["peak_mb"]
    read = figures["read_chunk_rows"]
    print(
        f"\nworker process (fresh), scoring.batch.CHUNK_ROWS = {figures['chunk_rows']:,}, "
        f"READ_CHUNK_ROWS = {f'{read:,}' if read else 'none (the whole file)'}"
    )
    print(f"{'measurement':<52}{'wall s':>9}{'CPU s':>9}{'peak MB':>10}{'added MB':>10}")
    name = "baseline: Django, scoring.batch, the model loaded"
    print(f"{name:<52}{figures['baseline_wall_s']:>9.1f}{'':>9}{base:>10,.0f}{'':>10}")
    name = f"batch_job_run, {rows:,} rows"
    print(
        f"{name:<52}{figures['batch_wall_s']:>9.1f}{figures['batch_cpu_s']:>9.1f}"
        f"{peak:>10,.0f}{peak - base:>10,.0f}"
    )
    rate = rows / figures["batch_wall_s"]
    print(
        f"\njob: {figures['status']}, {figures['processed_rows']:,}/{figures['total_rows']:,} "
        f"rows, {rate:,.0f} rows/s"
    )
    if figures["error"]:
        print(f"error: {figures['error']}")
    if "results_sha256" in figures:
        print(
            f"results: {figures['results_bytes']:,} bytes, "
            f"sha256 without model_version {figures['results_sha256']}"
        )
    print(f"Load average at the end: {load_average()}")


if __name__ == "__main__":
    sys.exit(main())
