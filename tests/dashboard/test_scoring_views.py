"""Scoring from the client page: "Score now", its progress, the decision card, the final
decision workflow and the review queue."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

import formatting
from audit.models import AuditEvent
from clients.models import Application
from scoring.models import CreditDecision, ReviewRequest, Score
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail_url(application) -> str:
    return reverse("dashboard:client", args=[application.pk])


def text(response) -> str:
    body = re.sub(r"<script[^>]*>.*?</script>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def section(response, testid: str) -> str:
    """The text of the section carrying `testid`, entities decoded."""
    body = response.content.decode().split(f'data-testid="{testid}"')[1].split("</section>")[0]
    return html.unescape(body)


def chart_spec(response, chart_id: str) -> dict:
    body = response.content.decode()
    match = re.search(rf'<script id="{chart_id}-spec" type="application/json">(.*?)</script>', body)
    assert match, f"no spec for {chart_id}"
    return json.loads(match.group(1))


# -- Score now -------------------------------------------------------------------


def test_score_now_scores_the_client_and_the_page_then_shows_probability_and_decision(
    client, advisor, portfolio_clients, django_capture_on_commit_callbacks
):
    application = portfolio_clients[0]
    client.force_login(advisor)
    before = client.get(detail_url(application))
    assert "Pas encore évalué" in section(before, "decision-card")
    assert 'data-testid="score-now"' in before.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:score", args=[application.pk]), **HTMX)
        # The worker is told once the request's transaction commits: the answer is the
        # progress fragment, which polls /status.
        assert response.status_code == 200
        assert 'hx-trigger="every 1s"' in response.content.decode()
    score = Score.objects.get(application=application)
    assert score.status == Score.Status.DONE
    assert (score.requested_by, score.channel) == (advisor, Score.Channel.DASHBOARD)
    poll = client.get(reverse("dashboard:score-status", args=[application.pk]), **HTMX)
    assert poll["HX-Refresh"] == "true"  # done: reload the page to show the result

    page = client.get(detail_url(application))
    card = text(page).split("Décision", 1)[1]
    percent = f"{100 * score.probability:.1f}".replace(".", ",")
    threshold = f"{100 * score.threshold:.1f}".replace(".", ",")
    assert f"Probabilité de défaut {percent} %" in card  # text() turned the narrow space into " "
    assert f"seuil de {threshold} %" in card
    assert ("refusé" if score.decision == "refused" else "accordé") in card
    assert score.model_version.version in card
    gauge = chart_spec(page, "decision-gauge")["data"][0]
    assert gauge["type"] == "indicator"
    assert gauge["value"] == pytest.approx(100 * score.probability, abs=0.05)
    assert gauge["gauge"]["threshold"]["value"] == pytest.approx(100 * score.threshold, abs=0.01)
    assert chart_spec(page, "explanation-waterfall")["data"][0]["type"] == "waterfall"
    assert 'data-testid="score-now"' not in page.content.decode()  # nothing new to score


def test_score_now_without_javascript_redirects_back_to_the_decision(
    client, supervisor, portfolio_clients, django_capture_on_commit_callbacks
):
    application = portfolio_clients[1]
    client.force_login(supervisor)  # not their client: supervisors score anyone's
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:score", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(application) + "#decision-heading"
    assert Score.objects.get(application=application).status == Score.Status.DONE


def test_a_running_score_shows_its_progress_and_polls_until_done(
    client, advisor, portfolio_clients
):
    application = portfolio_clients[2]
    client.force_login(advisor)
    # Outside django_capture_on_commit_callbacks the worker is never told: the score stays
    # pending, as it does while a real worker is busy.
    response = client.post(reverse("dashboard:score", args=[application.pk]), **HTMX)
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in response.content.decode()

    page = client.get(detail_url(application)).content.decode()
    status = page.split('<div id="score-status"')[1].split("</section>")[0]
    assert 'aria-live="polite"' in status.split(">")[0]  # announced to screen readers
    assert "every 1s" in status
    assert 'data-testid="score-now"' not in page  # no second request while one runs

    poll = client.get(reverse("dashboard:score-status", args=[application.pk]), **HTMX)
    assert "HX-Refresh" not in poll and "every 1s" in poll.content.decode()
    Score.objects.filter(application=application).update(status=Score.Status.FAILED, error="boom")
    poll = client.get(reverse("dashboard:score-status", args=[application.pk]), **HTMX)
    assert poll["HX-Refresh"] == "true"
    failed = client.get(detail_url(application))
    assert "boom" in section(failed, "decision-card")
    assert 'data-testid="score-now"' in failed.content.decode()  # try again


def test_the_page_says_when_the_data_changed_since_the_score(client, advisor, scored_client):
    Application.objects.filter(pk=scored_client.pk).update(amt_credit=123_456.0)
    client.force_login(advisor)
    page = client.get(detail_url(scored_client))
    assert 'data-testid="score-stale"' in page.content.decode()
    assert "Évaluer à nouveau" in section(page, "decision-card")


def test_score_now_without_an_active_model_says_so(client, advisor, application):
    client.force_login(advisor)
    page = client.get(detail_url(application))
    assert "aucun modèle n’est actif" in section(page, "decision-card")
    response = client.post(reverse("dashboard:score", args=[application.pk]), **HTMX)
    assert response.status_code == 200
    assert "aucun modèle n’est actif" in text(response)
    assert not Score.objects.exists()


# -- The client page with a score ------------------------------------------------------


def test_the_scored_page_explains_compares_and_logs_the_view(client, advisor, scored_client):
    client.force_login(advisor)
    page = client.get(detail_url(scored_client))
    body = page.content.decode()
    score = Score.objects.get(application=scored_client)
    # Waterfall (issue 9): from the average client's probability, one bar per client fact
    # (10, plus any fact given as a reason beyond them), the other facts, the client's
    # probability; in percentage points, never in log-odds.
    waterfall = chart_spec(page, "explanation-waterfall")["data"][0]
    assert len(waterfall["y"]) >= 10 + 3
    assert waterfall["base"] + sum(waterfall["x"]) == pytest.approx(100 * score.probability)
    assert 0 < waterfall["base"] < 100
    assert "log-odds" not in text(page) and "SHAP" not in text(page)
    assert "Ce qui augmente le risque" in text(page)
    assert "points" in section(page, "why-card")
    # Where the final decision stands, on the first screen.
    assert "Aucune décision finale enregistrée" in section(page, "why-card")
    # The model's global importance has its own page, linked from here.
    assert 'data-testid="global-importance"' not in body
    assert f'href="{reverse("dashboard:model")}"' in body
    # The population charts and the similar clients.
    assert chart_spec(page, "population-distribution-chart")["data"][0]["type"] == "bar"
    scatter = chart_spec(page, "population-scatter-chart")["data"]
    assert [trace["name"] for trace in scatter][-1] == "Ce client"
    similar = body.split('data-testid="similar-clients"')[1].split("</table>")[0]
    assert similar.count("<tr>") == 1 + 10
    assert f">{scored_client.pk}<" not in similar  # never the client themself
    # Every chart has its caption and its figures as a table.
    assert body.count('role="img"') == body.count('class="cs-chart-data') == 4
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPLANATION_VIEWED)
    assert (event.actor_id, event.application_id) == (advisor.pk, scored_client.pk)
    assert event.detail == {"score": str(score.pk), "view": "client_page", "top": 10}


def test_the_first_screen_holds_the_decision_and_its_reasons_the_rest_is_folded(
    client, advisor, scored_client
):
    client.force_login(advisor)
    body = client.get(detail_url(scored_client)).content.decode()
    first_screen, sections = body.split('class="cs-sections"')
    for shown in ("decision-card", "chart-decision-gauge", "why-card", "reasons", "points-note"):
        assert f'data-testid="{shown}"' in first_screen
    folded = re.findall(
        r'<details class="cs-section"[^>]*data-testid="(section-[a-z-]+)"', sections
    )
    assert folded == [
        "section-explanation",
        "section-final-decision",
        "section-what-if",
        "section-facts",
        "section-population",
        "section-history",
    ]
    assert not re.search(r'<details class="cs-section"[^>]* open', sections)  # none open
    for inside in ("explanation-card", "final-decision", "what-if-card", "population-section"):
        assert f'data-testid="{inside}"' in sections


def test_the_scored_page_is_in_english_when_asked(client, advisor, scored_client):
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    page = text(client.get(detail_url(scored_client)))
    assert "Probability of default" in page
    assert "What raises the risk" in page
    assert "How the model decides" in page
    assert "Similar past clients" in page


def test_the_decision_card_names_the_risk_band_of_the_probability(client, advisor, scored_client):
    from scoring.risk_bands import risk_band_of

    score = Score.objects.get(application=scored_client, is_current=True)
    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    body = html.unescape(client.get(detail_url(scored_client)).content.decode())
    badge = re.search(r'data-testid="risk-band">(.*?)<', body).group(1)
    assert badge == f"Risk: {risk_band_of(score.probability).label}"


def test_the_number_of_factors_can_be_chosen(client, advisor, scored_client):
    def bars(response) -> int:
        """The facts drawn: the waterfall's bars but the start, the other facts and the end."""
        return len(chart_spec(response, "explanation-waterfall")["data"][0]["y"]) - 3

    client.force_login(advisor)
    page = client.get(detail_url(scored_client) + "?top=5")
    # The facts given as reasons (3 per direction at most) are drawn whatever the choice.
    assert 5 <= bars(page) <= 5 + 6
    assert '<option value="5" selected>' in page.content.decode()
    fragment = client.get(
        reverse("dashboard:explanation", args=[scored_client.pk]) + "?top=20", **HTMX
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert bars(fragment) == 20
    # An unexpected number falls back to the default.
    odd = client.get(reverse("dashboard:explanation", args=[scored_client.pk]) + "?top=7")
    assert "<html" in odd.content.decode()  # without htmx: a page of its own
    assert 10 <= bars(odd) <= 10 + 6


def test_client_page_query_count_with_a_score_is_bounded(
    client, advisor, scored_client, django_assert_max_num_queries
):
    client.force_login(advisor)
    client.get(detail_url(scored_client))  # warm the explanation cache
    # The 11 of the page without a score, then: latest score, active model, digest,
    # decisions, open review, feature values; the navbar's count of open review
    # requests; two audit events (record viewed, explanation viewed): the user's
    # roles once, then per event the append lock with the chain's last hash, the insert;
    # the manual-review switch, read once per request (scoring.governance); which of the
    # similar past clients the reader may open (one query for the ten).
    with django_assert_max_num_queries(25):
        response = client.get(detail_url(scored_client))
    assert response.status_code == 200


# -- What a client sees on their own record ------------------------------------------


def test_a_client_is_refused_the_advisors_page_of_their_own_application(
    client, client_user, advisor, scored_client
):
    # Clients read their decision in the portal (tests/portal), in words, once a person
    # has decided; the advisor's page shows the model's output before that.
    Application.objects.filter(pk=scored_client.pk).update(portal_user=client_user)
    score = Score.objects.get(application=scored_client)
    CreditDecision.objects.create(
        application=scored_client,
        score=score,
        outcome="granted",
        model_decision=score.decision,
        is_override=score.decision != "granted",
        justification="Stable income confirmed by the employer's letter.",
        decided_by=advisor,
    )
    client.force_login(client_user)
    response = client.get(detail_url(scored_client))
    assert response.status_code == 403
    assert "employer" not in response.content.decode()


# -- The final decision ---------------------------------------------------------------


def test_an_override_without_justification_is_refused_next_to_the_field(
    client, advisor, scored_client
):
    score = Score.objects.get(application=scored_client)
    other = "granted" if score.decision == "refused" else "refused"
    client.force_login(advisor)
    response = client.post(
        reverse("dashboard:decision", args=[scored_client.pk]),
        {"outcome": other, "justification": "too short"},
    )
    assert response.status_code == 400
    field = response.content.decode().split('id="div_id_justification"')[1].split("</textarea>")[1]
    assert "diffère de celle du modèle" in field.split("</div>")[0] + field
    assert not CreditDecision.objects.exists()


def test_an_override_with_a_justification_is_recorded_and_shown(client, advisor, scored_client):
    score = Score.objects.get(application=scored_client)
    other = "granted" if score.decision == "refused" else "refused"
    client.force_login(advisor)
    response = client.post(
        reverse("dashboard:decision", args=[scored_client.pk]),
        {"outcome": other, "justification": "Permanent contract signed last week, see file."},
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(scored_client) + "#final-decision-heading"
    decision = CreditDecision.objects.get(application=scored_client)
    assert (decision.outcome, decision.is_override, decision.decided_by) == (other, True, advisor)
    assert decision.score == score
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DECISION_RECORDED).count() == 1
    page = client.get(response["Location"])
    history = page.content.decode().split('data-testid="decision-history"')[1]
    assert "Permanent contract signed last week" in history
    assert "dérogation" in history
    with translation.override("fr"):
        when = formatting.moment(decision.created_at)  # "5 décembre 2026, 21:53"
    assert f"<td>{when}</td>" in history  # formatting's words, not Django's "05/12/2026 21:53"
    assert "Décision enregistrée" in text(page)  # the message after the redirect


def overriding(scored_client) -> str:
    score = Score.objects.get(application=scored_client)
    return "granted" if score.decision == "refused" else "refused"


@pytest.mark.parametrize(
    "justification",
    [
        "....................",
        "ok ok ok ok ok ok ok ok",
        "see the file 12345 67890 !!!",
        "a b c d e f",
    ],
)
def test_a_justification_is_counted_in_different_words_not_characters(
    client, advisor, scored_client, justification
):
    client.force_login(advisor)
    response = client.post(
        reverse("dashboard:decision", args=[scored_client.pk]),
        {"outcome": overriding(scored_client), "justification": justification},
    )
    assert response.status_code == 400
    error = section(response, "final-decision")
    assert "au moins 5 mots différents" in error
    assert not CreditDecision.objects.exists()


def test_the_rule_is_said_before_typing(client, advisor, scored_client):
    client.force_login(advisor)
    page = client.get(detail_url(scored_client))
    form = section(page, "decision-form")
    assert "au moins 5 mots différents" in form
    assert "La décision n’a pas été enregistrée" not in text(page)


def test_a_refused_decision_comes_back_on_the_clients_page_with_the_section_open(
    client, advisor, scored_client
):
    """Without JavaScript: the client's page again, never another page; the address of the
    form, opened again (a refresh that is not a re-post, a bookmark), leads back to it."""
    client.force_login(advisor)
    url = reverse("dashboard:decision", args=[scored_client.pk])
    response = client.post(url, {"outcome": overriding(scored_client), "justification": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="client-heading"' in body and 'data-testid="decision-card"' in body
    assert re.search(r'data-testid="section-final-decision" open', body)
    assert "La décision n’a pas été enregistrée" in text(response)
    # The outcome chosen is kept in the form shown again.
    assert re.search(rf'value="{overriding(scored_client)}"[^>]*checked', body)
    again = client.get(url)
    assert again.status_code == 302
    assert again["Location"] == detail_url(scored_client) + "#final-decision-heading"


def test_with_htmx_the_section_swaps_in_place_refused_or_recorded(client, advisor, scored_client):
    client.force_login(advisor)
    url = reverse("dashboard:decision", args=[scored_client.pk])
    other = overriding(scored_client)
    refused = client.post(url, {"outcome": other, "justification": "too short"}, **HTMX)
    assert refused.status_code == 200  # htmx swaps 2xx answers only
    body = refused.content.decode()
    assert "<html" not in body and 'id="final-decision"' in body
    assert "au moins 5 mots différents" in text(refused)
    recorded = client.post(
        url,
        {"outcome": other, "justification": "Permanent contract signed last week, payslips seen."},
        **HTMX,
    )
    assert recorded.status_code == 200
    assert "<html" not in recorded.content.decode()
    # After "décision", the outcome is a noun: "refusé" would have to agree.
    noun = {"granted": "accord", "refused": "refus"}[other]
    assert f"Décision enregistrée : {noun}, par dérogation au modèle." in section(
        recorded, "decision-recorded"
    )
    assert f"Décision en vigueur : <strong>{noun}</strong>, enregistrée par" in section(
        recorded, "decision-current"
    )
    assert re.search(rf'value="{other}"[^>]*checked', recorded.content.decode())
    assert CreditDecision.objects.get().outcome == other


def test_after_saving_the_form_keeps_the_outcome_and_the_decision_in_force_is_shown(
    client, advisor, scored_client
):
    client.force_login(advisor)
    other = overriding(scored_client)
    justification = (
        "Permanent contract signed last week with a public employer; three payslips seen, "
        "the previous employer confirmed the dates, and the rent is paid by direct debit "
        "from the same account since 2019, which the bank statements show month after month."
    )
    client.post(
        reverse("dashboard:decision", args=[scored_client.pk]),
        {"outcome": other, "justification": justification},
    )
    page = client.get(detail_url(scored_client))
    body = page.content.decode()
    assert re.search(rf'value="{other}"[^>]*checked', body)
    current = section(page, "decision-current")
    assert "Décision en vigueur" in current and "dérogation" in current
    # The justification is shown whole, in a cell that wraps.
    history = body.split('data-testid="decision-history"')[1]
    assert f'<td class="cs-justification">{html.escape(justification)}</td>' in history


def test_following_the_model_needs_no_justification(client, supervisor, scored_client):
    score = Score.objects.get(application=scored_client)
    client.force_login(supervisor)
    response = client.post(
        reverse("dashboard:decision", args=[scored_client.pk]), {"outcome": score.decision}
    )
    assert response.status_code == 302
    decision = CreditDecision.objects.get()
    assert (decision.is_override, decision.justification) == (False, "")


def test_a_decision_without_any_score_needs_a_justification(client, advisor, application):
    client.force_login(advisor)
    url = reverse("dashboard:decision", args=[application.pk])
    assert client.post(url, {"outcome": "granted"}).status_code == 400
    response = client.post(
        url, {"outcome": "granted", "justification": "Long-standing client, manual review done."}
    )
    assert response.status_code == 302
    assert CreditDecision.objects.get().model_decision == ""


def test_an_invalid_outcome_is_refused(client, advisor, application):
    client.force_login(advisor)
    response = client.post(
        reverse("dashboard:decision", args=[application.pk]),
        {"outcome": "maybe", "justification": "x" * 40},
    )
    assert response.status_code == 400
    assert not CreditDecision.objects.exists()


# -- The review queue ----------------------------------------------------------------


def test_the_review_queue_lists_the_open_requests_of_ones_own_clients_only(
    client, advisor, colleague, supervisor, client_user, application
):
    theirs = ApplicationFactory(advisor=colleague)
    ReviewRequest.objects.create(application=application, requested_by=client_user, message="Why?")
    ReviewRequest.objects.create(application=theirs, message="Please look again")
    ReviewRequest.objects.create(
        application=ApplicationFactory(advisor=advisor),
        status=ReviewRequest.Status.ANSWERED,
        resolved_at=timezone.now(),
    )

    client.force_login(advisor)
    page = client.get(reverse("dashboard:reviews"))
    assert 'aria-current="page" data-testid="nav-reviews"' in page.content.decode()
    table = page.content.decode().split('data-testid="review-table"')[1]
    review = ReviewRequest.objects.get(application=application)
    assert f'href="/reviews/{review.pk}/"' in table
    assert "Why?" in table
    assert str(theirs.pk) not in table
    assert table.count('data-testid="review-row"') == 1

    client.force_login(supervisor)
    table = client.get(reverse("dashboard:reviews")).content.decode()
    assert str(application.pk) in table and str(theirs.pk) in table


def test_the_review_queue_shows_each_clients_current_decision_and_risk(client, advisor):
    from tests.dashboard.builders import add_current_score, build_portfolio, model_version_row

    scored, unscored = build_portfolio(advisor, count=2)
    version = model_version_row(threshold=0.1)
    add_current_score(scored, probability=0.5, model_version=version)  # an older score...
    add_current_score(scored, probability=0.04, model_version=version)  # ...and the current one
    for application in (scored, unscored):
        ReviewRequest.objects.create(application=application, message="Please")

    client.force_login(advisor)
    client.cookies["django_language"] = "en"
    body = html.unescape(client.get(reverse("dashboard:reviews")).content.decode())
    cells = [
        re.sub(r"<[^>]+>", " ", cell).split()
        for cell in re.findall(r'data-testid="review-score">(.*?)</td>', body, re.S)
    ]
    assert [" ".join(words) for words in cells] == [
        "granted · 4.0% Risk: Low (2.5% to 5%)",
        "not scored",
    ]


def test_the_client_page_shows_an_open_review_until_the_advisor_answers_it(
    client, advisor, client_user, application
):
    review = ReviewRequest.objects.create(
        application=application, requested_by=client_user, message="Why?"
    )
    client.force_login(advisor)
    page = client.get(detail_url(application)).content.decode()
    assert 'data-testid="open-review"' in page and f'href="/reviews/{review.pk}/"' in page
    client.post(
        reverse("dashboard:decision", args=[application.pk]),
        {"outcome": "refused", "justification": "Income too low for the amount asked."},
    )
    assert ReviewRequest.objects.get().status == ReviewRequest.Status.RECEIVED
    client.post(reverse("dashboard:review-answer", args=[review.pk]), {"answer": "Checked."})
    assert ReviewRequest.objects.get().status == ReviewRequest.Status.ANSWERED
    assert 'data-testid="open-review"' not in client.get(detail_url(application)).content.decode()
    assert "no-reviews" in client.get(reverse("dashboard:reviews")).content.decode()


def test_risk_staff_read_the_decision_sections_but_neither_score_nor_decide(
    client, risk_staff, application
):
    client.force_login(risk_staff)
    page = client.get(detail_url(application)).content.decode()
    assert 'data-testid="final-decision"' in page  # the history of decisions
    assert 'data-testid="decision-form"' not in page
    assert 'data-testid="score-now"' not in page


def test_similar_past_clients_are_named_only_when_the_reader_may_see_them(advisor, scored_client):
    """The neighbours come from every portfolio: a past client the reader may not open is an
    anonymous "past client n" with its outcome; one of the reader's own is named."""
    import pandas as pd

    from dashboard.page_context import similar_clients_rows
    from explanations import population as population_service
    from scoring.explanations import score_feature_values
    from scoring.models import ModelVersion
    from scoring.population import population_reference

    version = ModelVersion.objects.get(is_active=True)
    values = score_feature_values(Score.objects.get(application=scored_client, status="done"))
    raw = population_service.similar_clients(
        reference=population_reference(version),
        features_row=pd.Series(values, dtype=object),
        k=10,
        exclude_id=scored_client.pk,
    )
    assert raw and all(row["id"] is not None for row in raw)

    def shown(user):
        rows = similar_clients_rows(
            version=version, values=values, application_id=scored_client.pk, user=user
        )["rows"]
        return [row["id"] for row in rows], [row["rank"] for row in rows]

    ids, ranks = shown(advisor)
    assert ids == [None] * len(raw)  # none of them is in the advisor's portfolio
    assert ranks == list(range(1, len(raw) + 1))

    ApplicationFactory(sk_id_curr=raw[0]["id"], advisor=advisor)  # now one of theirs
    assert shown(advisor)[0] == [raw[0]["id"]] + [None] * (len(raw) - 1)

    # One of them joins the advisor's portfolio: that one is named, the others stay anonymous.
    mine = raw[0]["id"]
    if not Application.objects.filter(pk=mine).exists():
        ApplicationFactory(sk_id_curr=mine, advisor=advisor)
    else:
        Application.objects.filter(pk=mine).update(advisor=advisor)
    ids, _ranks = shown(advisor)
    assert ids == [mine] + [None] * (len(raw) - 1)
