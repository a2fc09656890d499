"""The demo's child processes: each leads a process group of its own, stopped whole.

A run records the processes it started (`DemoPaths.children_file`), so that a
later run can stop what a killed one left behind, and refuses to start beside
a run that is still alive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from creditscore.demo.plan import BASE_DIR, KILL_WAIT_SECONDS


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
