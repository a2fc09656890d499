"""The simulated users of `make load` (benchmarks/load/run.py starts locust with this file).

Run by locust in its own process only: locust patches the standard library with
gevent when it is imported (../shared/NOTES.md). The runner passes the demo
users' password in LOAD_PASSWORD and the ids to open in the JSON file named by
LOAD_TARGETS. Each kind of request has its own name, so the report gives one
line per kind (ids and filter values are not part of the name).

Any answer other than the expected status is a failure, and so is a login that
does not end on a page of the right audience: an error page served with 200
would otherwise pass.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ["LOAD_PASSWORD"]
with open(os.environ["LOAD_TARGETS"]) as targets_file:
    TARGETS = json.load(targets_file)
LOGIN = "/accounts/login/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

PORTFOLIO_FILTERS = (
    {"decision": "granted"},
    {"decision": "refused"},
    {"decision": "not_scored"},
    {"risk_band": "high"},
    {"risk_band": "very_low", "sort": "-risk"},
    {"contract_type": "Cash loans", "gender": "F"},
    {"income_type": "Working", "sort": "-income"},
    {"q": "1003"},
    {"q": "Pensioner"},
    {"awaiting_decision": "on", "sort": "credit"},
    {"pending_review": "on"},
)
# A partner system's stateless request: the application columns, no history.
PREDICTION = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "CODE_GENDER": "F",
    "AMT_INCOME_TOTAL": 180000.0,
    "AMT_CREDIT": 600000.0,
    "AMT_ANNUITY": 29000.0,
    "DAYS_BIRTH": -14000,
    "DAYS_EMPLOYED": -2000,
    "EXT_SOURCE_2": 0.55,
    "EXT_SOURCE_3": 0.4,
}


def log_in(user: HttpUser, username: str, landing: str) -> None:
    """The login form, as a browser fills it; fails the user's start if it does not land."""
    page = user.client.get(LOGIN, name="login page")
    token = CSRF.search(page.text)
    if token is None:
        raise RuntimeError(f"no CSRF token on the login page (HTTP {page.status_code})")
    with user.client.post(
        LOGIN,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{user.host}{LOGIN}"},
        name="login (POST)",
        catch_response=True,
    ) as response:
        if response.status_code != 200 or LOGIN in response.url or landing not in response.url:
            response.failure(f"login of {username}: {response.url} (HTTP {response.status_code})")


def page(user: HttpUser, path: str, name: str, params: dict | None = None) -> None:
    """GET a page of a logged-in person: a redirect (to the login page) is a failure too."""
    with user.client.get(
        path, params=params, name=name, allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code == 0:  # no answer: the exception says why
            response.failure(f"no answer: {response.error!r}")
        elif response.status_code != 200:
            response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")


class Advisor(HttpUser):
    """An advisor going through the portfolio and opening client files."""

    weight = 4
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        log_in(self, "advisor", "/clients/")

    @task(3)
    def portfolio_filtered(self) -> None:
        filters = dict(random.choice(PORTFOLIO_FILTERS))
        filters["page"] = str(random.randint(1, 3))
        page(self, "/clients/", "portfolio with filters", filters)

    @task(1)
    def portfolio(self) -> None:
        page(self, "/clients/", "portfolio")

    @task(3)
    def scored_client(self) -> None:
        sk_id = random.choice(TARGETS["scored"] or TARGETS["advisor_clients"])
        page(self, f"/clients/{sk_id}/", "client page (scored)")

    @task(1)
    def any_client(self) -> None:
        sk_id = random.choice(TARGETS["advisor_clients"])
        page(self, f"/clients/{sk_id}/", "client page (any)")


class Integration(HttpUser):
    """A partner system on the API with the integration account's token."""

    weight = 4
    wait_time = between(0.2, 1)

    def on_start(self) -> None:
        response = self.client.post(
            "/api/v1/auth/token",
            json={"username": "integration", "password": PASSWORD},
            name="API token",
        )
        response.raise_for_status()
        self.client.headers["Authorization"] = f"Token {response.json()['token']}"
        self.client.headers["Accept"] = "application/json"

    @task(2)
    def applications(self) -> None:
        self.client.get(
            "/api/v1/applications",
            params={"page": random.randint(1, 50)},
            name="API applications list",
        )

    @task(3)
    def application(self) -> None:
        sk_id = random.choice(TARGETS["any"])
        self.client.get(f"/api/v1/applications/{sk_id}", name="API application")

    @task(3)
    def explanation(self) -> None:
        sk_id = random.choice(TARGETS["scored"])
        self.client.get(f"/api/v1/applications/{sk_id}/explanation", name="API explanation")

    @task(2)
    def score(self) -> None:
        sk_id = random.choice(TARGETS["any"])
        with self.client.post(
            f"/api/v1/applications/{sk_id}/score", name="API score (POST)", catch_response=True
        ) as response:
            if response.status_code not in (200, 202):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            elif response.json().get("status") == "failed":
                response.failure(f"score failed: {response.text[:200]}")

    @task(1)
    def score_and_wait(self) -> None:
        """An integration that waits for the result (the worker's latency is in this one)."""
        sk_id = random.choice(TARGETS["any"])
        with self.client.post(
            f"/api/v1/applications/{sk_id}/score",
            params={"wait": 20},
            name="API score (POST ?wait=20)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or response.json().get("status") != "done":
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @task(3)
    def predict(self) -> None:
        body = dict(PREDICTION, AMT_CREDIT=random.choice((300000.0, 600000.0, 900000.0)))
        self.client.post("/api/v1/predict", json=body, name="API predict")


class Client(HttpUser):
    """The demo client reading their file on the portal."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        log_in(self, "client", "/portal/")

    @task
    def pages(self) -> None:
        for path, name in (
            ("/portal/", "portal home"),
            ("/portal/application/", "portal application"),
            ("/portal/decision/", "portal decision"),
            ("/portal/data/", "portal data"),
        ):
            page(self, path, name)
