"""The build steps (they need Django): migrate, the data, the model, the demo users."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable

from creditscore.demo.plan import (
    BASE_DIR,
    DEMO_CLIENTS,
    DEMO_NEW_APPLICATIONS,
    DEMO_SEED,
    TRAINING_FOLDS,
    DemoPaths,
    generated_data_ready,
    generation_command,
    model_plan,
    model_ready,
    training_command,
)


def say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def django_setup() -> None:
    import django

    django.setup()


def build(paths: DemoPaths) -> tuple[dict, str]:
    """migrate, data, model, users; returns (demo users result, model status)."""
    from django.core.management import call_command

    from clients.models import Application
    from creditscore.demo.decisions import demo_client_decision_ensure
    from creditscore.demo.history import (
        HISTORY_WEEKS,
        SHIFT_WEEKS,
        demo_drift_report_and_alerts,
        demo_history_finish,
        demo_history_prepare,
    )
    from creditscore.demo.reviews import demo_review_request_ensure
    from creditscore.demo.users import demo_users_create
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
    password = demo_password()
    # The users first: the demo's risk-staff account approves the model (four eyes).
    users = step("demo users", lambda: demo_users_create(password=password))
    model_status = model_ensure(paths)
    # Twelve weeks of applications for the monitoring pages (creditscore/demo/history.py).
    history = step(
        f"spread the applications over {HISTORY_WEEKS} weeks, the last {SHIFT_WEEKS} shifted",
        lambda: demo_history_prepare(seed=DEMO_SEED),
    )
    say(f"history: {history}")
    if ModelVersion.objects.filter(is_active=True).exists():
        # The portfolio then shows a decision and a risk band for every client
        # (a second run finds nothing left to score).
        step(
            "score every client with the active model",
            lambda: call_command("score_applications", "--chunk-size", "1000"),
        )
    # The demo client's final decision, a refusal (creditscore/demo/decisions.py); first, so
    # that the review request below comes from another client of the portfolio.
    users["client_record"] = step(
        "a recorded refusal for the demo client",
        lambda: demo_client_decision_ensure(
            client=users["users"]["client"], advisor=users["users"]["advisor"]
        ),
    )
    if ModelVersion.objects.filter(is_active=True).exists():
        # After the demo client's decision: the history leaves portal clients alone.
        finished = step(
            "date the scores as of their applications, record the advisor's decisions",
            lambda: demo_history_finish(advisor=users["users"]["advisor"], seed=DEMO_SEED),
        )
        say(f"history: {finished}")
        drift = step(
            f"a drift report of the last {SHIFT_WEEKS} weeks and the alerts it raises",
            demo_drift_report_and_alerts,
        )
        say(f"monitoring: {drift}")
    # A request in the advisor's review queue (creditscore/demo/reviews.py).
    step(
        "a review request in the advisor's queue",
        lambda: demo_review_request_ensure(advisor=users["users"]["advisor"]),
    )
    return users, model_status


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
    active_version = active.version if active else None
    plan = model_plan(
        active_version=active_version,
        artifact_ready=model_ready(paths.model_dir),
        commands=set(get_commands()),
        ml_cli=(BASE_DIR / "ml" / "__main__.py").is_file(),
        data_ready=generated_data_ready(paths.data_dir),
    )
    if plan.action == "reuse":
        say(f"reusing the active model {active_version}")
        return f"model: version {active_version} (active)"
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
            f"register {paths.model_dir}",
            lambda: call_command("register_model", str(paths.model_dir)),
        )
    step("approve and activate the model as the demo's risk staff", demo_model_approve)
    active = ModelVersion.objects.get(is_active=True)
    return f"model: version {active.version} (active, artifact {paths.model_dir})"


def demo_model_approve() -> None:
    """Four eyes in the demo: the command registered the model (the shell's login); the
    demo's risk-staff account, a second person, approves it and activates it (recorded)."""
    from accounts.models import User
    from scoring.governance import model_version_approve
    from scoring.models import ModelVersion
    from scoring.registry import model_version_activate

    staff = User.objects.get(username="staff")
    version = ModelVersion.objects.order_by("-created_at").first()
    if version is None:
        return
    if not version.is_approved:
        model_version_approve(
            version=version,
            approved_by=staff,
            comment="Demo: validation report read, approved for the demonstration.",
        )
    model_version_activate(version=version.version, activated_by=staff)


def demo_password() -> str:
    from creditscore.demo.users import DEMO_PASSWORD_DEFAULT

    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


def step(title: str, action: Callable):
    say(f"{title} ...")
    started = time.monotonic()
    result = action()
    say(f"{title}: done in {time.monotonic() - started:.1f} s")
    return result
