"""A real Celery worker, in its own process, against the real Redis and Postgres.

The worker connects to the test database (the test commits its data: these
tests are transactional), reads the model archive from the same media
directory and consumes a queue of its own, so nothing else on the machine
takes its tasks and it takes no one else's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from creditscore.celery import app as celery_app
from scoring.models import Score

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 90


def test_database_url(**options: str) -> str:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if options:
        url += "?options=" + quote(" ".join(f"-c {k}={v}" for k, v in options.items()))
    return url


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.log:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited early:\n{self.log}")
            time.sleep(0.2)
        raise TimeoutError(f"the worker was not ready in {READY_TIMEOUT_SECONDS}s:\n{self.log}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no chance to acknowledge or requeue."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


# One queue for the whole session: Celery caches its router on first use, so
# the name cannot change between tests. Each test starts from an empty queue.
SESSION_QUEUE = f"scoring-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """A queue only these tests use; the test process routes scoring tasks to it."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_routes, conf.task_queues)
    conf.task_always_eager = False
    conf.task_routes = {"scoring.*": {"queue": SESSION_QUEUE}}
    # Declared now, like the worker declares it (settings.CELERY_TASK_QUEUES):
    # a task sent before any worker started then waits in the queue instead
    # of being dropped for want of a binding.
    declared = Queue(SESSION_QUEUE, Exchange(SESSION_QUEUE), routing_key=SESSION_QUEUE)
    conf.task_queues = (declared,)
    with celery_app.connection_for_write() as broker:
        bound = declared(broker.default_channel)
        bound.declare()
        bound.purge()
    yield SESSION_QUEUE
    conf.task_always_eager, conf.task_routes, conf.task_queues = saved


@pytest.fixture
def start_worker(worker_queue, tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    workers: list[WorkerProcess] = []

    def start(*, db_options: dict[str, str] | None = None, visibility_timeout: int = 3600):
        log_path = tmp_path / f"worker-{len(workers) + 1}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "creditscore.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": test_database_url(**(db_options or {})),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "MODEL_CACHE_DIR": str(tmp_path / f"worker-model-cache-{len(workers) + 1}"),
            "SCORING_QUEUE": worker_queue,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "creditscore", "worker",
            "-Q", worker_queue, "-c", "1", "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"{worker_queue}-{len(workers) + 1}@%h", "-l", "info",
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
            )
        worker = WorkerProcess(process, log_path)
        workers.append(worker)
        worker.wait_until_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for_score(score_id, *, statuses: set[str], timeout: float = 60) -> Score:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        score = Score.objects.get(pk=score_id)
        if score.status in statuses:
            return score
        time.sleep(0.2)
    raise TimeoutError(f"score {score_id} still {score.status} after {timeout}s")


@pytest.fixture
def lock_score_row():
    """Hold a row lock on a score from another connection, as a slow transaction would."""
    connections: list[psycopg.Connection] = []

    def lock(score_id) -> psycopg.Connection:
        db = connection.settings_dict
        conn = psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
            user=db["USER"], dbname=db["NAME"],
        )  # fmt: skip
        conn.execute("SELECT 1 FROM scoring_score WHERE id = %s FOR UPDATE", [str(score_id)])
        connections.append(conn)
        return conn

    yield lock
    for conn in connections:
        conn.close()
