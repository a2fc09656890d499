"""Server time of the dashboard pages with many clients, with and without the portfolio indexes.

    .venv/bin/python benchmarks/dashboard_bench.py [--clients 300000] [--advisors 50]
        [--requests 50] [--history-clients 500] [--seed 0]
        [--scored-clients 100] [--train-clients 2000] [--artifact DIR]
        [--unscored-share 0.1] [--review-share 0.005]

Creates its own database `creditscore_bench_dashboard` on the server of
DATABASE_URL (dropped at the end; it never touches another one), migrates it,
loads N clients with COPY (spread over --advisors advisors: the real rows of
../shared/data/homecredit's application_test repeated under new ids when the
samples are there, so that rows have their real width; narrow synthetic rows
otherwise) and a realistic credit history (per client, the mean sizes of the full Kaggle data)
for --history-clients of them, then VACUUM ANALYZE, as autovacuum would.

Each scenario is requested --requests times through Django's test Client
(full stack: middleware, session, permissions, SQL, templates), one request
at a time; the figures are server time per request (p50, p95, max) and the
number of SQL queries per request. The history tables hold rows for the
sampled clients only: a client page reads them through indexes on
SK_ID_CURR, whose cost grows with the log of the table size, not its size.

The client page is then measured again with a score (decision gauge, SHAP
waterfall, global importance, population charts, similar clients, what-if
form): a model is trained on --train-clients synthetic clients (2 folds) or
taken from --artifact, registered in a temporary storage, and
--scored-clients of the clients with a history are scored in-process (the
worker's vectorised path). Two scenarios: each request a client not seen
before (its explanation not yet in the Redis cache) and the same client again
(cached); their baseline is the same page without a score, measured above.

Then most clients get a stored score and some an open review request
(written in SQL: the portfolio reads stored scores, never the model) and
the portfolio's score filters and risk sort are measured, each against the
plain first page of the same role measured right after.

Baseline in the same run: the portfolio scenarios again after dropping the
indexes of the migrations `clients.0002_portfolio_indexes` and
`0003_portfolio_filter_indexes` (then re-created and measured again: the
better of the two runs with indexes is shown, so that a change of load on a
shared machine is not taken for an effect of the indexes), and the exact
COUNT(*) that the estimated count replaces for an unfiltered list of every
client.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "creditscore_bench_dashboard"
FIRST_ID = 100_002  # Kaggle's first SK_ID_CURR
REAL_APPLICATIONS = (
    REPO.parent
    / "shared"
    / "data"
    / "homecredit"
    / "gitadum__credit_risk_rating"
    / "application_test.csv.gz"
)

# Mean rows per client in the full Kaggle data.
HISTORY_PER_CLIENT = {"bureau": 6, "previous": 5, "pos": 30, "instalments": 44, "cards": 12}


# Django must see the benchmark database before it loads the settings.
sys.path.insert(0, str(REPO))
from benchmarks.scratch_database import (  # noqa: E402
    scratch_database,
    use_scratch_database,
)

use_scratch_database(BENCH_DATABASE)
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"

import django  # noqa: E402


@dataclass
class Figures:
    name: str
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int
    sql_ms: float  # time spent in the database by the last request


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(name: str, client, urls: Callable[[int], str], requests: int) -> Figures:
    """Time `requests` GETs (after one warm-up) and count the SQL of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(urls(0))
    assert response.status_code == 200, (urls(0), response.status_code)
    timings = []
    for n in range(requests):
        url = urls(n)
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(urls(requests))
    return Figures(
        name,
        statistics.median(timings),
        percentile(timings, 0.95),
        max(timings),
        len(queries.captured_queries),
        sum(float(query["time"]) for query in queries.captured_queries) * 1000,
    )


def print_table(title: str, rows: list[Figures], baseline: dict[str, Figures] | None = None):
    print(f"\n{title}")
    header = f"{'scenario':<52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4} {'SQL ms':>7}"
    if baseline:
        header += f" {'p50 without indexes':>20} {'ratio':>6}"
    print(header)
    for row in rows:
        line = (
            f"{row.name:<52} {row.p50_ms:>8.1f} {row.p95_ms:>8.1f} {row.max_ms:>8.1f} "
            f"{row.queries:>4} {row.sql_ms:>7.1f}"
        )
        if baseline and row.name in baseline:
            base = baseline[row.name]
            line += f" {base.p50_ms:>17.1f} ms {base.p50_ms / row.p50_ms:>5.1f}x"
        print(line)


