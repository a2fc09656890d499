"""Latency and throughput of the scoring service through a real server, against the raw model.

    .venv/bin/python benchmarks/scoring_bench.py [--clients 2000] [--requests 30]
        [--batch-rows 5000] [--seed 0] [--redis-url redis://127.0.0.1:6379/10]

Everything runs in one go, on this machine only (loopback):

1. setup: a throwaway database `cs_bench_scoring_<pid>` on the server of
   DATABASE_URL, migrated; N synthetic clients with their history
   (`python -m ml.synthetic --clients N --test-clients B`) imported with
   `manage.py import_homecredit`; a model trained on them
   (`manage.py train_model --folds 2`, registered and activated); the demo
   users (`manage.py create_demo_users`);
2. baseline, in this process: the trained artifact loaded with
   `ml.predict.ScoringModel`, features built beforehand, then
   `model.predict(features)` + `model.explain(features)` on 1 row and on
   10,000 rows (the feature rows repeated up to 10,000: the cost does not
   depend on which rows they are), wall and CPU time. Measured before the
   servers start and again at the end; the table pools both runs (each run's
   figures are in the footer, so a change of load on a shared machine shows);
3. through the real stack: gunicorn (`creditscore.wsgi`, production settings
   with a throwaway secret key, one sync worker) on a free loopback port and a
   Celery worker (`-c 1`) on a Redis queue of this run's own. An integration
   user's token comes from `POST /api/v1/auth/token`. One request at a time
   (latency, not load): `POST /api/v1/applications/{id}/score?wait=30` on
   applications never scored (the web process enqueues, the worker computes
   features from Postgres, predicts, explains and stores; the view re-reads
   the score after 25 ms, then pauses half as long again each time, up to
   0.2 s, until done), the same request again (idempotent: the
   stored score), then `GET /api/v1/applications/{id}/explanation` twice
   (the second from the Redis cache). A few warm-up requests on other
   applications first (model loading in each process). Besides latencies,
   the CPU time each phase cost the server, the worker and the database
   backends of this run (from Linux's /proc), per request: on a loaded
   machine it is steadier than wall time;
4. batch: the B rows of application_test.csv submitted with
   `scoring.batch.batch_job_create` (the API has no batch route yet) from
   `manage.py shell -c`, and the BatchJob row polled until done; throughput
   from the row's own timestamps (worker: started -> finished; end to end:
   queued -> finished). In-process equivalent for comparison: the same CSV
   read with `ml.dataset.load_tables`, then features + predict in chunks of
   the batch's size.

Ratios are against the raw figures of step 2. The server, the worker, the
database, the temporary files and this run's Redis keys are removed at the
end, also on Ctrl-C or error. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# As ml/__init__.py does, before lightgbm loads OpenMP (spinning threads on a shared machine).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psycopg  # noqa: E402

from ml import schema  # noqa: E402
from ml.dataset import load_tables  # noqa: E402
from ml.predict import load_model  # noqa: E402

PYTHON = sys.executable
HOST = "127.0.0.1"
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditscore")
RUN = f"cs_bench_scoring_{os.getpid()}"
BIG_ROWS = 10_000
ONE_ROW_REPEATS = 100
BIG_REPEATS = 2
WARM_UP_APPLICATIONS = 3
WAIT_SECONDS = 30  # the API's maximum ?wait
HTTP_TIMEOUT = 90.0
BATCH_CHUNK_ROWS = 2000  # scoring.batch.CHUNK_ROWS (not imported: that needs Django)
MAX_REQUESTS = 1000  # request loops stay bounded whatever the arguments
# Our own connections, left out of the database's CPU time.
BENCH_APPLICATION = "scoring_bench"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: with 30 values, p99 is the largest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(np.ceil(fraction * len(ordered))) - 1))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- Processes we start -------------------------------------------------------


class Services:
    """Long-running children (server, worker), each the leader of its own process group."""

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, argv: list[str], *, env: dict[str, str], log: Path) -> None:
        with open(log, "ab") as log_file:
            self.processes[name] = subprocess.Popen(
                argv,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # Out of our process group: Ctrl-C reaches us only, and we stop them in order.
                start_new_session=True,
            )
        self.logs[name] = log

    def check_alive(self, name: str) -> None:
        code = self.processes[name].poll()
        if code is not None:
            raise RuntimeError(f"{name} exited with code {code}:\n{tail(self.logs[name])}")

    def stop_all(self, timeout: float = 15.0) -> None:
        """SIGTERM to each group (gunicorn and Celery finish the work at hand), then SIGKILL."""
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop in {timeout:.0f} s: killed")
            _signal_group(process.pid, signal.SIGKILL)  # whatever is left of its group
            process.wait()
        self.processes.clear()


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except (ProcessLookupError, PermissionError):
        pass


def manage(args: list[str], *, env: dict[str, str], log: Path) -> str:
    """Run `manage.py ARGS`; its output goes to `log` and is returned."""
    started = time.perf_counter()
    with open(log, "ab") as log_file:
        log_file.write(f"\n$ manage.py {' '.join(args)}\n".encode())
        log_file.flush()
        offset = log_file.tell()
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    output = log.read_bytes()[offset:].decode(errors="replace")
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed ({result.returncode}):\n{output[-3000:]}")
    say(f"manage.py {args[0]}: {time.perf_counter() - started:.1f} s")
    return output


# --- HTTP on loopback ---------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: Any
    ms: float


def call(
    port: int, method: str, path: str, *, token: str | None = None, payload: dict | None = None
) -> Reply:
    """One request on a fresh connection (gunicorn's sync workers close each one anyway)."""
    headers = {"Accept": "application/json", "Host": f"{HOST}:{port}"}
    body = b""
    if token:
        headers["Authorization"] = f"Token {token}"
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    headers["Content-Length"] = str(len(body))
    connection = http.client.HTTPConnection(HOST, port, timeout=HTTP_TIMEOUT)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data[:500].decode(errors="replace")
    return Reply(response.status, parsed, elapsed)


def expect(reply: Reply, what: str, *, status: int = 200) -> Reply:
    if reply.status != status:
        raise RuntimeError(f"{what}: HTTP {reply.status} (expected {status}): {reply.body}")
    return reply


def wait_for_http(port: int, services: Services, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        services.check_alive("gunicorn")
        try:
            call(port, "GET", "/api/v1/models/active")  # any answer (401) means it serves
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(
        f"gunicorn not answering after {timeout:.0f} s:\n{tail(services.logs['gunicorn'])}"
    )


def wait_for_worker(services: Services, timeout: float = 120) -> None:
    """Celery logs '<name> ready.' once it consumes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        services.check_alive("worker")
        if " ready." in services.logs["worker"].read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise RuntimeError(f"worker not ready after {timeout:.0f} s:\n{tail(services.logs['worker'])}")


# --- Raw model ----------------------------------------------------------------


@dataclass
class Timing:
    """Samples of one figure: wall and CPU seconds (CPU of every thread of this process)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, action: Callable[[], object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def one_client_tables(tables: dict[str, pd.DataFrame], sk_id: int) -> dict[str, pd.DataFrame]:
    """The rows of one client in every table (bureau_balance through its bureau credits)."""
    subset = {}
    for name, frame in tables.items():
        if "SK_ID_CURR" in frame.columns:
            subset[name] = frame[frame["SK_ID_CURR"] == sk_id].reset_index(drop=True)
    if schema.BUREAU_BALANCE.name in tables and schema.BUREAU.name in subset:
        balance = tables[schema.BUREAU_BALANCE.name]
        credits = subset[schema.BUREAU.name]["SK_ID_BUREAU"]
        subset[schema.BUREAU_BALANCE.name] = balance[balance["SK_ID_BUREAU"].isin(credits)]
    return subset


RAW_FIGURES = (
    "predict_1",
    "explain_1",
    "both_1",
    "client_1",
    "predict_big",
    "both_big",
    "batch_equivalent",
)


class RawBaseline:
    """The trained artifact in this process, on features built beforehand."""

    def __init__(self, artifact_dir: Path, data_dir: Path) -> None:
        self.model = load_model(artifact_dir)
        self.data_dir = data_dir
        tables = load_tables(data_dir, files=("application_train.csv",))
        features = self.model.features(tables)
        self.one = features.iloc[[0]]
        self.one_client = one_client_tables(tables, int(features.index[0]))
        repeats = -(-BIG_ROWS // len(features))
        self.big = pd.concat([features] * repeats).iloc[:BIG_ROWS]
        self.figures = {name: Timing() for name in RAW_FIGURES}
        self.runs: list[tuple[float, float]] = []  # per run: 1-row ms, 10,000-row rows/s

    def _predict_explain(self, frame: pd.DataFrame) -> None:
        self.model.predict(frame)
        self.model.explain(frame)

    def _client(self) -> None:
        self._predict_explain(self.model.features(self.one_client))

    def _batch_equivalent(self) -> None:
        """The worker's batch loop in process: read the CSV, features + predict per chunk.

        Without what the worker adds around it: reading and writing storage,
        the text validation, progress rows, the results CSV.
        """
        tables = load_tables(self.data_dir, files=("application_test.csv",), history=False)
        rows = tables[schema.APPLICATION.name]
        for start in range(0, len(rows), BATCH_CHUNK_ROWS):
            chunk = rows.iloc[start : start + BATCH_CHUNK_ROWS].reset_index(drop=True)
            self.model.predict(self.model.features({schema.APPLICATION.name: chunk}))

    def measure(self) -> None:
        """One run; a second call adds its samples to the first's."""
        model, one, big, figures = self.model, self.one, self.big, self.figures
        one_before = len(figures["both_1"].wall)
        big_before = len(figures["both_big"].wall)
        self._predict_explain(one)  # warm-up
        self._client()
        for _ in range(ONE_ROW_REPEATS):
            figures["predict_1"].add(lambda: model.predict(one))
            figures["explain_1"].add(lambda: model.explain(one))
            figures["both_1"].add(lambda: self._predict_explain(one))
        for _ in range(max(ONE_ROW_REPEATS // 5, 5)):
            figures["client_1"].add(self._client)
        for _ in range(BIG_REPEATS):
            figures["predict_big"].add(lambda: model.predict(big))
            figures["both_big"].add(lambda: self._predict_explain(big))
            figures["batch_equivalent"].add(self._batch_equivalent)
        self.runs.append(
            (
                statistics.median(figures["both_1"].wall[one_before:]) * 1000,
                BIG_ROWS / statistics.median(figures["both_big"].wall[big_before:]),
            )
        )


# --- CPU time of the processes serving -------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: int) -> tuple[int, float] | None:
    """(process group, CPU seconds) of a process, from Linux's /proc; None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds used by the web server, the worker (each with all its processes) and
    the database backends serving this run's database (Linux /proc; zero elsewhere).

    The server and the worker are process-group leaders, so a process belongs to
    one of them when its group is the leader's pid.
    """

    def __init__(self, services: Services, db_url: str) -> None:
        self.groups = {process.pid: name for name, process in services.processes.items()}
        self.db_url = db_url

    def snapshot(self) -> dict[str, dict[int, float]]:
        usage: dict[str, dict[int, float]] = {name: {} for name in [*self.groups.values(), "db"]}
        proc = Path("/proc")
        if not proc.is_dir():
            return usage
        for entry in proc.iterdir():
            if entry.name.isdigit() and (found := _proc_cpu(int(entry.name))):
                group, seconds = found
                if group in self.groups:
                    usage[self.groups[group]][int(entry.name)] = seconds
        with psycopg.connect(self.db_url, application_name=BENCH_APPLICATION) as connection:
            backends = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name <> %s",
                [BENCH_APPLICATION],
            ).fetchall()
        for (pid,) in backends:
            if found := _proc_cpu(pid):
                usage["db"][pid] = found[1]
        return usage

    @staticmethod
    def used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]):
        """CPU seconds per part between two snapshots (a process born in between: all of it)."""
        return {
            name: sum(seconds - before[name].get(pid, 0.0) for pid, seconds in pids.items())
            for name, pids in after.items()
        }


# --- Measurements through the stack ------------------------------------------


@dataclass
class Phase:
    name: str
    ms: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each part, in all

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p99(self) -> float:
        return percentile(self.ms, 0.99)


def score_path(sk_id: int) -> str:
    return f"/api/v1/applications/{sk_id}/score?wait={WAIT_SECONDS}"


def explanation_path(sk_id: int) -> str:
    return f"/api/v1/applications/{sk_id}/explanation?lang=en"


def score_done(reply: Reply, sk_id: int) -> Reply:
    expect(reply, f"POST score of {sk_id}")
    if reply.body.get("status") != "done":
        raise RuntimeError(f"score of {sk_id} not done: {reply.body}")
    return reply


def api_phases(port: int, token: str, ids: list[int], meter: CpuMeter | None) -> list[Phase]:
    """Each phase over every application, one request at a time, in this order."""

    def score(sk_id: int) -> float:
        return score_done(call(port, "POST", score_path(sk_id), token=token), sk_id).ms

    def explanation(sk_id: int) -> float:
        reply = call(port, "GET", explanation_path(sk_id), token=token)
        return expect(reply, f"GET explanation of {sk_id}").ms

    phases = [
        (Phase("POST score, never scored (enqueue + worker + wait)"), score),
        (Phase("POST score again (stored score, idempotent)"), score),
        (Phase("GET explanation, 1st (Postgres -> payload -> cache)"), explanation),
        (Phase("GET explanation, 2nd (Redis cache)"), explanation),
    ]
    for phase, request in phases:
        before = meter.snapshot() if meter else None
        phase.ms = [request(sk_id) for sk_id in ids]
        if meter:
            phase.cpu = meter.used(before, meter.snapshot())
    return [phase for phase, _ in phases]


def worker_side(db_url: str, ids: list[int]) -> tuple[list[float], list[float]]:
    """From the Score rows, in ms: queue wait (created -> started), compute (-> finished)."""
    with psycopg.connect(db_url, application_name=BENCH_APPLICATION) as connection:
        rows = connection.execute(
            "SELECT EXTRACT(EPOCH FROM started_at - created_at) * 1000, "
            "EXTRACT(EPOCH FROM finished_at - started_at) * 1000 "
            "FROM scoring_score WHERE application_id = ANY(%s) AND status = 'done'",
            [ids],
        ).fetchall()
    return [float(row[0]) for row in rows], [float(row[1]) for row in rows]


BATCH_SUBMIT = """
from pathlib import Path
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from scoring.batch import batch_job_create
path = Path({path!r})
user = get_user_model().objects.get(username="integration")
upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
job = batch_job_create(uploaded=upload, created_by=user)
print("BATCH_JOB", job.id)
"""


@dataclass
class BatchFigures:
    rows: int
    submit_s: float  # manage.py shell: start-up, header check, storage, enqueue
    queued_s: float  # created -> started (queue and worker pick-up)
    worker_s: float  # started -> finished
    cpu: dict[str, float]  # CPU seconds of each part from submission to done


def batch_run(
    *, csv_path: Path, env: dict[str, str], log: Path, db_url: str, meter: CpuMeter | None
) -> BatchFigures:
    before = meter.snapshot() if meter else None
    started = time.perf_counter()
    output = manage(["shell", "-c", BATCH_SUBMIT.format(path=str(csv_path))], env=env, log=log)
    submit_s = time.perf_counter() - started
    line = next(line for line in output.splitlines() if line.startswith("BATCH_JOB "))
    _, job_id = line.split()
    # The worker counts the rows (the request reads only the header): the file's lines here.
    with csv_path.open("rb") as data:
        rows = sum(1 for _ in data) - 1
    deadline = time.monotonic() + max(300.0, rows / 20)
    with psycopg.connect(db_url, autocommit=True, application_name=BENCH_APPLICATION) as db:
        while True:
            status, error, queued, worker = db.execute(
                "SELECT status, error, EXTRACT(EPOCH FROM started_at - created_at), "
                "EXTRACT(EPOCH FROM finished_at - started_at) FROM scoring_batchjob WHERE id = %s",
                [job_id],
            ).fetchone()
            if status == "done":
                cpu = meter.used(before, meter.snapshot()) if meter else {}
                return BatchFigures(rows, submit_s, float(queued), float(worker), cpu)
            if status == "failed":
                raise RuntimeError(f"batch job {job_id} failed: {error}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"batch job {job_id} still {status} at the deadline")
            time.sleep(0.25)


# --- Clean-up -----------------------------------------------------------------


def task_results(db_url: str) -> set[str]:
    """The ids the worker's tasks returned (score ids, batch job ids): their results' values."""
    try:
        with psycopg.connect(db_url, application_name=BENCH_APPLICATION) as connection:
            return {
                str(row[0])
                for row in connection.execute(
                    "SELECT id FROM scoring_score UNION ALL SELECT id FROM scoring_batchjob"
                )
            }
    except psycopg.Error:  # not migrated yet: no task ran
        return set()


def redis_forget(redis_url: str, *, result_values: set[str]) -> int:
    """Delete this run's keys: cache entries, queue, and task results naming our ids."""
    import redis

    client = redis.Redis.from_url(redis_url)
    # Cache keys start with the prefix, the queue is named after the run, and
    # kombu's bindings of that queue end with its name.
    doomed = list(client.scan_iter(match=f"*{RUN}*", count=1000))
    for key in client.scan_iter(match="celery-task-meta-*", count=1000):
        try:
            meta = json.loads(client.get(key) or b"{}")
        except ValueError:
            continue
        if str(meta.get("result")) in result_values:
            doomed.append(key)
    return client.delete(*doomed) if doomed else 0


# --- Report -------------------------------------------------------------------


def ratio(value: float, base: float) -> str:
    """value / base, readable both ways: 139x, 3.6x, 0.75x, 0.08x (1/12)."""
    if base <= 0 or value <= 0:
        return "-"
    times = value / base
    if times >= 100:
        return f"{times:,.0f}x"
    if times >= 0.95:
        return f"{times:.1f}x"
    if times >= 0.5:
        return f"{times:.2f}x"
    return f"{times:.2g}x (1/{1 / times:,.0f})"


def cpu_note(cpu: dict[str, float], count: int, base_cpu_ms: float) -> str:
    if not cpu:
        return ""
    parts = {"web": cpu.get("gunicorn", 0.0), "worker": cpu.get("worker", 0.0)}
    parts["Postgres"] = cpu.get("db", 0.0)
    total = sum(parts.values()) * 1000 / count
    listed = ", ".join(f"{name} {seconds * 1000 / count:.1f}" for name, seconds in parts.items())
    return (
        f"CPU ms per request: {listed}; total {total:.1f} "
        f"= {ratio(total, base_cpu_ms)} raw 1-row CPU"
    )


def print_report(
    *,
    args: argparse.Namespace,
    raw: RawBaseline,
    api: list[Phase],
    queue_ms: list[float],
    compute_ms: list[float],
    batch: BatchFigures,
    model_version: str,
    load_start: tuple[float, float, float],
    load_end: tuple[float, float, float],
) -> None:
    figures = raw.figures
    one = figures["both_1"].median * 1000
    one_cpu = figures["both_1"].median_cpu * 1000
    big_both = BIG_ROWS / figures["both_big"].median
    big_predict = BIG_ROWS / figures["predict_big"].median
    batch_equivalent = batch.rows / figures["batch_equivalent"].median
    width = 58
    rule = "-" * 118

    def row(name: str, p50: str, p99: str = "", top: str = "", cpu: str = "", note: str = ""):
        print(f"  {name:<{width}} {p50:>10} {p99:>10} {top:>10} {cpu:>10}  {note}")

    print()
    print(
        f"Scoring service: {args.clients:,} synthetic clients, model {model_version} "
        f"({len(raw.model.feature_names)} features), {len(api[0].ms)} applications per API "
        f"figure, batch of {batch.rows:,} rows"
    )
    print(rule)
    print(f"  {'figure':<{width}} {'p50':>10} {'p99':>10} {'max':>10} {'CPU p50':>10}  ratio")
    print(rule)
    print("Raw model in this process (ScoringModel on a pre-built features frame; wall time)")
    for key, name in (
        ("predict_1", "predict, 1 row"),
        ("explain_1", "explain (pred_contrib), 1 row"),
        ("both_1", "predict + explain, 1 row  [BASELINE of single scores]"),
        ("client_1", "features (1 client + history) + predict + explain"),
    ):
        timing = figures[key]
        ms = [value * 1000 for value in timing.wall]
        row(
            name,
            f"{timing.median * 1000:.2f} ms",
            f"{percentile(ms, 0.99):.2f} ms",
            f"{max(ms):.2f} ms",
            f"{timing.median_cpu * 1000:.2f} ms",
            ratio(timing.median * 1000, one),
        )
    for key, name, rows, base in (
        ("both_big", "predict + explain, 10,000 rows  [BASELINE of throughput]", BIG_ROWS, None),
        ("predict_big", "predict only, 10,000 rows", BIG_ROWS, big_both),
        (
            "batch_equivalent",
            "batch loop in process: CSV, features (application) + predict",
            batch.rows,
            big_both,
        ),
    ):
        timing = figures[key]
        rate = rows / timing.median
        row(
            name,
            f"{rate:,.0f}/s",
            f"{timing.median:.2f} s",
            "",
            f"{timing.median_cpu:.2f} s",
            "1.0x" if base is None else ratio(rate, base),
        )
    print(
        "Through the API: gunicorn (1 sync worker) + Celery worker (-c 1), one request at a "
        "time; ratio = p50 / raw predict+explain of 1 row"
    )
    for phase in api:
        row(
            phase.name,
            f"{phase.p50:.1f} ms",
            f"{phase.p99:.1f} ms",
            f"{max(phase.ms):.1f} ms",
            "",
            ratio(phase.p50, one),
        )
        if note := cpu_note(phase.cpu, len(phase.ms), one_cpu):
            print(f"      {note}")
    for name, values in (
        ("  worker: queue wait (Score created -> started)", queue_ms),
        ("  worker: compute (started -> finished)", compute_ms),
    ):
        row(
            name,
            f"{statistics.median(values):.1f} ms",
            f"{percentile(values, 0.99):.1f} ms",
            f"{max(values):.1f} ms",
            "",
            ratio(statistics.median(values), one),
        )
    print(
        "Batch through the worker (BatchJob timestamps); ratios: vs raw predict+explain of "
        "10,000 rows / raw predict only / the batch loop in process"
    )
    for name, seconds in (
        ("worker: started -> finished", batch.worker_s),
        ("end to end: queued -> finished", batch.queued_s + batch.worker_s),
    ):
        rate = batch.rows / seconds
        row(
            name,
            f"{rate:,.0f}/s",
            f"{seconds:.2f} s",
            "",
            "",
            f"{ratio(rate, big_both)} / {ratio(rate, big_predict)} / "
            f"{ratio(rate, batch_equivalent)}",
        )
    if batch.cpu:
        print(
            "      CPU s, submission to done: "
            f"worker {batch.cpu.get('worker', 0.0):.2f}, Postgres {batch.cpu.get('db', 0.0):.2f}, "
            f"web {batch.cpu.get('gunicorn', 0.0):.2f} (the batch loop in process: "
            f"{figures['batch_equivalent'].median_cpu:.2f})"
        )
    row("submission: manage.py shell (start-up, header check, storage)", f"{batch.submit_s:.1f} s")
    print(rule)
    print(
        "p50 = median; p99 by nearest rank (under 100 values: the largest). CPU: user + system "
        "time of this process for raw figures, of the server's, worker's and database "
        "backends' processes for the API (Linux /proc)."
    )
    print(
        f"?wait={WAIT_SECONDS} re-reads the score after 25, 62, 119, 203, 330 ms... (pauses "
        "growing by half, at most 0.2 s): an uncached score is rounded up to the next read. "
        "The batch scores statelessly (no explanation, no Score rows)."
    )
    print(
        "Raw baseline runs (predict+explain of 1 row, of 10,000 rows), before the servers "
        "started and at the end: "
        + ", ".join(f"{ms:.2f} ms and {rate:,.0f} rows/s" for ms, rate in raw.runs)
        + "; the table pools both."
    )
    print(
        f"Shared, loaded machine ({os.cpu_count()} cores): load average (1, 5, 15 min) "
        f"{load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} at the start, "
        f"{load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} at the end."
    )


# --- Main ---------------------------------------------------------------------


def child_env(*, db_url: str, redis_url: str, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        CELERY_RESULT_BACKEND=redis_url,
        # This run's own queue and cache keys: nothing shared with anyone on this Redis db.
        SCORING_QUEUE=RUN,
        CACHE_KEY_PREFIX=RUN,
        DJANGO_SETTINGS_MODULE="creditscore.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_DEBUG="False",
        MEDIA_ROOT=str(tmp / "media"),
        MODEL_ARTIFACTS_DIR=str(tmp / "artifacts"),
        MODEL_CACHE_DIR=str(tmp / "model-cache"),
        STATIC_ROOT=str(tmp / "static"),
        # Never the limit here: the figures are latencies, not a test of the throttle.
        API_THROTTLE_RATE="100000/minute",
        PYTHONUNBUFFERED="1",
        OMP_WAIT_POLICY="PASSIVE",
    )
    return env


def setup(*, args: argparse.Namespace, env: dict[str, str], tmp: Path) -> tuple[Path, Path, str]:
    """Data, schema, clients, model and users; returns (data dir, artifact dir, password)."""
    data_dir = tmp / "data"
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "ml.synthetic", "--clients", str(args.clients), "--test-clients"]
        + [str(args.batch_rows), "--out", str(data_dir), "--seed", str(args.seed)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    say(f"synthetic data: {time.perf_counter() - started:.1f} s")
    log = tmp / "setup.log"
    manage(["migrate", "--noinput"], env=env, log=log)
    manage(["import_homecredit", str(data_dir)], env=env, log=log)
    artifact_dir = tmp / "artifacts" / "bench"
    manage(
        ["train_model", "--folds", "2", "--out", str(artifact_dir), "--emergency",
         "--reason", "benchmark: a scratch database"],
        env=env, log=log,
    )  # fmt: skip
    password = secrets.token_urlsafe(16)
    manage(["create_demo_users", "--password", password], env=env, log=log)
    return data_dir, artifact_dir, password


def start_services(services: Services, *, env: dict[str, str], tmp: Path) -> int:
    """The Celery worker and gunicorn, once both answer; returns the server's port."""
    port = free_port()
    worker = f"-A creditscore worker -Q {RUN} -c 1 --hostname {RUN}@%h"
    worker += " --without-mingle --without-gossip --loglevel info"
    services.start(
        "worker", [PYTHON, "-m", "celery", *worker.split()], env=env, log=tmp / "worker.log"
    )
    web = f"creditscore.wsgi:application --bind {HOST}:{port} --workers 1 --timeout 120"
    web += " --graceful-timeout 5 --no-control-socket"
    services.start(
        "gunicorn", [PYTHON, "-m", "gunicorn", *web.split()], env=env, log=tmp / "gunicorn.log"
    )
    wait_for_http(port, services)
    wait_for_worker(services)
    say(f"gunicorn on {HOST}:{port} and the worker are up")
    return port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=2000, help="synthetic training clients")
    parser.add_argument("--requests", type=int, default=30, help="applications per API figure")
    parser.add_argument("--batch-rows", type=int, default=5000, help="rows of the batch file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("SCORING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
        help="broker and cache (this run uses its own queue and key prefix there)",
    )
    args = parser.parse_args()
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be between 1 and {MAX_REQUESTS}")
    if args.clients < args.requests + WARM_UP_APPLICATIONS or args.batch_rows < 1:
        parser.error("--clients must exceed --requests + 3, --batch-rows be positive")

    load_start = os.getloadavg()
    say(f"run {RUN}; load average {load_start}")
    admin_url = database_url("postgres")
    db_url = database_url(RUN)
    tmp = Path(tempfile.mkdtemp(prefix=f"{RUN}_"))
    services = Services()
    database_created = False
    result_values: set[str] = set()  # what the worker's tasks returned (ids), for Redis

    def interrupted(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {RUN}")
        database_created = True
        env = child_env(db_url=db_url, redis_url=args.redis_url, tmp=tmp)
        (tmp / "static").mkdir()  # whitenoise warns about a missing STATIC_ROOT
        data_dir, artifact_dir, password = setup(args=args, env=env, tmp=tmp)

        say("raw baseline (1st run)")
        raw = RawBaseline(artifact_dir, data_dir)
        raw.measure()
        say("raw baseline done")

        port = start_services(services, env=env, tmp=tmp)
        meter = CpuMeter(services, db_url) if Path("/proc/self/stat").is_file() else None
        reply = call(
            port,
            "POST",
            "/api/v1/auth/token",
            payload={"username": "integration", "password": password},
        )
        token = expect(reply, "POST /api/v1/auth/token").body["token"]
        reply = call(port, "GET", "/api/v1/models/active", token=token)
        model_version = expect(reply, "GET /api/v1/models/active").body["version"]
        with psycopg.connect(db_url, application_name=BENCH_APPLICATION) as connection:
            ids = [
                row[0]
                for row in connection.execute(
                    "SELECT sk_id_curr FROM application WHERE target IS NOT NULL "
                    "ORDER BY sk_id_curr LIMIT %s",
                    [args.requests + WARM_UP_APPLICATIONS],
                )
            ]
        warm_up, measured = ids[:WARM_UP_APPLICATIONS], ids[WARM_UP_APPLICATIONS:]
        say(f"warm-up on {len(warm_up)} applications")
        api_phases(port, token, warm_up, None)
        say(f"API: {len(measured)} applications x 4 requests")
        api = api_phases(port, token, measured, meter)
        queue_ms, compute_ms = worker_side(db_url, measured)

        say(f"batch of {args.batch_rows:,} rows")
        batch = batch_run(
            csv_path=data_dir / "application_test.csv",
            env=env,
            log=tmp / "setup.log",
            db_url=db_url,
            meter=meter,
        )

        say("raw baseline (2nd run)")
        raw.measure()
        print_report(
            args=args,
            raw=raw,
            api=api,
            queue_ms=queue_ms,
            compute_ms=compute_ms,
            batch=batch,
            model_version=model_version,
            load_start=load_start,
            load_end=os.getloadavg(),
        )
        return 0
    except KeyboardInterrupt:
        say("interrupted: cleaning up")
        return 130
    finally:
        # A second Ctrl-C must not leave a server or a database behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        services.stop_all()
        if database_created:
            result_values = task_results(db_url)
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {RUN} WITH (FORCE)")
        try:
            deleted = redis_forget(args.redis_url, result_values=result_values)
            say(f"cleaned up: services stopped, database {RUN} dropped, {deleted} Redis keys")
        except Exception as error:  # noqa: BLE001 - clean-up goes on
            say(f"Redis keys of {RUN} not deleted: {error}")
        if os.environ.get("SCORING_BENCH_KEEP_LOGS"):
            say(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
