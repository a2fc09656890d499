"""A separate process appending audit events (tests/audit/test_concurrent_appends.py).

    python tests/audit/append_worker.py WRITER COUNT READY_FILE GO_FILE

Django is set up from the environment (DJANGO_SETTINGS_MODULE, DATABASE_URL);
the process says it is ready, waits for the go, then appends COUNT events,
each in its own transaction, as a web process would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(writer: str, count: int, ready: Path, go: Path) -> None:
    import django

    django.setup()
    from audit.models import AuditEvent
    from audit.services import audit_event_record

    ready.write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go after 120 s")
        time.sleep(0.01)
    for n in range(count):
        audit_event_record(action=AuditEvent.Action.SCORE_VIEWED, detail={"writer": writer, "n": n})


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
