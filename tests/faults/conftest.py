"""Services of their own for the fault tests: a Redis server the test stops and starts.

The suite's Redis (and Postgres) keep running: only these servers go down, on
loopback ports of their own, so a fault test never disturbs another test or
another run on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from creditscore.celery import app as celery_app
from tests.worker.conftest import PROJECT_ROOT, WorkerProcess, test_database_url

START_TIMEOUT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """`redis-server` on 127.0.0.1:`port`, nothing kept on disk; stop() and start() again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: the fault tests need it")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def this_process_uses(own_redis) -> Iterator[RedisServer]:
    """The test process's cache and Celery producer go to `own_redis` (restored after)."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager, celery_app._pool)
    caches = {
        "default": {**settings.CACHES["default"], "LOCATION": own_redis.url},
    }
    conf.broker_url = own_redis.url
    conf.task_always_eager = False
    celery_app._pool = None  # connections are pooled per app: forget the suite's broker
    celery_app.amqp._producer_pool = None
    _forget_routing()
    with override_settings(CACHES=caches):
        yield own_redis
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    conf.broker_url, conf.task_always_eager, _ = saved
    _forget_routing()


def _forget_routing() -> None:
    """Drop the router and queues Celery computed on first use (kombu cached properties).

    These tests route with the settings' queues; the worker tests (tests/worker) route
    every scoring task to a queue of their session. Whichever ran first would otherwise
    keep its routes for the whole session, and the other's tasks would wait in a queue
    no worker of theirs consumes.
    """
    celery_app.amqp._rtable = None  # recomputed from conf.task_routes when next used
    for cached in ("router", "queues"):
        celery_app.amqp.__dict__.pop(cached, None)


def _celery_environment(own_redis: RedisServer, tmp_path: Path, name: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": own_redis.url,
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_RESULT_BACKEND": own_redis.url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MODEL_CACHE_DIR": str(tmp_path / f"model-cache-{name}"),
        # Swept after a second: the test waits for the sweeper, not for the default minute.
        "SWEEP_PENDING_AFTER_SECONDS": "1",
    }


@pytest.fixture
def start_celery(own_redis, tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """start_celery("worker") or start_celery("beat"): a real process against `own_redis`;
    keyword arguments are environment variables of its own (e.g. the sweeper's limits)."""
    started: list[WorkerProcess] = []

    def start(kind: str, **environment: str) -> WorkerProcess:
        name = f"{kind}-{len(started) + 1}"
        log_path = tmp_path / f"{name}.log"
        if kind == "worker":
            arguments = [
                "worker", "-c", "1", "--pool", "prefork", "--without-gossip",
                "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h",
            ]  # fmt: skip
        else:
            arguments = [
                "beat", "-S", "django_celery_beat.schedulers:DatabaseScheduler",
                "--max-interval", "1",
            ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "creditscore", *arguments, "-l", "info"],
                cwd=PROJECT_ROOT,
                env={**_celery_environment(own_redis, tmp_path, name), **environment},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process_ = WorkerProcess(process, log_path)
        started.append(process_)
        if kind == "worker":
            process_.wait_until_ready()
        return process_

    yield start
    for process_ in started:
        process_.stop()
        if process_.process.poll() is None:
            os.killpg(process_.process.pid, signal.SIGKILL)
