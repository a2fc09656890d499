"""`make load`: sixty seconds of mixed traffic through gunicorn and a Celery worker on loopback.

    .venv/bin/python benchmarks/load/run.py [--users 12] [--seconds 60] [--warm-up 30]
        [--clients 50000] [--web-workers 2] [--threads 4] [--rebuild]

1. A scratch database `cs_load_scratch` on the server of DATABASE_URL, built
   once and reused by later runs (`--rebuild` starts it again): N synthetic
   clients with their history (`python -m ml.synthetic`, `import_homecredit`),
   a model (`train_model --folds 2 --emergency --reason ...`: a scratch
   database has no second person to approve it), some of the clients scored
   (`score_applications --limit`), the demo users. The model artifacts and a
   marker saying the build finished live in benchmarks/.cache/load/.
2. gunicorn (production settings over plain HTTP on 127.0.0.1, a throwaway
   secret key, gthread workers) and one Celery worker on a queue of this run.
3. locust headless (its own process: it monkey-patches with gevent) with the
   users of benchmarks/load/locustfile.py: advisors (portfolio with filters,
   client pages), an integration system (applications, explanations,
   `POST .../score`, `/api/v1/predict`) and a client on the portal. First a
   warm-up run of --warm-up seconds (model loading, caches), then the
   resident memory (RSS) of the web and worker processes, then the measured
   run of --seconds, then RSS again.

Prints requests/s, p50/p95/p99 per kind of request, the errors, RSS at both
moments, the load average, and ends with `N requests, E errors`; exits 1 if
any request failed (warm-up included). Every process it starts is stopped at
the end, also on Ctrl-C or error; every wait is bounded in time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402

from benchmarks.scoring_bench import (  # noqa: E402
    HOST,
    Services,
    call,
    expect,
    free_port,
    manage,
    say,
    tail,
    wait_for_http,
    wait_for_worker,
)

PYTHON = sys.executable
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditscore")
DATABASE = "cs_load_scratch"
CACHE = REPO / "benchmarks" / ".cache" / "load"
RUN = f"cs_load_{os.getpid()}"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
SCORED_CLIENTS = 3000  # scored at build time: explanations to read, score filters to apply
SETUP_PASSWORD_FILE = CACHE / "password"
READY = CACHE / "ready.json"
MAX_USERS = 200
MAX_SECONDS = 600


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


def base_env(redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(
        DATABASE_URL=database_url(DATABASE),
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        CELERY_RESULT_BACKEND=redis_url,
        SCORING_QUEUE=RUN,
        CACHE_KEY_PREFIX=RUN,
        DJANGO_DEBUG="False",
        MEDIA_ROOT=str(CACHE / "media"),
        MODEL_ARTIFACTS_DIR=str(CACHE / "artifacts"),
        MODEL_CACHE_DIR=str(CACHE / "model-cache"),
        PYTHONUNBUFFERED="1",
        OMP_WAIT_POLICY="PASSIVE",
    )
    return env


def setup_env(redis_url: str) -> dict[str, str]:
    """Local settings: create_demo_users refuses the production ones."""
    env = base_env(redis_url)
    env["DJANGO_SETTINGS_MODULE"] = "creditscore.settings.local"
    env["CELERY_TASK_ALWAYS_EAGER"] = "False"
    return env


def serve_env(redis_url: str, tmp: Path) -> dict[str, str]:
    """Production settings, but plain HTTP: loopback has no TLS in front."""
    env = base_env(redis_url)
    env.update(
        DJANGO_SETTINGS_MODULE="creditscore.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SSL_REDIRECT="False",
        DJANGO_SECURE_COOKIES="False",
        DJANGO_HSTS_SECONDS="0",
        STATIC_ROOT=str(tmp / "static"),
        # The figures are the application's, not the throttle's: one integration user
        # sends everything here, as a whole partner system would share one account.
        API_THROTTLE_RATE="1000000/minute",
        API_PREDICT_THROTTLE_RATE="1000000/minute",
    )
    return env


def database_ready(clients: int) -> bool:
    """Whether the database is the one this checkout built (another checkout may rebuild it:
    the demo users' password and the model's artifacts would then be someone else's)."""
    if not READY.is_file():
        return False
    try:
        built = json.loads(READY.read_text())
        with psycopg.connect(database_url(DATABASE), connect_timeout=10) as connection:
            (count,) = connection.execute("SELECT count(*) FROM application").fetchone()
            (build,) = connection.execute("SELECT id FROM load_build").fetchone()
    except (OSError, ValueError, TypeError, psycopg.Error):
        return False
    return built.get("clients") == clients and count >= clients and build == built.get("id")


def build_database(*, clients: int, env: dict[str, str]) -> None:
    """The scratch database from nothing: about ten minutes on a loaded 2-core machine."""
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    log = CACHE / "setup.log"
    data_dir = Path(tempfile.mkdtemp(prefix="cs_load_data_"))
    try:
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "-m", "ml.synthetic", "--clients", str(clients), "--out", str(data_dir)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=True, timeout=1800,
        )  # fmt: skip
        say(f"synthetic data ({clients:,} clients): {time.perf_counter() - started:.0f} s")
        manage(["migrate", "--noinput"], env=env, log=log)
        manage(["import_homecredit", str(data_dir)], env=env, log=log)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    manage(
        ["train_model", "--folds", "2", "--out", str(CACHE / "artifacts" / "load"),
         "--emergency", "--reason", "load test: a scratch database"],
        env=env, log=log,
    )  # fmt: skip
    manage(["score_applications", "--limit", str(SCORED_CLIENTS)], env=env, log=log)
    password = secrets.token_urlsafe(16)
    manage(["create_demo_users", "--password", password], env=env, log=log)
    SETUP_PASSWORD_FILE.write_text(password)
    build = secrets.token_hex(8)
    with psycopg.connect(database_url(DATABASE), autocommit=True) as connection:
        connection.execute("CREATE TABLE load_build (id text NOT NULL)")
        connection.execute("INSERT INTO load_build VALUES (%s)", [build])
        connection.execute("VACUUM ANALYZE")
    READY.write_text(json.dumps({"clients": clients, "built": time.strftime("%F %T"), "id": build}))


