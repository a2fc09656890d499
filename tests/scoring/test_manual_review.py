"""The manual-review switch (AI Act art. 14): while on, no page or endpoint shows a model decision.

Risk staff turn it on and off with a reason (audited) on /monitoring/manual-review/;
every page then shows a banner; the client page, the portfolio, the review queue,
the score, explanation, prediction and batch-results endpoints show no model
decision; a person's decision is recorded as theirs, overriding nothing.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

import formatting
from accounts.services import api_token_issue
from audit.models import AuditEvent
from clients.models import Application
from dashboard.wording import decision_label
from ml.synthetic import generate
from scoring.batch import batch_job_create
from scoring.decisions import credit_decision_record
from scoring.governance import manual_review_on, manual_review_set
from scoring.models import ManualReview
from scoring.reviews import review_request_create

pytestmark = pytest.mark.django_db
PAGE = "/monitoring/manual-review/"
# The model's decision as the pages draw it (a coloured badge of granted / refused).
DECISION_BADGES = ("cs-badge-favourable", "cs-badge-unfavourable")
PREDICT_BODY = {
    "NAME_CONTRACT_TYPE": "Cash loans", "CODE_GENDER": "F", "AMT_INCOME_TOTAL": 180000.0,
    "AMT_CREDIT": 600000.0, "AMT_ANNUITY": 29000.0, "DAYS_BIRTH": -14000,
    "DAYS_EMPLOYED": -2000, "EXT_SOURCE_2": 0.55, "EXT_SOURCE_3": 0.4,
}  # fmt: skip


def sections(page: str, testid: str) -> list[str]:
    """The contents of the elements marked `data-testid=testid` (up to their closing tag)."""
    return re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</(?:p|td)>', page, flags=re.S)


def decision_words() -> list[str]:
    words = []
    for language in ("fr", "en"):
        with translation.override(language):
            words += [decision_label("granted"), decision_label("refused")]
    return words


@pytest.fixture
def switched_on(risk_staff):
    return manual_review_set(on=True, changed_by=risk_staff, reason="drift alert on incomes")


@pytest.fixture
def api(integration) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")
    return client


@pytest.fixture
def scored_client(scored, advisor, client_user):
    """An imported client of `advisor`, scored, who asked for a review."""
    score = scored(0)
    Application.objects.filter(pk=score.application_id).update(advisor=advisor)
    review_request_create(
        application=score.application,
        requested_by=client_user,
        message="Please look again at my income, it has gone up.",
    )
    return score


# -- the switch ---------------------------------------------------------------------------------


def test_risk_staff_turn_manual_review_on_and_off_with_a_reason(client, risk_staff):
    client.force_login(risk_staff)

    on = client.post(PAGE, {"reason": "drift alert on incomes"})
    assert on.status_code == 302 and manual_review_on()
    off = client.post(PAGE, {"reason": "retrained model approved"})
    assert off.status_code == 302 and not manual_review_on()

    events = AuditEvent.objects.filter(action=AuditEvent.Action.MANUAL_REVIEW_CHANGED)
    assert [event.detail["after"] for event in events.order_by("pk")] == [True, False]
    page = client.get(PAGE).content.decode()
    assert "drift alert on incomes" in page and "retrained model approved" in page


def test_the_switch_needs_a_reason(client, risk_staff):
    client.force_login(risk_staff)

    response = client.post(PAGE, {"reason": "  "})

    assert response.status_code == 400 and not manual_review_on()
    assert 'data-testid="error-reason"' in response.content.decode()


@pytest.mark.parametrize("who", ["advisor", "supervisor", "client_user", "integration"])
def test_no_one_but_risk_staff_reaches_the_switch(client, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"reason": "turning it on myself"}).status_code == 403
    assert not ManualReview.objects.exists()


# -- while it is on: no model decision anywhere --------------------------------------------------


def test_with_the_switch_on_no_page_shows_a_model_decision(
    scored_client, switched_on, client, advisor
):
    client.force_login(advisor)
    pages = {
        url: client.get(url).content.decode()
        for url in (f"/clients/{scored_client.application_id}/", "/clients/", "/reviews/")
    }

    for url, page in pages.items():
        assert 'data-testid="manual-review-banner"' in page, url
        for testid in ("decision-outcome", "row-decision", "review-score"):
            for part in sections(page, testid):
                assert not any(badge in part for badge in DECISION_BADGES), (url, part)
                assert not any(label in part for label in decision_words()), (url, part)
    client_page = pages[f"/clients/{scored_client.application_id}/"]
    assert sections(client_page, "decision-outcome") and sections(
        pages["/clients/"], "row-decision"
    )
    assert sections(pages["/reviews/"], "review-score")
    # The gauge's caption and table say the probability and that a person decides.
    assert "Manual review is on: a person decides." in client_page or "décide" in client_page
    assert 'data-testid="awaiting-person"' in client_page
    assert 'data-testid="manual-review-decision"' in client_page
    assert 'data-testid="counterfactual"' not in client_page


def test_with_the_switch_off_the_same_pages_show_the_models_decision(
    scored_client, client, advisor
):
    client.force_login(advisor)

    page = client.get(f"/clients/{scored_client.application_id}/").content.decode()

    assert "manual-review-banner" not in page and any(badge in page for badge in DECISION_BADGES)


def test_with_the_switch_on_no_endpoint_gives_a_model_decision(
    scored_client, switched_on, api, integration, django_capture_on_commit_callbacks
):
    score = api.get(f"/api/v1/scores/{scored_client.pk}").json()
    explanation = api.get(f"/api/v1/applications/{scored_client.application_id}/explanation")
    prediction = api.post("/api/v1/predict", PREDICT_BODY, format="json").json()
    rows = generate(1, seed=3, test_clients=5)["application_test"]
    with django_capture_on_commit_callbacks(execute=True):
        job = batch_job_create(
            uploaded=SimpleUploadedFile("a.csv", rows.to_csv(index=False).encode(), "text/csv"),
            created_by=integration,
        )
    results = pd.read_csv(io.BytesIO(api.get(f"/api/v1/batches/{job.pk}/results").getvalue()))

    for answer in (score, explanation.json(), prediction):
        assert answer["decision"] is None and answer["manual_review"] is True
        assert 0 <= answer["probability"] <= 1  # the model's advice stays
    assert results["decision"].isna().all() and results["probability"].notna().all()


def test_with_the_switch_off_the_api_gives_the_decision_and_says_so(scored_client, api):
    score = api.get(f"/api/v1/scores/{scored_client.pk}").json()

    assert score["decision"] in ("granted", "refused") and score["manual_review"] is False


def test_a_decision_under_manual_review_is_the_persons_and_overrides_nothing(
    scored_client, switched_on, advisor
):
    decision = credit_decision_record(
        application=scored_client.application, decided_by=advisor, outcome="granted"
    )

    assert (decision.model_decision, decision.is_override) == ("", False)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.DECISION_RECORDED).last()
    assert event.detail["manual_review"] is True and event.detail["override"] is False


def test_the_admin_shows_the_banner_too(switched_on, client, risk_staff):
    client.force_login(risk_staff)

    assert 'data-testid="manual-review-banner"' in client.get("/admin/").content.decode()


def test_the_switch_says_since_when_and_its_history_when_as_every_page_writes_a_moment(
    switched_on, client, risk_staff
):
    client.force_login(risk_staff)
    client.cookies["django_language"] = "fr"
    page = client.get(PAGE).content.decode()
    state = ManualReview.objects.get()
    with translation.override("fr"):
        since = formatting.moment(state.changed_at)  # "5 décembre 2026, 21:53"
    assert "\u00a0" in since
    assert since in sections(page, "manual-review-state")[0]
    history = page.split('data-testid="manual-review-history"')[1].split("</table>")[0]
    assert f"<td>{since}</td>" in history
