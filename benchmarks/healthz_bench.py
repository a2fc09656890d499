"""/healthz under a few polling loops: does it still leave the web workers to the pages?

    .venv/bin/python benchmarks/healthz_bench.py [--loops 4] [--seconds 15] [--workers 2]
        [--artifact DIR] [--train-clients 1500] [--seed 0]

Sets up a throwaway database `cs_bench_healthz_<pid>` on the server of DATABASE_URL
(migrated, a model registered and active: trained here on synthetic clients, 2 folds,
unless --artifact names one), then runs gunicorn (`creditscore.wsgi`, local settings
without DEBUG, --workers sync workers, as `make demo` serves) on a free loopback port,
with no Celery worker: the health report's ping then waits its full
HEALTHZ_WORKER_TIMEOUT (1 s) each time it is computed, the worst case the issue
describes. For --seconds, --loops threads call /healthz back to back while one more
thread asks for the login page every 0.2 s, as a person would.

Twice, in this order, with everything else equal:

- baseline: `HEALTHZ_CACHE_SECONDS=0`, every call computes the whole report (database,
  broker, worker ping, model loaded and its files hashed again): what /healthz did
  before the cache;
- cached: the default `HEALTHZ_CACHE_SECONDS` (5): each web process computes the report
  at most every 5 s, and serves it meanwhile.

Printed: /healthz calls per second and their latency, and the login page's latency and
how many of its requests got through. Timings are never asserted. Everything it started
is stopped and the database dropped at the end, also on Ctrl-C or error.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from benchmarks.scratch_database import (  # noqa: E402
    database_url,
    scratch_database,
    use_scratch_database,
)

BENCH_DATABASE = f"cs_bench_healthz_{os.getpid()}"
use_scratch_database(BENCH_DATABASE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def get(url: str, timeout: float = 60.0) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return time.perf_counter() - started, status


def set_up(args: argparse.Namespace, scratch: Path) -> str:
    """Migrate the scratch database and register an active model; returns where it came from."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    settings.MEDIA_ROOT = str(scratch / "media")
    settings.MODEL_CACHE_DIR = scratch / "model-cache"
    artifact = args.artifact
    origin = f"from {artifact}"
    if artifact is None:
        from ml.artifact import save_artifact
        from ml.synthetic import generate
        from ml.train import train_model

        started = time.perf_counter()
        result = train_model(
            generate(args.train_clients, seed=args.seed),
            folds=2,
            seed=args.seed,
            params={"learning_rate": 0.15},
            progress=lambda message: None,
        )
        artifact = save_artifact(result, scratch / "model")
        origin = f"trained here on {args.train_clients} synthetic clients in " + (
            f"{time.perf_counter() - started:.0f} s"
        )
    from scoring.registry import model_version_register

    model_version_register(
        artifact_dir=artifact, activate=True, emergency_reason="benchmark: a scratch database"
    )
    from django.db import connections

    connections.close_all()
    return origin


def serve(*, port: int, workers: int, cache_seconds: float, scratch: Path, log) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="creditscore.settings.local",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DATABASE_URL=database_url(BENCH_DATABASE),
        MEDIA_ROOT=str(scratch / "media"),
        MODEL_CACHE_DIR=str(scratch / f"model-cache-{port}"),
        HEALTHZ_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "creditscore.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--no-control-socket",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            if get(f"{url}/accounts/login/", timeout=5)[1] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure(url: str, *, loops: int, seconds: float) -> dict:
    """`loops` threads polling /healthz and one asking for the login page every 0.2 s."""
    stop_at = time.monotonic() + seconds
    health: list[float] = []
    statuses: dict[int, int] = {}
    login: list[float] = []
    lock = threading.Lock()

    def poll_health() -> None:
        while time.monotonic() < stop_at:
            took, status = get(f"{url}/healthz")
            with lock:
                health.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    def read_login() -> None:
        while time.monotonic() < stop_at:
            took, _status = get(f"{url}/accounts/login/")
            login.append(took)
            time.sleep(max(0.0, 0.2 - took))

    threads = [threading.Thread(target=poll_health) for _ in range(loops)]
    threads.append(threading.Thread(target=read_login))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "health_rate": len(health) / elapsed,
        "health_p50": statistics.median(health) if health else float("nan"),
        "health_p95": percentile(health, 0.95),
        "statuses": statuses,
        "login_n": len(login),
        "login_p50": statistics.median(login) if login else float("nan"),
        "login_p95": percentile(login, 0.95),
        "login_max": max(login) if login else float("nan"),
        "elapsed": elapsed,
    }


def run(args: argparse.Namespace) -> None:
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="healthz-bench-") as folder:
        scratch = Path(folder)
        origin = set_up(args, scratch)
        print(f"model: {origin}; no Celery worker (each report waits 1 s for its ping)")
        results = {}
        for name, cache_seconds in (("baseline: no cache", 0), ("cached (5 s)", 5)):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            with open(scratch / f"gunicorn-{port}.log", "wb") as log:
                process = serve(
                    port=port,
                    workers=args.workers,
                    cache_seconds=cache_seconds,
                    scratch=scratch,
                    log=log,
                )
                try:
                    wait_until_serving(url, process)
                    # Warm up: each worker loads the model once, outside the measure.
                    for _ in range(args.workers * 2):
                        get(f"{url}/healthz")
                    results[name] = measure(url, loops=args.loops, seconds=args.seconds)
                finally:
                    stop(process)
        load_end = os.getloadavg()

    print()
    print(
        f"{args.loops} loops polling /healthz for {args.seconds:g} s, gunicorn "
        f"{args.workers} sync workers; the login page asked every 0.2 s meanwhile"
    )
    header = (
        f"{'':<20} {'healthz/s':>10} {'p50 ms':>8} {'p95 ms':>8}   "
        f"{'login n':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  statuses"
    )
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(
            f"{name:<20} {r['health_rate']:>10.1f} {1000 * r['health_p50']:>8.0f} "
            f"{1000 * r['health_p95']:>8.0f}   {r['login_n']:>7} "
            f"{1000 * r['login_p50']:>8.0f} {1000 * r['login_p95']:>8.0f} "
            f"{1000 * r['login_max']:>8.0f}  {r['statuses']}"
        )
    print(
        f"load average (1, 5, 15 min) at the start {tuple(round(x, 1) for x in load_start)}, "
        f"at the end {tuple(round(x, 1) for x in load_end)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loops", type=int, default=4, help="threads polling /healthz")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each measure")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--artifact", type=Path, help="reuse a trained artifact directory")
    parser.add_argument("--train-clients", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with scratch_database(BENCH_DATABASE):
        run(args)


if __name__ == "__main__":
    main()
