"""Several processes appending at once still make one chain, with every event once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verify import audit_chain_verify

WORKER = Path(__file__).with_name("append_worker.py")
WRITERS = 4
EVENTS_EACH = 40


def test_concurrent_writers_keep_one_valid_chain(transactional_db, tmp_path):
    # The children connect to this test's database (committed rows: transactional_db).
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.test",
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}")),
    }
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{writer}" for writer in range(WRITERS)]
    children = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(writer), str(EVENTS_EACH), str(ready[writer]),
             str(go)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for writer in range(WRITERS)
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not all(path.exists() for path in ready):
            assert all(child.poll() is None for child in children), _outputs(children)
            assert time.monotonic() < deadline, "the writers did not start"
            time.sleep(0.05)
        go.touch()  # all at once
        for child in children:
            child.wait(timeout=240)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    assert [child.returncode for child in children] == [0] * WRITERS, _outputs(children)

    written = [(e["writer"], e["n"]) for e in AuditEvent.objects.values_list("detail", flat=True)]
    assert sorted(written) == sorted(
        (str(writer), n) for writer in range(WRITERS) for n in range(EVENTS_EACH)
    )
    report = audit_chain_verify()
    assert report.ok, report.problem
    assert report.checked == WRITERS * EVENTS_EACH
    # The writers really interleaved (otherwise this test would prove nothing).
    details = AuditEvent.objects.order_by("id").values_list("detail", flat=True)
    order = [detail["writer"] for detail in details]
    switches = sum(1 for a, b in zip(order, order[1:], strict=False) if a != b)
    assert switches >= WRITERS, f"the writers ran one after the other: {switches} switches"


def _outputs(children) -> str:
    out = []
    for child in children:
        if child.poll() is not None:
            stdout, stderr = child.communicate()
            out.append(f"exit {child.returncode}: {stdout[-2000:]} {stderr[-2000:]}")
    return "\n".join(out)


pytestmark = pytest.mark.slow
