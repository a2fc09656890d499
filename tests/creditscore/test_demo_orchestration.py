"""creditscore.demo: the decisions of `make demo`, its embedded servers and its clean stop.

The full demo (5,000 clients generated, imported and trained on) is too slow for
the suite; its decisions are tested one by one, its servers for real, and a
shortened run (the build steps replaced) is interrupted like a terminal's Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

import environ
import psutil
import pytest

from creditscore.demo.build import data_ensure
from creditscore.demo.plan import (
    BASE_DIR,
    DEMO_SEED,
    MAX_SOCKET_PATH,
    DemoPaths,
    ModelPlan,
    ServicePlan,
    child_environment,
    generated_data_ready,
    model_plan,
    model_ready,
    plan_services,
    postgres_url,
    redis_socket_path,
    redis_urls,
    training_command,
)
from creditscore.demo.processes import Children, DemoAlreadyRunning, stop_leftovers
from creditscore.demo.serve import banner, port_is_free
from creditscore.demo.servers import EmbeddedPostgres, EmbeddedRedis


@pytest.fixture
def shared_tmp_dir():
    """A temp directory outside pytest's own (mode 0700, reset by every pytest session).

    As root, pgserver runs PostgreSQL as a user of its own, which must be able to
    reach the data directory for as long as the server runs.
    """
    path = Path(tempfile.mkdtemp(prefix="creditscore-demo-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def processes_in_group(group: int) -> list[psutil.Process]:
    """Live processes of a group (a killed grandchild may stay a zombie until init reaps it)."""
    found = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == group and process.info["status"] != "zombie":
                found.append(process)
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return found


def processes_mentioning(text: str) -> list[str]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if text in cmdline and process.pid != os.getpid():
            found.append(cmdline)
    return found


# --- Which servers: embedded or from the environment -------------------------


def test_both_servers_are_embedded_when_no_variable_is_set():
    assert plan_services({}) == ServicePlan(embedded_postgres=True, embedded_redis=True)


def test_a_database_url_replaces_the_embedded_postgres_only():
    plan = plan_services({"DATABASE_URL": "postgres://db.example/creditscore"})

    assert plan == ServicePlan(embedded_postgres=False, embedded_redis=True)


def test_a_redis_url_replaces_the_embedded_redis_only():
    plan = plan_services({"REDIS_URL": "redis://cache.example:6379/0"})

    assert plan == ServicePlan(embedded_postgres=True, embedded_redis=False)


def test_an_empty_variable_counts_as_unset():
    assert plan_services({"DATABASE_URL": "", "REDIS_URL": ""}) == plan_services({})


def test_variables_the_user_set_win_over_the_embedded_servers(tmp_path):
    paths = DemoPaths(tmp_path)
    user_set = {
        "CELERY_RESULT_BACKEND": "redis://results.example/1",
        "MODEL_ARTIFACTS_DIR": "/srv/models",
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.production",
    }

    env = child_environment(
        user_set,
        paths=paths,
        database_url="postgres://postgres@/creditscore?host=/x",
        redis=redis_urls(Path("/x/redis.sock")),
    )

    assert env["CELERY_RESULT_BACKEND"] == "redis://results.example/1"
    assert env["MODEL_ARTIFACTS_DIR"] == "/srv/models"
    assert env["DJANGO_SETTINGS_MODULE"] == "creditscore.settings.production"
    assert env["DATABASE_URL"] == "postgres://postgres@/creditscore?host=/x"
    assert env["CELERY_BROKER_URL"] == "redis+socket:///x/redis.sock"


def test_without_embedded_servers_the_environment_is_left_as_it_is(tmp_path):
    user_set = {"DATABASE_URL": "postgres://db/x", "REDIS_URL": "redis://r/0"}

    env = child_environment(user_set, paths=DemoPaths(tmp_path), database_url=None, redis=None)

    assert env["DATABASE_URL"] == "postgres://db/x"
    assert env["REDIS_URL"] == "redis://r/0"
    assert "CELERY_BROKER_URL" not in env
    assert env["DJANGO_SETTINGS_MODULE"] == "creditscore.settings.local"
    assert env["MODEL_ARTIFACTS_DIR"] == str(tmp_path / "artifacts")


def test_the_demo_serves_without_debug_the_second_factors_obligation_or_address_lockout(tmp_path):
    env = child_environment({}, paths=DemoPaths(tmp_path), database_url=None, redis=None)

    assert env["DJANGO_DEBUG"] == "false"
    assert env["OTP_REQUIRED"] == "false"
    assert env["LOGIN_LOCKOUT_BY_ADDRESS"] == "false"
    # As the settings read them (django-environ).
    for name in ("DJANGO_DEBUG", "OTP_REQUIRED", "LOGIN_LOCKOUT_BY_ADDRESS"):
        assert environ.Env.parse_value(env[name], bool) is False


def test_debug_stays_what_the_user_chose(tmp_path):
    env = child_environment(
        {"DJANGO_DEBUG": "true"}, paths=DemoPaths(tmp_path), database_url=None, redis=None
    )

    assert env["DJANGO_DEBUG"] == "true"


def test_the_database_url_of_a_socket_is_read_by_the_settings_as_a_socket_directory():
    config = environ.Env.db_url_config(postgres_url(Path("/srv/my demo/pgdata"), "creditscore"))

    assert config["NAME"] == "creditscore"
    assert config["HOST"] == ""
    assert config["OPTIONS"] == {"host": "/srv/my demo/pgdata"}


def test_a_socket_path_too_long_for_the_system_moves_to_the_temp_directory(tmp_path):
    deep = tmp_path / ("d" * 120) / "redis"

    socket_path = redis_socket_path(deep)

    assert len(str(socket_path)) <= MAX_SOCKET_PATH
    assert redis_socket_path(deep) == socket_path  # a later run finds the same one


# --- Reuse what an earlier run built -----------------------------------------


def test_generated_data_is_reused_once_its_application_file_is_there(tmp_path):
    assert not generated_data_ready(tmp_path)

    (tmp_path / "application_train.csv.gz").write_bytes(b"")

    assert generated_data_ready(tmp_path)


def test_a_model_is_reused_only_once_its_manifest_is_written(tmp_path):
    (tmp_path / "model.txt").write_text("half an artifact")
    assert not model_ready(tmp_path)

    (tmp_path / "manifest.json").write_text("{}")

    assert model_ready(tmp_path)


def plan(**overrides) -> ModelPlan:
    facts = {
        "active_version": None,
        "artifact_ready": False,
        "commands": {"train_model", "register_model"},
        "ml_cli": True,
        "data_ready": True,
    }
    return model_plan(**{**facts, **overrides})


def test_an_active_model_is_reused_without_training():
    assert plan(active_version="3f2a9c1d", artifact_ready=True).action == "reuse"


def test_a_model_trained_by_an_earlier_run_is_registered_not_trained_again():
    assert plan(artifact_ready=True).action == "register"


def test_without_any_model_the_database_is_trained_on_with_train_model():
    assert plan().action == "train_model"


def test_without_train_model_the_ml_cli_trains_on_the_generated_files():
    assert plan(commands={"register_model"}).action == "ml_cli"


def test_without_any_training_command_the_demo_says_the_model_is_not_trained_yet():
    decision = plan(commands=set(), ml_cli=False)

    assert decision == ModelPlan(
        "none", "the training CLI (python -m ml train) is not in this checkout yet"
    )


def test_the_ml_cli_needs_the_generated_files():
    assert plan(commands=set(), data_ready=False).reason == "no training data in .demo/data"


def test_the_ml_cli_command_uses_the_demos_three_folds(tmp_path):
    argv = training_command(data_dir=tmp_path / "data", out_dir=tmp_path / "model")

    assert argv[1:] == [
        "-m", "ml", "train", "--data", str(tmp_path / "data"),
        "--out", str(tmp_path / "model"), "--folds", "3",
    ]  # fmt: skip


def test_existing_generated_data_is_not_generated_again(tmp_path, monkeypatch):
    paths = DemoPaths(tmp_path)
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / "application_train.csv").write_text("SK_ID_CURR\n1\n")
    monkeypatch.setattr(subprocess, "call", lambda *a, **k: pytest.fail("generated again"))

    data_ensure(paths)

    assert (paths.data_dir / "application_train.csv").read_text() == "SK_ID_CURR\n1\n"


def test_missing_data_is_generated_aside_then_moved_into_place(tmp_path, monkeypatch):
    paths = DemoPaths(tmp_path)
    calls = []

    def fake_generator(argv, **kwargs):
        out = Path(argv[argv.index("--out") + 1])
        assert out != paths.data_dir  # never written in place
        out.mkdir(parents=True)
        (out / "application_train.csv").write_text("SK_ID_CURR\n1\n")
        calls.append(argv)
        return 0

    monkeypatch.setattr(subprocess, "call", fake_generator)

    data_ensure(paths)

    assert generated_data_ready(paths.data_dir)
    (argv,) = calls
    assert argv[1:3] == ["-m", "ml.synthetic"]
    assert argv[argv.index("--seed") + 1] == str(DEMO_SEED)
    assert argv[argv.index("--clients") + 1] == "5000"


def test_a_failed_generation_leaves_nothing_to_reuse(tmp_path, monkeypatch):
    paths = DemoPaths(tmp_path)

    def failing_generator(argv, **kwargs):
        out = Path(argv[argv.index("--out") + 1])
        out.mkdir(parents=True)
        (out / "application_train.csv").write_text("SK_ID_CURR\n")  # cut short
        return 1

    monkeypatch.setattr(subprocess, "call", failing_generator)

    with pytest.raises(RuntimeError, match="the generator failed"):
        data_ensure(paths)
    assert not generated_data_ready(paths.data_dir)


def test_the_demo_refuses_a_busy_port():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert not port_is_free("127.0.0.1", busy.getsockname()[1])


# --- What the demo prints -----------------------------------------------------

FAKE_USERS = {"users": {}, "token": "t0k3n", "client_record": 100002, "portfolio_size": 2750}


def print_banner() -> str:
    return banner(
        url="http://127.0.0.1:8000/",
        users=FAKE_USERS,
        model_status="model: version abc (active)",
        services=["PostgreSQL: embedded"],
        logs=Path("/demo/logs"),
    )


def test_the_banner_prints_the_login_page_every_login_and_the_default_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    text = print_banner()

    assert "log in at http://127.0.0.1:8000/accounts/login/" in text
    for username in ("advisor", "supervisor", "client", "staff", "integration"):
        assert re.search(rf"^  {username} +demo-pret-2026 ", text, re.MULTILINE), username
    assert "set DEMO_PASSWORD to choose another" in text
    assert "portfolio of 2750 clients" in text and "client record 100002" in text
    assert "Authorization: Token t0k3n" in text
    assert "a new token at each run" in text
    assert "second factor (TOTP): not required of the demo logins here" in text


def test_the_banner_says_when_the_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "chosen-by-me")

    text = print_banner()

    assert "password of every demo user: chosen-by-me   set by DEMO_PASSWORD" in text


def test_the_banner_shows_a_call_of_the_api_with_the_integration_token():
    from django.urls import NoReverseMatch, reverse

    try:
        active_model = reverse("api:model-active")
    except NoReverseMatch:
        pytest.skip("no REST API in this checkout")

    assert (
        f"curl -H 'Authorization: Token t0k3n' http://127.0.0.1:8000{active_model}"
        in print_banner()
    )


# --- Child processes: whole process groups stop ------------------------------


def test_stopping_a_child_stops_its_own_children_too(tmp_path):
    # sh dies at once on SIGTERM and leaves its two sleeps: the group is killed.
    children = Children(stop_timeout=0.5)
    children.start(
        "parent", ["sh", "-c", "sleep 60 & sleep 60"], env=os.environ, log=tmp_path / "l"
    )
    group = children.pid("parent")
    deadline = time.monotonic() + 5
    while len(processes_in_group(group)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(processes_in_group(group)) == 3  # sh and its two sleeps

    assert list(children.stop_all()) == ["parent"]

    assert processes_in_group(group) == []


def test_a_child_ignoring_sigterm_is_killed_after_the_timeout(tmp_path):
    children = Children(stop_timeout=0.5)
    children.start(
        "stubborn", ["sh", "-c", "trap '' TERM; sleep 60"], env=os.environ, log=tmp_path / "l"
    )
    group = children.pid("stubborn")
    time.sleep(0.2)  # let the shell install its trap

    started = time.monotonic()
    children.stop_all()

    assert processes_in_group(group) == []
    assert time.monotonic() - started < 5


def test_children_are_stopped_last_started_first(tmp_path):
    children = Children()
    for name in ("redis", "worker", "web"):
        children.start(name, ["sleep", "60"], env=os.environ, log=tmp_path / name)

    assert list(children.stop_all()) == ["web", "worker", "redis"]


def test_children_stopped_together_are_signalled_at_once(tmp_path):
    children = Children(stop_timeout=5)
    for name in ("web", "worker"):
        # Each takes a second to shut down once asked.
        children.start(
            name, ["sh", "-c", "trap 'sleep 1; exit 0' TERM; while :; do sleep 0.1; done"],
            env=os.environ, log=tmp_path / name,
        )  # fmt: skip
    time.sleep(0.3)

    took = children.stop(["web", "worker"])

    assert set(took) == {"web", "worker"}
    assert max(took.values()) < 1.9  # not one after the other


def test_leftovers_of_a_killed_run_are_stopped_by_the_next_run(tmp_path):
    record = tmp_path / "children.json"
    killed_run = Children(record_file=record)
    killed_run.start("web", ["sleep", "60"], env=os.environ, log=tmp_path / "web.log")
    group = killed_run.pid("web")
    saved = json.loads(record.read_text())
    assert saved["children"]["web"][0] == group
    saved["owner"] = [999_999_999, 0.0]  # the run that wrote it is gone
    record.write_text(json.dumps(saved))

    assert stop_leftovers(record) == ["web"]

    killed_run._processes["web"].wait(timeout=5)  # reap it: a zombie still has a pid
    assert processes_in_group(group) == []
    assert not record.exists()


def test_the_processes_of_a_demo_still_running_are_not_taken_for_leftovers(tmp_path):
    record = tmp_path / "children.json"
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        owner_and_child = [sleeper.pid, psutil.Process(sleeper.pid).create_time()]
        record.write_text(
            json.dumps({"owner": owner_and_child, "children": {"web": owner_and_child}})
        )

        with pytest.raises(DemoAlreadyRunning, match=f"pid {sleeper.pid}"):
            stop_leftovers(record)

        assert sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_recorded_pid_now_used_by_another_process_is_left_alone(tmp_path):
    record = tmp_path / "children.json"
    record.write_text(json.dumps({"owner": None, "children": {"web": [os.getpid(), 12345.0]}}))

    assert stop_leftovers(record) == []


# --- The embedded servers, for real ------------------------------------------


def test_embedded_redis_serves_django_cache_and_celery_broker_then_stops(tmp_path):
    import kombu
    import redis

    children = Children()
    embedded = EmbeddedRedis(tmp_path / "redis", children, log=tmp_path / "redis.log")
    urls = embedded.start()
    group = children.pid("redis")
    try:
        # redis-py's URL parsing is what django.core.cache.backends.redis uses.
        assert redis.Redis.from_url(urls["REDIS_URL"]).ping()
        with kombu.Connection(urls["CELERY_BROKER_URL"]) as broker:
            broker.ensure_connection(max_retries=1)
            queue = broker.SimpleQueue("demo-test")
            queue.put({"hello": "worker"})
            assert queue.get(timeout=2).payload == {"hello": "worker"}
            queue.close()
    finally:
        children.stop_all()

    assert processes_in_group(group) == []


def test_the_health_report_reaches_the_embedded_broker(tmp_path, settings):
    from creditscore import health

    children = Children()
    urls = EmbeddedRedis(tmp_path / "redis", children, log=tmp_path / "redis.log").start()
    try:
        settings.CELERY_BROKER_URL = urls["CELERY_BROKER_URL"]

        assert health.check_broker() == {"status": "ok"}
    finally:
        children.stop_all()


def test_embedded_redis_replaces_a_server_left_on_its_socket(tmp_path):
    first_children, second_children = Children(), Children()
    EmbeddedRedis(tmp_path / "redis", first_children, log=tmp_path / "1.log").start()
    leftover = first_children.pid("redis")

    EmbeddedRedis(tmp_path / "redis", second_children, log=tmp_path / "2.log").start()
    try:
        first_children._processes["redis"].wait(timeout=5)
        assert processes_in_group(leftover) == []
    finally:
        second_children.stop_all()


@pytest.mark.slow
def test_embedded_postgres_creates_the_database_keeps_its_data_and_stops(shared_tmp_dir):
    import psycopg

    pgdata = shared_tmp_dir / "pgdata"
    server = EmbeddedPostgres(pgdata, database="creditscore")
    url = server.start()
    try:
        config = environ.Env.db_url_config(url)
        with psycopg.connect(
            host=config["OPTIONS"]["host"], user="postgres", dbname="creditscore", autocommit=True
        ) as connection:
            connection.execute("CREATE TABLE kept (id int)")
    finally:
        server.stop()
    assert processes_mentioning(str(pgdata)) == []

    again = EmbeddedPostgres(pgdata, database="creditscore")
    config = environ.Env.db_url_config(again.start())
    try:
        with psycopg.connect(
            host=config["OPTIONS"]["host"], user="postgres", dbname="creditscore"
        ) as connection:
            assert connection.execute("SELECT count(*) FROM kept").fetchone() == (0,)
    finally:
        again.stop()
    assert processes_mentioning(str(pgdata)) == []


# --- A whole (shortened) run, stopped like a terminal's Ctrl-C ---------------

SHORT_RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from creditscore import demo

    def no_build(paths):
        users = {"users": {}, "token": "t0k3n", "client_record": None, "portfolio_size": 0}
        return users, "model: skipped by the test"

    sys.exit(demo.main(paths=demo.DemoPaths(Path(sys.argv[1])), build_steps=no_build))
    """
)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_ctrl_c_stops_web_worker_redis_and_postgres_leaving_no_process(tmp_path, shared_tmp_dir):
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DEMO_PORT"] = str(port)
    demo_dir = shared_tmp_dir / "demo"
    log = tmp_path / "demo.log"
    with open(log, "wb") as output:
        run = subprocess.Popen(
            [sys.executable, "-c", SHORT_RUN, str(demo_dir)],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, as a terminal's foreground job
        )
    try:
        deadline = time.monotonic() + 120
        while "[demo] up in" not in log.read_text() and time.monotonic() < deadline:
            assert run.poll() is None, log.read_text()
            time.sleep(0.5)
        assert "[demo] up in" in log.read_text(), log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as response:
            assert response.status == 200
        recorded = json.loads((demo_dir / "children.json").read_text())["children"]
        assert set(recorded) == {"redis", "worker", "web"}

        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does to the foreground group
        assert run.wait(timeout=60) == 0, log.read_text()
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)

    stopped = re.search(r"stopped (.*) in [0-9.]+ s", log.read_text())
    assert re.findall(r"(\w+) \(", stopped[1]) == ["web", "worker", "redis", "postgres"]
    for name, (pid, _) in recorded.items():
        assert processes_in_group(pid) == [], name
    assert processes_mentioning(str(demo_dir)) == []
    assert port_is_free("127.0.0.1", port)
