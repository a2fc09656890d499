"""Serving: the web and worker commands, waiting until both answer, the banner."""

from __future__ import annotations

import os
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from creditscore.demo.build import demo_password
from creditscore.demo.plan import HOST
from creditscore.demo.processes import Children


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


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
    from creditscore.demo.users import render_logins

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
        "  second factor (TOTP): not required of the demo logins here (OTP_REQUIRED=false);",
        f"    to try it, log in as staff and enrol an app at {url}accounts/two-factor/",
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
