"""The API fuzzed from its own schema (schemathesis): no 5xx, every answer as the schema says.

Schemathesis reads /api/schema/ and generates requests for every operation,
valid ones (positive) and invalid ones (negative: wrong types, missing fields,
out-of-range numbers), sent in-process with an integration token. Half the
rounds name real objects in the path (a client that exists, its score, a
batch of the account), so that the valid requests reach the code behind the
lookups and not only its 404. Each response is checked by schemathesis'
checks: not a server error, a status code, content type, headers and body the
schema declares for the operation.

The run is bounded by time: `FUZZ_SECONDS` (60 in `make test`; `make fuzz`
runs a long one and prints the request count). The first failure stops it
with the request that caused it, shrunk by Hypothesis.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.services import api_token_issue
from scoring.models import BatchJob
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# "Schema-valid data is accepted" needs a request schema that states every rule of the
# serializers; some cannot be said in OpenAPI's terms the way they are generated now
# (DAYS_EMPLOYED: -36500..0 or 365243; amounts checked against each other), so a valid-
# looking request may rightly get a 400 naming the field. Every other check runs: no
# server error, documented status codes, content types, headers and bodies, and invalid
# data refused (negative_data_rejection).
EXCLUDED_CHECKS = [positive_data_acceptance]

FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "60"))
# Examples per operation per round: small, so every operation gets its turn often.
ROUND_EXAMPLES = int(os.environ.get("FUZZ_ROUND_EXAMPLES", "10"))


@pytest.fixture
def api_schema(settings, serving_version):
    from creditscore.wsgi import application

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # A throttled caller gets 429, which the schema declares, but the fuzzing would
    # spend its budget on those: the throttles have their own tests.
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {
        scope: "1000000/minute" for scope in framework.get("DEFAULT_THROTTLE_RATES", {})
    }
    settings.REST_FRAMEWORK = framework
    # The WSGI handler closes the database connection at the end of each request, which
    # would end the test's transaction: Django's test client unhooks that, as here.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def real_objects(integration, advisor, scored) -> dict[str, object]:
    """Path parameters that exist: a scored client, its score, a batch of the caller's."""
    ApplicationFactory(advisor=advisor)
    batch = BatchJob.objects.create(created_by=integration, source="batch/in/fuzz.csv")
    return {
        "sk_id_curr": scored.application_id,
        "score_id": str(scored.pk),
        "batch_id": str(batch.pk),
    }


def test_generated_requests_to_every_operation_get_no_server_error_and_answers_as_documented(
    api_schema, integration, integration_token, real_objects, capsys
):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15, [op.label for op in operations]
    headers = {"Authorization": f"Token {integration_token}"}

    def headers_for(operation) -> dict[str, str]:
        # Revoking the token (DELETE /auth/token) would leave the rest of the run
        # unauthenticated: that operation revokes a token of its own each time.
        if operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token"):
            _token, key = api_token_issue(user=integration)
            return {"Authorization": f"Token {key}"}
        return headers

    sent: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    deadline = time.monotonic() + FUZZ_SECONDS

    started = time.monotonic()
    try:
        fuzz_until(deadline, operations, real_objects, headers_for, sent, statuses)
    finally:
        # Said even when a failure stops the run: how far it went.
        with capsys.disabled():
            print(
                f"\nfuzzing: {sum(sent.values())} requests answered and checked in "
                f"{time.monotonic() - started:.0f} s over {len(operations)} operations; "
                f"statuses {dict(sorted(statuses.items()))}"
            )
    assert set(sent) == {op.label for op in operations}, "an operation was never tried"
    assert not [code for code in statuses if code >= 500 and code != 503]


def fuzz_until(deadline, operations, real_objects, headers_for, sent, statuses) -> None:
    rounds = 0
    while time.monotonic() < deadline:
        for operation in operations:
            # The first round tries every operation, however short the budget.
            if rounds and time.monotonic() >= deadline:
                break
            mode = GenerationMode.NEGATIVE if rounds % 2 else GenerationMode.POSITIVE
            names = {p.name for p in operation.path_parameters}
            fixed = {name: value for name, value in real_objects.items() if name in names}
            # Real objects in the path on every other valid round (an invalid request
            # mutates the path too: it gets the generated ones).
            strategy = operation.as_strategy(
                generation_mode=mode, path_parameters=fixed if rounds % 4 == 0 else None
            )

            run_round(operation, strategy, headers_for, sent, statuses)
        rounds += 1


def run_round(operation, strategy, headers_for, sent: Counter, statuses: Counter) -> None:
    """`ROUND_EXAMPLES` generated requests to `operation`; a failing check raises, shrunk."""

    @given(case=strategy)
    @settings(
        max_examples=ROUND_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        response = case.call_and_validate(
            headers=headers_for(operation), excluded_checks=EXCLUDED_CHECKS
        )
        sent[operation.label] += 1
        statuses[response.status_code] += 1

    try:
        fuzz()
    except Unsatisfiable:
        # Nothing of the operation can be made invalid (no parameter, no body): no
        # negative request exists for it.
        pass
