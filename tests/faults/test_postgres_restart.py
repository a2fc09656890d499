"""PostgreSQL restarts while the web server and a worker run: clean errors, then recovery.

The database is a scratch PostgreSQL of the test's own (the demo's embedded server,
`creditscore.demo.servers.EmbeddedPostgres`, on a unix socket in a temporary folder):
stopping it never disturbs the suite's database. gunicorn and a Celery worker run
against it as they would in production, and are never restarted by the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from creditscore.demo.servers import EmbeddedPostgres
from tests.faults.conftest import free_port
from tests.worker.conftest import PROJECT_ROOT

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.slow]

SETUP_SCRIPT = """
from django.contrib.auth.models import Group
from accounts.models import User
from accounts.roles import Role
from accounts.services import api_token_issue
from clients.models import Application
user = User.objects.create_user("integration-faults", password="x" * 16)
user.groups.add(Group.objects.get(name=str(Role.INTEGRATION)))
advisor = User.objects.create_user("advisor-faults", password="x" * 16)
advisor.groups.add(Group.objects.get(name=str(Role.ADVISOR)))
Application.objects.update(advisor=advisor)
print("TOKEN", api_token_issue(user=user)[1])
ids = Application.objects.order_by("pk").values_list("pk", flat=True)
print("IDS", " ".join(str(pk) for pk in ids))
"""


class Http:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def __call__(self, method: str, path: str) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


def _run(command: list[str], env: dict[str, str]) -> str:
    finished = subprocess.run(
        [sys.executable, *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


def _wait(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


@pytest.fixture
def scratch_postgres():
    # Not under pytest's tmp_path: every pytest session on the machine resets
    # /tmp/pytest-of-<user> to 0700, and the server (run as the `pgserver` user) then
    # loses its way to its own files mid-test ("pg_control: Permission denied").
    folder = Path(tempfile.mkdtemp(prefix="creditscore-faults-pg-"))
    folder.chmod(0o755)
    server = EmbeddedPostgres(folder / "pgdata", database="faults")
    try:
        url = server.start()
        yield server, url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_postgres_restart_gives_clean_503s_and_everything_works_again_without_restarts(
    scratch_postgres, own_redis, trained_artifact, synthetic_clients_dir, tmp_path
):
    server, database_url = scratch_postgres
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": own_redis.url,
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_RESULT_BACKEND": own_redis.url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MODEL_CACHE_DIR": str(tmp_path / "model-cache"),
    }
    _run(["manage.py", "migrate", "-v", "0"], env)
    _run(["manage.py", "import_homecredit", str(synthetic_clients_dir)], env)
    _run(
        ["manage.py", "register_model", str(trained_artifact), "--activate", "--emergency",
         "--reason", "fault test: a scratch database"],
        env,
    )  # fmt: skip
    printed = _run(["manage.py", "shell", "-c", SETUP_SCRIPT], env).splitlines()
    lines = dict(line.split(" ", 1) for line in printed if " " in line)
    token, ids = lines["TOKEN"].strip(), lines["IDS"].split()
    port = free_port()
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in ("web", "worker")}
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "creditscore.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--timeout", "60"],
        cwd=PROJECT_ROOT, env=env, stdout=logs["web"], stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "creditscore", "worker", "-c", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=PROJECT_ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    http = Http(port, token)
    try:

        def web_answers() -> bool:
            try:
                return http("GET", f"/api/v1/applications/{ids[0]}")[0] == 200
            except OSError:
                return False

        _wait(web_answers, timeout=60, what="gunicorn answering")

        def score_done(sk_id_curr: str) -> bool:
            # Asking again is idempotent: the same score, 200 once it is done.
            status, _, body = http("POST", f"/api/v1/applications/{sk_id_curr}/score")
            return status == 200 and json.loads(body).get("status") == "done"

        assert http("POST", f"/api/v1/applications/{ids[0]}/score")[0] in (200, 202)
        _wait(lambda: score_done(ids[0]), timeout=90, what="the first score")

        server.stop()
        for method, path in (
            ("GET", f"/api/v1/applications/{ids[0]}"),
            ("POST", f"/api/v1/applications/{ids[1]}/score"),
        ):
            status, headers, body = http(method, path)
            assert status == 503, (method, path, status, body)
            assert int(headers["Retry-After"]) > 0
            assert json.loads(body)["code"] == "service_unavailable"
            assert "Traceback" not in body and "psycopg" not in body
        page = urllib.request.Request(f"{http.base}/accounts/login/", method="POST", data=b"")
        try:
            urllib.request.urlopen(page, timeout=20)
            raise AssertionError("a login while the database is down cannot succeed")
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            assert error.code in (403, 503), error.code  # CSRF refusal needs no database
            assert "Traceback" not in text

        server.start()
        # Neither web nor worker restarted: their connections are checked and reopened.
        _wait(web_answers, timeout=60, what="the web server after the restart")
        assert http("POST", f"/api/v1/applications/{ids[1]}/score")[0] in (200, 202)
        _wait(lambda: score_done(ids[1]), timeout=120, what="a score after the restart")
        assert web.poll() is None and worker.poll() is None
    finally:
        for process in (web, worker):
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
        for log in logs.values():
            log.close()
    worker_log = Path(tmp_path / "worker.log").read_text(errors="replace")
    assert "succeeded" in worker_log
