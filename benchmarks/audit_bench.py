"""Cost of the audit trail's chained append against a plain insert, measured in one run.

    .venv/bin/python benchmarks/audit_bench.py [--events 2000] [--writers 4] [--hold-ms 5]
        [--hold-events 400] [--repeats 3]

What is compared, each scenario `--repeats` times in turn (the median is printed):
- plain insert: the same event rows saved with the ORM into an unchained copy of
  the audit table (`CREATE TABLE ... (LIKE audit_auditevent INCLUDING ALL)`: same
  columns and indexes, no trigger, no unique `prev_hash`), each in its own
  transaction: what any audit log costs;
- chained append: `audit.services.audit_event_record` (advisory lock, last hash
  read, sha256 over the canonical JSON, insert), each in its own transaction;
both with 1 writer process and with `--writers` processes writing at once
(`--events` in total, split between them), then
- both again inside an outer transaction that lasts `--hold-ms` more after the
  event (a service that records its event and then does more work before
  committing): the chained append holds the advisory lock until that commit,
  so concurrent writers queue behind it, which a plain insert does not;
- the verifier (`audit_verify`'s walk) over every event appended.

Writers are separate processes (multiprocessing, spawn), started once, each
with its own connection, released together by a barrier; a scenario's time
runs from the barrier to the last writer's end. The load average is printed
before and after (the machine is shared: compare within a run).

The benchmark creates its own database `cs_bench_audit_<pid>` on the server
of DATABASE_URL (migrated from scratch) and drops it at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import scratch_database, use_scratch_database  # noqa: E402

DATABASE = f"cs_bench_audit_{os.getpid()}"
PLAIN_TABLE = "audit_bench_plain"


def _plain_model():
    """An unmanaged model of the unchained copy: the same fields as AuditEvent."""
    from django.db import models

    from audit.models import AuditEvent

    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"app_label": "audit", "db_table": PLAIN_TABLE, "managed": False}),
    }
    for field in AuditEvent._meta.concrete_fields:
        if not field.primary_key:
            attrs[field.name] = field.clone()
    return type("BenchPlainEvent", (models.Model,), attrs)


def _event_detail(writer: int, n: int) -> dict:
    # What a typical event carries: the client page's explanation view.
    return {"score": str(uuid.uuid4()), "view": "client_page", "top": 10, "w": writer, "n": n}


def _worker(index: int, database_url: str, commands, results, barrier) -> None:
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from audit.chain import jsonable
    from audit.models import Action, AuditEvent, Channel
    from audit.services import audit_event_record

    plain = _plain_model()

    def chained(n: int) -> None:
        audit_event_record(
            action=Action.EXPLANATION_VIEWED, application_id=100002 + n, model_version="bench",
            channel=Channel.DASHBOARD, client_address="10.0.0.1", detail=_event_detail(index, n),
        )  # fmt: skip

    def plain_insert(n: int) -> None:
        plain.objects.create(
            actor_username="system", action=str(Action.EXPLANATION_VIEWED),
            application_id=100002 + n, model_version="bench", channel=str(Channel.DASHBOARD),
            client_address="10.0.0.1", detail=jsonable(_event_detail(index, n)),
            created_at=timezone.now(), prev_hash="", hash="",
        )  # fmt: skip

    assert AuditEvent is not None
    results.put(("ready", index))
    while True:
        command = commands.get()
        if command is None:
            return
        kind, count, hold, synchronised = command
        write = chained if kind == "chained" else plain_insert
        if synchronised:
            barrier.wait()
        started = time.monotonic()
        for n in range(count):
            if hold:
                with transaction.atomic():
                    write(n)
                    time.sleep(hold)
            else:
                write(n)
        results.put((started, time.monotonic()))


class Writers:
    def __init__(self, count: int, database_url: str):
        context = mp.get_context("spawn")
        self.barrier = context.Barrier(count)
        self.results = context.Queue()
        self.commands = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(
                target=_worker,
                args=(index, database_url, self.commands[index], self.results, self.barrier),
                daemon=True,
            )
            for index in range(count)
        ]
        for process in self.processes:
            process.start()
        for _ in self.processes:
            self.results.get(timeout=600)  # each says it is ready

    def run(self, kind: str, events: int, writers: int, hold_ms: float) -> float:
        """Seconds for `events` events written by `writers` processes at once."""
        if writers == 1:
            self.commands[0].put((kind, events, hold_ms / 1000, False))
            started, ended = self.results.get()
            return ended - started
        assert writers == len(self.processes)
        for queue in self.commands:
            queue.put((kind, events // writers, hold_ms / 1000, True))
        spans = [self.results.get() for _ in range(writers)]
        return max(end for _, end in spans) - min(start for start, _ in spans)

    def stop(self) -> None:
        for queue in self.commands:
            queue.put(None)
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events per scenario (total)")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--hold-ms", type=float, default=5.0)
    parser.add_argument("--hold-events", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()

    use_scratch_database(DATABASE)
    load_before = os.getloadavg()
    with scratch_database(DATABASE):
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        print(f"Migrating {DATABASE} ...", flush=True)
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {PLAIN_TABLE} (LIKE audit_auditevent INCLUDING ALL)")
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
                [PLAIN_TABLE],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {PLAIN_TABLE} DROP CONSTRAINT {name}")
        connection.close()

        writers = Writers(options.writers, os.environ["DATABASE_URL"])
        scenarios = [
            ("plain insert", "plain", 1, 0.0, options.events),
            ("chained append", "chained", 1, 0.0, options.events),
            ("plain insert", "plain", options.writers, 0.0, options.events),
            ("chained append", "chained", options.writers, 0.0, options.events),
            (f"plain, in a {options.hold_ms:g} ms transaction", "plain", options.writers,
             options.hold_ms, options.hold_events),
            (f"chained, in a {options.hold_ms:g} ms transaction", "chained", options.writers,
             options.hold_ms, options.hold_events),
        ]  # fmt: skip
        timings: dict[int, list[float]] = {index: [] for index in range(len(scenarios))}
        try:
            for repeat in range(options.repeats):
                print(f"round {repeat + 1} of {options.repeats} ...", flush=True)
                for index, (_, kind, count, hold, events) in enumerate(scenarios):
                    timings[index].append(writers.run(kind, events, count, hold))
        finally:
            writers.stop()

        from audit.models import AuditEvent
        from audit.verify import audit_chain_verify

        chained_total = AuditEvent.objects.count()
        verify_started = time.perf_counter()
        report = audit_chain_verify()
        verify_seconds = time.perf_counter() - verify_started
        assert report.ok, report.problem
        connection.close()
    load_after = os.getloadavg()

    print()
    print(
        f"{'scenario':<34} {'writers':>7} {'events':>7} {'seconds':>8} {'events/s':>9} "
        f"{'vs plain':>9}"
    )
    rates = {}
    for index, (label, kind, count, _, events) in enumerate(scenarios):
        seconds = statistics.median(timings[index])
        rates[index] = events / seconds
        versus = ""
        if kind == "chained":
            versus = f"{rates[index] / rates[index - 1]:.2f}x"
        print(
            f"{label:<34} {count:>7} {events:>7} {seconds:>8.2f} {rates[index]:>9,.0f} {versus:>9}"
        )
    print(
        f"{'verify (audit_verify walk)':<34} {1:>7} {chained_total:>7} {verify_seconds:>8.2f} "
        f"{chained_total / verify_seconds:>9,.0f}"
    )
    print()
    print(
        f"median of {options.repeats} rounds; {os.cpu_count()} CPUs; load average "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} before, "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} after"
    )


if __name__ == "__main__":
    main()