def load_clients(cursor, *, clients: int, advisor_ids: list[int], seed: int) -> str:
    """COPY `clients` applications; say where their rows come from.

    Real rows when the shared samples are there (application_test's 48,744
    rows of 121 columns, repeated under new ids): the table then has the width
    of the real one, which is what sequential scans and counts pay for.
    """
    if REAL_APPLICATIONS.is_file():
        load_real_clients(cursor, clients=clients, advisor_ids=advisor_ids)
        return f"real rows of {REAL_APPLICATIONS.name}, repeated under new ids"
    load_synthetic_clients(cursor, clients=clients, advisor_ids=advisor_ids, seed=seed)
    return "synthetic rows of 15 columns (the real samples are absent: narrower than real rows)"


def load_real_clients(cursor, *, clients: int, advisor_ids: list[int]) -> None:
    import numpy as np
    import pandas as pd

    from ml import schema

    frame = pd.read_csv(REAL_APPLICATIONS)
    frame.columns = [name.lower() for name in frame.columns]
    for column in schema.APPLICATION.columns:
        if column.kind == schema.INT and column.field_name in frame:
            frame[column.field_name] = frame[column.field_name].astype("Int64")
    columns = [*frame.columns, "advisor_id"]
    sql = f"COPY application ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
    for start in range(0, clients, len(frame)):
        chunk = frame.iloc[: min(len(frame), clients - start)].copy()
        positions = start + np.arange(len(chunk))
        chunk["sk_id_curr"] = FIRST_ID + positions
        chunk["advisor_id"] = np.asarray(advisor_ids)[positions % len(advisor_ids)]
        buffer = io.StringIO()
        chunk[columns].to_csv(buffer, header=False, index=False)
        buffer.seek(0)
        with cursor.copy(sql) as copy:
            while data := buffer.read(1 << 20):
                copy.write(data)


