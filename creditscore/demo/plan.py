"""The demo's decisions, as pure functions: where things live, which servers to embed,
what to do about the model, which commands to run (unit-tested without starting anything)."""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent.parent
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
    # Served as in production: no debug pages (the site's own error pages instead).
    env.setdefault("DJANGO_DEBUG", "false")
    # Staff and supervisors may skip the second factor here, and only here (README).
    env.setdefault("OTP_REQUIRED", "false")
    # One address for every visitor: the lockout counts failures per account only.
    env.setdefault("LOGIN_LOCKOUT_BY_ADDRESS", "false")
    env.setdefault("MODEL_ARTIFACTS_DIR", str(paths.artifacts_dir))
    env.setdefault("MEDIA_ROOT", str(paths.media_dir))
    env.setdefault("MODEL_CACHE_DIR", str(paths.root / "model-cache"))
    # The e-mails to clients, one file each, where a person can read them (README).
    env.setdefault("EMAIL_FILE_PATH", str(paths.root / "mail"))
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
