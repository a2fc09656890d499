"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

What can be checked here is checked for real: the YAML parses, the services and
their healthchecks exist, every command they run exists in this project (with
options their own parsers accept), and every variable given to the app is one
the settings read.
"""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by Django or Celery themselves rather than by creditscore/settings.
PROCESS_VARIABLES = {"DJANGO_SETTINGS_MODULE"}
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?::(?P<op>[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str) -> str:
    """What `docker compose` makes of ${VAR:-default} / ${VAR:?message} with nothing set."""

    def replace(match: re.Match) -> str:
        if match["op"] == "-":
            return match["arg"]
        if match["op"] == "?":
            return f"required-{match['name'].lower()}"
        return ""

    return INTERPOLATION.sub(replace, value).replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def app_environment(service: dict) -> dict[str, str]:
    return {name: interpolate(str(value)) for name, value in service["environment"].items()}


def settings_variables() -> set[str]:
    """Every variable name creditscore/settings/*.py reads through django-environ."""
    names = set()
    for module in (ROOT / "creditscore" / "settings").glob("*.py"):
        names |= set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z0-9_]+)\"", module.read_text()))
    return names


def test_compose_file_defines_the_five_services_and_a_one_shot_migration(services):
    assert set(services) >= {"db", "redis", "web", "worker", "beat", "migrate"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["migrate"]["restart"] == "no"


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker"])
def test_long_running_services_have_a_healthcheck(services, name):
    assert services[name]["healthcheck"]["test"]


def test_database_healthcheck_asks_pg_isready_for_the_database_the_app_uses(services):
    test = " ".join(services["db"]["healthcheck"]["test"])
    url = app_environment(services["web"])["DATABASE_URL"]

    assert "pg_isready -U creditscore -d creditscore" in test
    assert url.startswith("postgres://creditscore:") and url.endswith("@db:5432/creditscore")
    assert services["db"]["environment"]["POSTGRES_DB"] == "creditscore"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_start_once_the_servers_are_healthy_and_the_schema_migrated(services, name):
    depends_on = services[name]["depends_on"]

    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_every_service_waited_for_as_healthy_has_a_healthcheck(services):
    for name, service in services.items():
        for target, condition in service.get("depends_on", {}).items():
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits for {target}"


def test_migration_does_not_wait_for_itself(services):
    assert "migrate" not in services["migrate"]["depends_on"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_given_only_variables_the_settings_read(services, name):
    unknown = set(services[name]["environment"]) - settings_variables() - PROCESS_VARIABLES

    assert unknown == set()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_the_production_settings_with_the_required_secrets(services, name):
    env = app_environment(services[name])

    assert env["DJANGO_SETTINGS_MODULE"] == "creditscore.settings.production"
    for variable in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"):
        assert env[variable], variable
    assert importlib.util.find_spec(env["DJANGO_SETTINGS_MODULE"]) is not None


def test_the_secret_key_has_no_default_in_the_compose_file(services):
    assert ":?" in services["web"]["environment"]["DJANGO_SECRET_KEY"]


def test_no_secret_has_a_default_value_anywhere(compose):
    """Every password, key or token is either required (${VAR:?...}) or empty by default."""
    text = COMPOSE.read_text()
    for match in INTERPOLATION.finditer(text):
        name = match["name"]
        if any(word in name for word in ("SECRET", "PASSWORD", "TOKEN", "KEY")):
            assert match["op"] == "?" or (match["op"] == "-" and match["arg"] == ""), name
    assert "POSTGRES_PASSWORD:?" in compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    assert "POSTGRES_PASSWORD:?" in compose["x-app"]["environment"]["DATABASE_URL"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_https_only_unless_the_operator_turns_it_off(services, name):
    env = app_environment(services[name])

    assert env["DJANGO_SECURE_COOKIES"] == "true"
    assert env["DJANGO_SSL_REDIRECT"] == "true"
    # Neither proxy header is believed unless the operator says a proxy sets it.
    assert env["DJANGO_PROXY_SSL_HEADER"] == ""
    assert env["TRUSTED_PROXY_COUNT"] == "0"


def test_web_and_worker_share_the_media_volume_where_model_archives_live(compose, services):
    for name in ("web", "worker"):
        env = app_environment(services[name])
        assert "media:/app/media" in services[name]["volumes"]
        assert env["MEDIA_ROOT"] == "/app/media"
        assert env["MODEL_ARTIFACTS_DIR"].startswith("/app/media/")
    assert "media" in compose["volumes"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_paths_the_app_writes_to_are_owned_by_the_app_user(services, name):
    """The image's /app belongs to root: only the media volume and the home are writable."""
    env = app_environment(services[name])

    for variable in ("MEDIA_ROOT", "MODEL_ARTIFACTS_DIR", "MODEL_CACHE_DIR"):
        assert env[variable].startswith(("/app/media", "/home/app/", "/tmp/")), variable


def test_web_command_is_gunicorn_serving_the_projects_wsgi_application(services):
    from gunicorn.config import Config

    command = command_of(services["web"])
    assert command[0] == "gunicorn"
    options = Config().parser().parse_args(command[1:])  # gunicorn's own parser
    (target,) = options.args
    module_name, attribute = target.split(":")

    assert callable(getattr(importlib.import_module(module_name), attribute))
    assert options.bind == ["0.0.0.0:8000"]


def healthcheck_code(services) -> str:
    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    return test[3]


def test_web_healthcheck_asks_a_host_the_settings_allow(services):
    code = healthcheck_code(services)
    host = re.search(r"'Host': '([\w.]+)'", code)[1]
    allowed = app_environment(services["web"])["DJANGO_ALLOWED_HOSTS"].split(",")

    assert "HTTPConnection('127.0.0.1', 8000" in code
    assert host in allowed  # else production settings answer 400 (still healthy, but blind)


@pytest.mark.django_db(transaction=True)
def test_web_healthcheck_passes_against_a_running_server_and_fails_without_one(
    services, live_server
):
    """The container's check, run for real against a live server (over plain HTTP the
    production settings answer a redirect to HTTPS: below 500, healthy)."""
    import socket
    import subprocess
    import sys

    port = live_server.url.rsplit(":", 1)[1]
    # A loaded test machine may take longer than the container's 4 s for a first page.
    code = healthcheck_code(services).replace("8000", port).replace("timeout=4", "timeout=60")
    assert code != healthcheck_code(services).replace("8000", port)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    up = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    down = subprocess.run(
        [sys.executable, "-c", healthcheck_code(services).replace("8000", str(closed_port))],
        capture_output=True,
        timeout=60,
    )

    assert up.returncode == 0, up.stderr
    assert down.returncode != 0


def celery_arguments_parse(arguments: list[str]) -> dict:
    """Parse `celery -A creditscore SUBCOMMAND ...` with Celery's own click parser."""
    from celery.bin.base import CLIContext
    from celery.bin.celery import celery as celery_cli

    from creditscore import celery_app

    assert arguments[:2] == ["-A", "creditscore"]
    subcommand, options = arguments[2], arguments[3:]
    group = celery_cli.make_context("celery", list(arguments))
    obj = CLIContext(app=celery_app, no_color=True, workdir=None, quiet=True)
    context = celery_cli.get_command(group, subcommand).make_context(
        subcommand, list(options), parent=group, obj=obj
    )
    return context.params


@pytest.mark.parametrize("name,subcommand", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_run_the_projects_celery_app_with_valid_options(services, name, subcommand):
    from celery import Celery

    command = command_of(services[name])

    assert command[0] == "celery" and command[3] == subcommand
    assert isinstance(importlib.import_module("creditscore").celery_app, Celery)
    celery_arguments_parse(command[1:])  # raises on an unknown option


def test_beat_reads_its_schedules_from_the_database_and_writes_no_schedule_file(settings):
    """The image's /app is read-only for the app user: beat must not need a file there."""
    command = command_of(yaml.safe_load(COMPOSE.read_text())["services"]["beat"])

    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert celery_arguments_parse(command[1:])["scheduler"] == settings.CELERY_BEAT_SCHEDULER
    assert "--schedule" not in command and "-s" not in command


def test_worker_healthcheck_pings_this_worker_with_valid_options(services):
    (shell_command,) = services["worker"]["healthcheck"]["test"][1:]
    command = shlex.split(interpolate(shell_command))

    assert command[0] == "celery"
    params = celery_arguments_parse(command[1:])
    assert params["command"] == "ping"
    assert params["destination"] == ["celery@$HOSTNAME"]  # the container's default node name


@pytest.mark.parametrize("name", ["migrate"])
def test_management_commands_run_by_compose_exist_and_accept_their_options(services, name):
    command = command_of(services[name])
    assert command[:2] == ["python", "manage.py"]
    command_name, arguments = command[2], command[3:]

    app = get_commands()[command_name]
    load_command_class(app, command_name).create_parser("manage.py", command_name).parse_args(
        arguments
    )


def test_dockerfile_builds_from_python_311_slim_with_the_requirements():
    text = DOCKERFILE.read_text()

    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert "pip install -r requirements.txt" in text


def test_dockerfile_collects_static_files_at_build_with_a_placeholder_key():
    text = DOCKERFILE.read_text()

    assert re.search(r"DJANGO_SECRET_KEY=\S+.*\\\s*\n\s*python manage.py collectstatic", text)


def test_image_runs_as_a_non_root_user():
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE.read_text(), re.MULTILINE)

    assert users and users[-1] not in {"root", "0"}


def test_build_context_leaves_out_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {".git", ".venv", ".demo", ".env", "media"} <= ignored
