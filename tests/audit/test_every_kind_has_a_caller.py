"""Every kind of audit event is recorded somewhere in the code, not only declared.

A kind without a caller is a promise the trail does not keep: supervisors would
search the trail for events that never come. (This replaces the list of kinds
"still to come", empty since every feature landed.)
"""

from __future__ import annotations

import re
from pathlib import Path

from audit.models import AuditEvent

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Where callers live: the apps, not the tests, migrations, benchmarks or the declaration.
NOT_CALLERS = {"tests", ".venv", "migrations", "benchmarks", "node_modules"}
DECLARATION = PROJECT_ROOT / "audit" / "models.py"


def _application_code() -> str:
    return "\n".join(
        path.read_text()
        for path in PROJECT_ROOT.rglob("*.py")
        if not NOT_CALLERS & set(path.relative_to(PROJECT_ROOT).parts) and path != DECLARATION
    )


def test_every_kind_of_audit_event_is_recorded_by_some_code():
    code = _application_code()

    never_recorded = [
        action.name
        for action in AuditEvent.Action
        if not re.search(rf"\bAction\.{action.name}\b", code)
    ]

    assert never_recorded == []