def load_synthetic_clients(cursor, *, clients: int, advisor_ids: list[int], seed: int) -> None:
    """Applications with only the columns the dashboard shows."""
    rng = random.Random(seed)
    contract = ["Cash loans"] * 9 + ["Revolving loans"]
    gender = ["F", "F", "M"]
    income_types = (
        ["Working"] * 5 + ["Commercial associate"] * 2 + ["Pensioner"] * 2 + ["State servant"]
    )
    organisations = ["Business Entity Type 3", "XNA", "Self-employed", "Other", "School"]
    buffer = io.StringIO()
    for n in range(clients):
        pensioner = rng.random() < 0.18
        buffer.write(
            "\t".join(
                (
                    str(FIRST_ID + n),
                    str(advisor_ids[n % len(advisor_ids)]),
                    rng.choice(contract),
                    rng.choice(gender),
                    "Pensioner" if pensioner else rng.choice(income_types),
                    "XNA" if pensioner else rng.choice(organisations),
                    f"{rng.lognormvariate(11.9, 0.5):.1f}",
                    f"{rng.lognormvariate(13.1, 0.6):.1f}",
                    f"{rng.lognormvariate(10.1, 0.5):.1f}",
                    str(-rng.randint(7_500, 25_000)),
                    "365243" if pensioner else str(-rng.randint(30, 12_000)),
                    "0",
                    "Married",
                    "House / apartment",
                    "Secondary / secondary special",
                )
            )
            + "\n"
        )
    buffer.seek(0)
    columns = (
        "sk_id_curr, advisor_id, name_contract_type, code_gender, name_income_type, "
        "organization_type, amt_income_total, amt_credit, amt_annuity, days_birth, "
        "days_employed, cnt_children, name_family_status, name_housing_type, "
        "name_education_type"
    )
    with cursor.copy(f"COPY application ({columns}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def load_history(*, client_ids: list[int], seed: int) -> None:
    """A credit history of the Kaggle mean size for each of `client_ids`."""
    from clients.models import (
        Bureau,
        CreditCardBalance,
        InstallmentsPayment,
        PosCashBalance,
        PreviousApplication,
    )

    rng = random.Random(seed + 1)
    bureau, previous, pos, instalments, cards = [], [], [], [], []
    for index, client_id in enumerate(client_ids):
        for k in range(HISTORY_PER_CLIENT["bureau"]):
            bureau.append(
                Bureau(
                    sk_id_bureau=5_000_000 + index * 100 + k,
                    application_id=client_id,
                    credit_active=rng.choice(["Active", "Closed"]),
                    credit_type="Consumer credit",
                    days_credit=-rng.randint(1, 2_900),
                    amt_credit_sum=rng.uniform(10_000, 500_000),
                )
            )
        for k in range(HISTORY_PER_CLIENT["previous"]):
            previous.append(
                PreviousApplication(
                    sk_id_prev=1_000_000 + index * 100 + k,
                    application_id=client_id,
                    name_contract_type="Consumer loans",
                    name_contract_status=rng.choice(["Approved", "Refused", "Canceled"]),
                    days_decision=-rng.randint(1, 2_900),
                    amt_application=rng.uniform(10_000, 300_000),
                )
            )
        loan = 1_000_000 + index * 100
        for k in range(HISTORY_PER_CLIENT["pos"]):
            pos.append(
                PosCashBalance(
                    application_id=client_id,
                    sk_id_prev=loan + k % 3,
                    months_balance=-1 - k // 3,
                    cnt_instalment=12.0,
                    name_contract_status="Active",
                    sk_dpd=rng.choice([0] * 9 + [rng.randint(1, 60)]),
                )
            )
        for k in range(HISTORY_PER_CLIENT["instalments"]):
            due = -30 * (k + 1)
            instalments.append(
                InstallmentsPayment(
                    application_id=client_id,
                    sk_id_prev=loan + k % 4,
                    num_instalment_number=k + 1,
                    days_instalment=due,
                    days_entry_payment=due + rng.choice([-5, -2, 0, 0, 0, 3, 12]),
                    amt_instalment=5_000.0,
                    amt_payment=5_000.0,
                )
            )
        for k in range(HISTORY_PER_CLIENT["cards"]):
            cards.append(
                CreditCardBalance(
                    application_id=client_id,
                    sk_id_prev=loan + 50,
                    months_balance=-1 - k,
                    amt_balance=rng.uniform(0, 50_000),
                    amt_credit_limit_actual=90_000,
                    name_contract_status="Active",
                    sk_dpd=0,
                )
            )
    for model, rows in (
        (Bureau, bureau),
        (PreviousApplication, previous),
        (PosCashBalance, pos),
        (InstallmentsPayment, instalments),
        (CreditCardBalance, cards),
    ):
        model.objects.bulk_create(rows, batch_size=5_000)


PORTFOLIO_INDEXES = (
    "portfolio_by_id",
    "portfolio_by_income",
    "portfolio_by_credit",
    "portfolio_by_age",
    "all_clients_by_income",
    "all_clients_by_credit",
    "all_clients_by_age",
    "application_contract_type",
    "application_gender",
    "application_income_type",
    "application_organization",
    "application_occupation",
)


def portfolio_scenarios(advisor_ids: list[int], clients: int) -> list[tuple[str, str, object]]:
    """(name, who, url of request n) of each portfolio scenario."""
    per_advisor = clients // len(advisor_ids)
    advisor_pages = max(per_advisor // 25, 1)
    all_pages = max(clients // 25, 1)
    some_ids = [str(FIRST_ID + (n * 7_919) % clients) for n in range(1_000)]
    return [
        ("advisor: page 1, by id", "advisor", lambda n: "/clients/"),
        (
            "advisor: random page, income high->low",
            "advisor",
            lambda n: f"/clients/?sort=-income&page={1 + (n * 37) % advisor_pages}",
        ),
        (
            "advisor: search id prefix (4 digits)",
            "advisor",
            lambda n: f"/clients/?q={some_ids[n][:4]}",
        ),
        (
            "advisor: filter gender + income type, by age",
            "advisor",
            lambda n: "/clients/?gender=F&income_type=Working&sort=age",
        ),
        ("supervisor: page 1 of all, by id", "supervisor", lambda n: "/clients/"),
        (
            "supervisor: random page of all, credit high->low",
            "supervisor",
            lambda n: f"/clients/?sort=-credit&page={1 + (n * 7_919) % min(all_pages, 400)}",
        ),
        ("supervisor: exact client id", "supervisor", lambda n: f"/clients/?q={some_ids[n]}"),
        (
            "supervisor: filter Pensioner, by income",
            "supervisor",
            lambda n: "/clients/?income_type=Pensioner&sort=income",
        ),
        ("supervisor: text search 'school'", "supervisor", lambda n: "/clients/?q=school"),
    ]


def store_portfolio_scores(*, unscored_share: float, review_share: float, seed: int) -> str:
    """Give most clients a stored current score and some an open review request, in SQL.

    The portfolio filters read stored scores only (Score.is_current), never
    the model, so their cost at 300,000 clients is measured on scores written
    straight into the table: probabilities drawn from a skewed distribution
    (mean about 9%, like calibrated probabilities of an 8% default rate),
    the decision from the active model's threshold. Clients already scored
    by the model keep their real score.
    """
    from django.db import connection

    from scoring.models import ModelVersion

    version = ModelVersion.objects.get(is_active=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute(
            """
            INSERT INTO scoring_score (id, application_id, model_version_id, input_digest,
                status, probability, decision, threshold, error, channel, created_at,
                started_at, finished_at, is_current)
            SELECT gen_random_uuid(), a.sk_id_curr, %(version)s, md5(a.sk_id_curr::text),
                'done', p.probability,
                CASE WHEN p.probability >= %(threshold)s THEN 'refused' ELSE 'granted' END,
                %(threshold)s, '', 'batch', now(), now(), now(), true
            FROM (
                -- random() in a select list is drawn again for every row
                SELECT sk_id_curr, 0.45 * power(random(), 3.5) + 0.002 AS probability
                FROM application WHERE random() >= %(unscored)s
            ) AS p
            JOIN application a ON a.sk_id_curr = p.sk_id_curr
            WHERE NOT EXISTS (SELECT 1 FROM scoring_score s
                              WHERE s.application_id = a.sk_id_curr AND s.is_current)
            """,
            {"version": version.pk, "threshold": version.threshold, "unscored": unscored_share},
        )
        scored = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO scoring_reviewrequest (application_id, message, status, created_at)
            SELECT sk_id_curr, 'Please review my application.', 'open', now()
            FROM application WHERE random() < %s
            """,
            [review_share],
        )
        reviews = cursor.rowcount
        cursor.execute("VACUUM ANALYZE scoring_score")
        cursor.execute("VACUUM ANALYZE scoring_reviewrequest")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE decision = 'refused'), count(*) "
            "FROM scoring_score WHERE is_current"
        )
        refused, current = cursor.fetchone()
    return (
        f"{scored:,} stored scores written in SQL ({current:,} clients with a current score, "
        f"{refused / max(current, 1):.1%} refused at threshold {version.threshold:.3f}), "
        f"{reviews:,} open review requests"
    )


def score_filter_scenarios(clients: int) -> list[tuple[str, str, object]]:
    """(name, who, url of request n) of the portfolio's score filters and risk sort."""
    all_pages = max(clients // 25, 1)
    return [
        ("advisor: refused by the model", "advisor", lambda n: "/clients/?decision=refused"),
        ("advisor: risk band high", "advisor", lambda n: "/clients/?risk_band=high"),
        ("advisor: pending review", "advisor", lambda n: "/clients/?pending_review=on"),
        ("advisor: riskiest first", "advisor", lambda n: "/clients/?sort=-risk"),
        ("supervisor: refused by the model", "supervisor", lambda n: "/clients/?decision=refused"),
        ("supervisor: not scored", "supervisor", lambda n: "/clients/?decision=not_scored"),
        (
            "supervisor: very high risk, riskiest first",
            "supervisor",
            lambda n: "/clients/?risk_band=very_high&sort=-risk",
        ),
        ("supervisor: pending review", "supervisor", lambda n: "/clients/?pending_review=on"),
        (
            "supervisor: random page, riskiest first",
            "supervisor",
            lambda n: f"/clients/?sort=-risk&page={1 + (n * 7_919) % min(all_pages, 400)}",
        ),
    ]


def score_clients(*, client_ids: list[int], args: argparse.Namespace, scratch: Path) -> str:
    """Register a model (trained here unless --artifact) and score `client_ids` with it.

    Scores are created as the dashboard's "Score now" would, then computed
    in-process by `scores_compute` (the worker's vectorised path), so that no
    Celery worker is needed. Returns a line saying which model scored them.
    """
    from django.conf import settings

    from clients.frames import application_digest
    from scoring.models import Score
    from scoring.registry import model_version_register
    from scoring.services import scores_compute

    settings.MEDIA_ROOT = str(scratch / "media")
    settings.MODEL_CACHE_DIR = scratch / "model-cache"
    artifact = args.artifact
    started = time.perf_counter()
    if artifact is None:
        from ml.artifact import save_artifact
        from ml.synthetic import generate
        from ml.train import train_model

        result = train_model(
            generate(args.train_clients, seed=args.seed + 1),
            folds=2,
            seed=args.seed,
            params={"learning_rate": 0.1},
            progress=lambda message: None,
        )
        artifact = save_artifact(result, scratch / "model")
    trained = time.perf_counter() - started
    version = model_version_register(
        artifact_dir=artifact, activate=True, emergency_reason="benchmark: a scratch database"
    )
    scores = Score.objects.bulk_create(
        [
            Score(
                application_id=client_id,
                model_version=version,
                input_digest=application_digest(client_id),
                channel=Score.Channel.BATCH,
            )
            for client_id in client_ids
        ]
    )
    started = time.perf_counter()
    scores_compute(score_ids=[str(score.pk) for score in scores])
    done = Score.objects.filter(status=Score.Status.DONE).count()
    origin = (
        f"trained on {args.train_clients} synthetic clients in {trained:.0f} s"
        if (args.artifact is None)
        else f"from {args.artifact}"
    )
    return (
        f"model {version.version} ({origin}); {done} clients scored in "
        f"{time.perf_counter() - started:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=300_000)
    parser.add_argument("--advisors", type=int, default=50)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--history-clients", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--scored-clients", type=int, default=100, help="clients with a history given a score"
    )
    parser.add_argument("--train-clients", type=int, default=2000)
    parser.add_argument(
        "--unscored-share", type=float, default=0.1, help="clients left without a stored score"
    )
    parser.add_argument(
        "--review-share", type=float, default=0.005, help="clients with an open review request"
    )
    parser.add_argument("--artifact", type=Path, help="reuse a trained artifact directory")
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the database for a closer look"
    )
    args = parser.parse_args()

    with (
        scratch_database(BENCH_DATABASE, keep=args.keep_database),
        tempfile.TemporaryDirectory(prefix="dashboard-bench-") as scratch,
    ):
        return _run(args, Path(scratch))


def _run(args: argparse.Namespace, scratch: Path) -> int:
    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from accounts.roles import Role

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    advisors = User.objects.bulk_create(
        [User(username=f"advisor-{n}") for n in range(args.advisors)]
    )
    Group.objects.get(name=Role.ADVISOR).user_set.add(*advisors)
    supervisor = User.objects.create(username="supervisor")
    supervisor.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    advisor_ids = [advisor.pk for advisor in advisors]
    with connection.cursor() as cursor:
        # Only in this throwaway database: lets a bare COPY fill the application table.
        cursor.execute(
            "ALTER TABLE application ALTER created_at SET DEFAULT now(), "
            "ALTER updated_at SET DEFAULT now()"
        )
        source = load_clients(cursor, clients=args.clients, advisor_ids=advisor_ids, seed=args.seed)
    # The first advisor's clients get a history (clients are dealt to advisors in turn).
    history_ids = [
        FIRST_ID + n * args.advisors
        for n in range(min(args.history_clients, args.clients // args.advisors))
    ]
    load_history(client_ids=history_ids, seed=args.seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"{args.clients:,} clients ({source}) over {args.advisors} advisors "
        f"(~{args.clients // args.advisors:,} each), history for {len(history_ids)} clients; "
        f"database ready in {time.perf_counter() - started:.1f} s. "
        f"{args.requests} requests per scenario, server time through Django's test Client. "
        f"Load average (1, 5, 15 min): {os.getloadavg()}."
    )

    browsers = {"advisor": Client(), "supervisor": Client()}
    browsers["advisor"].force_login(advisors[0])
    browsers["supervisor"].force_login(supervisor)

    scenarios = portfolio_scenarios(advisor_ids, args.clients)
    with_indexes = [
        measure(name, browsers[who], urls, args.requests) for name, who, urls in scenarios
    ]
    client_page = [
        measure(
            "advisor: client page (history of Kaggle mean size)",
            browsers["advisor"],
            lambda n: f"/clients/{history_ids[n % len(history_ids)]}/",
            args.requests,
        ),
        measure(
            "supervisor: client page",
            browsers["supervisor"],
            lambda n: f"/clients/{history_ids[(n * 13) % len(history_ids)]}/",
            args.requests,
        ),
    ]

    # The same page with a score: every scoring section filled.
    scored_ids = history_ids[: max(1, min(args.scored_clients, len(history_ids)))]
    scoring_note = score_clients(client_ids=scored_ids, args=args, scratch=scratch)
    scored_page = [
        measure(
            "advisor: scored client, first view (not cached)",
            browsers["advisor"],
            # Request n shows client n + 1 (the warm-up shows client 0): each one is a first
            # view of its explanation, as long as there are more scored clients than requests.
            lambda n: f"/clients/{scored_ids[(n + 1) % len(scored_ids)]}/",
            args.requests,
        ),
        measure(
            "advisor: scored client, seen before (cached)",
            browsers["advisor"],
            lambda n: f"/clients/{scored_ids[0]}/",
            args.requests,
        ),
    ]

    # The portfolio's score filters, once most clients have a stored score.
    stored_note = store_portfolio_scores(
        unscored_share=args.unscored_share, review_share=args.review_share, seed=args.seed
    )
    score_filters = [
        measure(name, browsers[who], urls, args.requests)
        for name, who, urls in score_filter_scenarios(args.clients)
    ]
    # Baseline in the same run: the plain first page of each role, now that the scores exist.
    plain = {
        who: measure(f"{who}: page 1, by id (baseline)", browsers[who], lambda n: "/clients/", 20)
        for who in ("advisor", "supervisor")
    }

    with connection.cursor() as cursor:
        timings = []
        for _ in range(5):
            begin = time.perf_counter()
            cursor.execute("SELECT COUNT(*) FROM application")
            cursor.fetchone()
            timings.append((time.perf_counter() - begin) * 1000)
        exact_count_ms = statistics.median(timings)
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'application'")
        estimate = cursor.fetchone()[0]

    # The baseline, bracketed: with indexes, without, with again (re-created),
    # so that a change of load on a shared machine shows up instead of
    # passing for an effect of the indexes.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(PORTFOLIO_INDEXES)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("ANALYZE application")
    without_indexes = {
        name: measure(name, browsers[who], urls, args.requests) for name, who, urls in scenarios
    }
    with connection.cursor() as cursor:
        for _name, definition in definitions:
            cursor.execute(definition)
        cursor.execute("ANALYZE application")
    again = [measure(name, browsers[who], urls, args.requests) for name, who, urls in scenarios]
    with_indexes = [
        min(first, second, key=lambda f: f.p50_ms)
        for first, second in zip(with_indexes, again, strict=True)
    ]

    print_table(
        "Portfolio (25 rows a page); with indexes: the better of two runs around the baseline",
        with_indexes,
        without_indexes,
    )
    print_table("Client page", client_page)
    print(f"\nScored clients: {scoring_note}.")
    print_table("Client page with a score", scored_page)
    unscored = client_page[0]
    for row in scored_page:
        print(
            f"  {row.name}: {row.p50_ms / unscored.p50_ms:.1f}x the p50 of the page without a "
            f"score ({unscored.p50_ms:.1f} ms), {row.queries - unscored.queries:+d} queries"
        )
    print(f"\nStored scores: {stored_note}.")
    print_table("Portfolio filtered on scores (25 rows a page)", score_filters)
    for row in score_filters:
        base = plain[row.name.split(":")[0]]
        print(
            f"  {row.name}: {row.p50_ms / base.p50_ms:.1f}x the p50 of the plain first page "
            f"({base.p50_ms:.1f} ms), {row.queries - base.queries:+d} queries"
        )
    print(
        f"\nExact COUNT(*) of all {args.clients:,} clients: {exact_count_ms:.1f} ms (median of 5), "
        f"replaced by the planner's estimate ({estimate:,}) when a supervisor lists every "
        f"client unfiltered."
    )
    print(f"Load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