def targets() -> dict[str, list[int]]:
    """Ids the simulated users open: the advisor's clients, scored ones, never-scored ones."""
    with psycopg.connect(database_url(DATABASE)) as connection:

        def ids(sql: str) -> list[int]:
            return [row[0] for row in connection.execute(sql).fetchall()]

        mine = "a.advisor_id = (SELECT id FROM accounts_user WHERE username = 'advisor')"
        return {
            "advisor_clients": ids(f"SELECT sk_id_curr FROM application a WHERE {mine} LIMIT 2000"),
            "scored": ids(
                "SELECT DISTINCT a.sk_id_curr FROM application a JOIN scoring_score s "
                "ON s.application_id = a.sk_id_curr "
                f"WHERE s.status = 'done' AND {mine} LIMIT 2000"
            ),
            "any": ids("SELECT sk_id_curr FROM application ORDER BY random() LIMIT 5000"),
        }


# --- Resident memory ------------------------------------------------------------


def rss_by_service(services: Services) -> dict[str, list[tuple[int, int]]]:
    """(pid, RSS in kB) of every process of each service's session (a leader and its children)."""
    sessions = {process.pid: name for name, process in services.processes.items()}
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in sessions.values()}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        session = int(fields[3])
        if session in sessions:
            rss = next(
                (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")),
                0,
            )
            found[sessions[session]].append((int(entry.name), rss))
    return found


# --- locust ---------------------------------------------------------------------


def run_locust(
    *, port: int, users: int, seconds: int, env: dict[str, str], prefix: Path, log: Path
) -> int:
    argv = [
        PYTHON, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--host", f"http://{HOST}:{port}", "-u", str(users), "-r", str(max(1, users // 3)),
        "--run-time", f"{seconds}s", "--stop-timeout", "30", "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    with open(log, "ab") as out:
        process = subprocess.Popen(
            argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            return process.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError(f"locust did not stop within {seconds + 120} s") from None


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.is_file():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def print_report(
    *,
    args: argparse.Namespace,
    stats: list[dict[str, str]],
    failures: list[dict[str, str]],
    warm_up_failures: list[dict[str, str]],
    rss_start: dict[str, list[tuple[int, int]]],
    rss_end: dict[str, list[tuple[int, int]]],
    loads: list[tuple[float, float, float]],
) -> int:
    rows = [row for row in stats if row["Name"] != "Aggregated"]
    total = next(row for row in stats if row["Name"] == "Aggregated")
    print()
    print(
        f"Load: {args.users} users for {args.seconds} s against {args.clients:,} clients; "
        f"gunicorn {args.web_workers} workers x {args.threads} threads, one Celery worker "
        f"(-c {args.worker_concurrency}), all on {HOST}"
    )
    rule = "-" * 104
    print(rule)
    print(
        f"  {'kind of request':<46} {'requests':>9} {'req/s':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    print(rule)
    for row in [*sorted(rows, key=lambda r: (r["Type"], r["Name"])), total]:
        name = "all requests" if row is total else f"{row['Type']} {row['Name']}"
        if row is total:
            print(rule)
        print(
            f"  {name:<46} {int(row['Request Count']):>9,} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>8} {row['95%']:>8} {row['99%']:>8} {int(row['Failure Count']):>7}"
        )
    print(rule)
    for title, listed in (("warm-up", warm_up_failures), ("measured run", failures)):
        for failure in listed:
            print(
                f"  ERROR ({title}) {failure['Method']} {failure['Name']}: "
                f"{failure['Error']} x{failure['Occurrences']}"
            )
    print("Resident memory (RSS), after warm-up -> at the end:")
    verdicts = []
    for service in rss_start:
        start = sum(rss for _, rss in rss_start[service])
        end = sum(rss for _, rss in rss_end.get(service, []))
        change = (end - start) / start * 100 if start else 0.0
        verdicts.append(abs(change) <= 10)
        per_process = ", ".join(
            f"{pid}: {rss / 1024:.0f}" for pid, rss in sorted(rss_start[service])
        )
        per_end = ", ".join(f"{pid}: {rss / 1024:.0f}" for pid, rss in sorted(rss_end[service]))
        print(
            f"  {service:<9} {start / 1024:7.0f} MB -> {end / 1024:7.0f} MB ({change:+.1f}%)"
            f"  per process MB [{per_process}] -> [{per_end}]"
        )
    print(
        "  memory at the end within 10% of memory after warm-up: "
        + ("yes" if all(verdicts) else "NO")
    )
    print(
        f"Load average (1, 5, 15 min; {os.cpu_count()} cores, shared machine): "
        + "; ".join(f"{label} {a:.2f} {b:.2f} {c:.2f}" for label, (a, b, c) in
                    zip(("start", "after warm-up", "end"), loads, strict=True))
    )  # fmt: skip
    requests = int(total["Request Count"])
    errors = int(total["Failure Count"]) + sum(int(f["Occurrences"]) for f in warm_up_failures)
    print(f"{requests} requests, {errors} errors")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=30)
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the scratch database again")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"),
        help="broker and cache (this run uses its own queue and key prefix there)",
    )
    args = parser.parse_args()
    if not (1 <= args.users <= MAX_USERS and 1 <= args.seconds <= MAX_SECONDS):
        parser.error(f"--users 1..{MAX_USERS}, --seconds 1..{MAX_SECONDS}")
    if not 0 <= args.warm_up <= MAX_SECONDS:
        parser.error(f"--warm-up 0..{MAX_SECONDS}")

    def interrupted(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    services = Services()
    tmp = Path(tempfile.mkdtemp(prefix=f"{RUN}_"))
    try:
        if args.rebuild or not database_ready(args.clients):
            say(f"building the scratch database {DATABASE} ({args.clients:,} clients), once")
            build_database(clients=args.clients, env=setup_env(args.redis_url))
        else:
            say(f"reusing the scratch database {DATABASE} (built {json.loads(READY.read_text())})")
        password = SETUP_PASSWORD_FILE.read_text().strip()
        env = serve_env(args.redis_url, tmp)
        (tmp / "static").mkdir()
        # Same artifacts, but the model cache is per run: the worker verifies and unpacks.
        port = free_port()
        worker = f"-A creditscore worker -Q {RUN} -c {args.worker_concurrency}"
        worker += f" --hostname {RUN}@%h --without-mingle --without-gossip --loglevel info"
        services.start(
            "worker", [PYTHON, "-m", "celery", *worker.split()], env=env, log=tmp / "worker.log"
        )
        web = f"creditscore.wsgi:application --bind {HOST}:{port} --workers {args.web_workers}"
        web += f" --threads {args.threads} --worker-class gthread --timeout 120"
        # Keep-alive longer than any user's pause (at most 3 s): with gunicorn's default of
        # 2 s, a connection closed by the server as the client reuses it fails the request
        # (a proxy in front of gunicorn holds client connections in production).
        web += " --keep-alive 10 --graceful-timeout 5 --no-control-socket"
        # "gunicorn" and "worker": the names scoring_bench's waits look for.
        services.start(
            "gunicorn", [PYTHON, "-m", "gunicorn", *web.split()], env=env, log=tmp / "web.log"
        )
        wait_for_http(port, services)
        wait_for_worker(services)
        reply = call(port, "POST", "/api/v1/auth/token",
                     payload={"username": "integration", "password": password})  # fmt: skip
        expect(reply, "POST /api/v1/auth/token")
        ids = targets()
        say(
            f"web on {HOST}:{port}, worker up; {len(ids['advisor_clients'])} advisor clients, "
            f"{len(ids['scored'])} scored"
        )
        (tmp / "targets.json").write_text(json.dumps(ids))
        locust_env = dict(os.environ)
        locust_env.update(
            LOAD_PASSWORD=password,
            LOAD_TARGETS=str(tmp / "targets.json"),
            PYTHONUNBUFFERED="1",
        )
        loads = [os.getloadavg()]
        warm_up_failures: list[dict[str, str]] = []
        if args.warm_up:
            say(f"warm-up: {args.warm_up} s")
            run_locust(port=port, users=args.users, seconds=args.warm_up, env=locust_env,
                       prefix=tmp / "warm", log=tmp / "locust.log")  # fmt: skip
            warm_up_failures = read_failures(tmp / "warm")
        loads.append(os.getloadavg())
        rss_start = rss_by_service(services)
        say(f"measured run: {args.seconds} s, {args.users} users")
        run_locust(port=port, users=args.users, seconds=args.seconds, env=locust_env,
                   prefix=tmp / "run", log=tmp / "locust.log")  # fmt: skip
        rss_end = rss_by_service(services)
        loads.append(os.getloadavg())
        for name in services.processes:
            services.check_alive(name)
        return print_report(
            args=args,
            stats=read_stats(tmp / "run"),
            failures=read_failures(tmp / "run"),
            warm_up_failures=warm_up_failures,
            rss_start=rss_start,
            rss_end=rss_end,
            loads=loads,
        )
    except KeyboardInterrupt:
        say("interrupted: cleaning up")
        return 130
    except Exception:
        for name in ("gunicorn", "worker"):
            if name in services.logs:
                say(f"--- {name} log ---\n{tail(services.logs[name], 40)}")
        if (tmp / "locust.log").is_file():
            say(f"--- locust log ---\n{tail(tmp / 'locust.log', 40)}")
        raise
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        services.stop_all()
        try:
            import redis

            client = redis.Redis.from_url(args.redis_url)
            doomed = list(client.scan_iter(match=f"*{RUN}*", count=1000))
            if doomed:
                client.delete(*doomed)
        except Exception as error:  # noqa: BLE001 - clean-up goes on
            say(f"Redis keys of {RUN} not deleted: {error}")
        if os.environ.get("LOAD_KEEP_LOGS"):
            say(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
