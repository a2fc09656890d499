"""My decision and the decision letter: nothing of the model before a person decided; then
the decision, its principal reasons in words, what could change it, the data and the model."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from clients.models import Bureau, PreviousApplication
from portal.decision_in_words import data_sources
from scoring.decisions import credit_decision_record
from scoring.models import Decision, Score

pytestmark = pytest.mark.django_db
PAGES = ("/portal/decision/", "/portal/decision/letter/")
# What the model's internals look like in either language: never shown to a client.
JARGON = re.compile(
    r"SHAP|log-odds|logit|threshold|seuil|probabilit|contribution|base value", re.IGNORECASE
)


@pytest.fixture
def scored_own(scored_client, client_user):
    """A scored client of `advisor` whose portal login is `client_user`."""
    scored_client.portal_user = client_user
    scored_client.save(update_fields=["portal_user"])
    return scored_client


@pytest.fixture
def refused_own(scored_own, advisor):
    """`scored_own` with a refusal recorded by their advisor (following the model or not)."""
    model = Score.objects.filter(application=scored_own).latest("created_at").decision
    credit_decision_record(
        application=scored_own,
        decided_by=advisor,
        outcome=Decision.REFUSED,
        justification="" if model == Decision.REFUSED else "Income not proven by any payslip.",
    )
    return scored_own


def _page(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_before_a_person_decided_the_page_says_under_review_and_nothing_of_the_model(
    client, client_user, scored_own, url
):
    client.force_login(client_user)
    body = _page(client, url)

    assert "under review" in body
    score = Score.objects.get(application=scored_own, is_current=True)
    assert score.decision  # the model has an assessment: it must not show
    for hidden in ('data-testid="reasons-', "decision-outcome", "Refused", "Granted"):
        assert hidden not in body
    assert score.model_version.version not in body
    assert not JARGON.search(body)


def test_the_decision_says_who_when_and_whether_it_followed_the_model(
    client, client_user, refused_own
):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/")

    assert "Your credit is refused." in body
    assert "Your advisor" in body and "advisor-alice" not in body
    assert 'data-testid="decision-followed-model"' in body
    assert "version" in body  # the model's version and date


def test_at_most_four_principal_reasons_then_what_counted_in_favour(
    client, client_user, refused_own
):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/")

    against = re.search(r'data-testid="reasons-against".*?</section>', body, re.S)
    assert against is not None
    reasons = re.findall(r'<li class="cs-reason-against[^"]*">', against.group(0))
    assert 1 <= len(reasons) <= 4
    assert "increases the risk" in against.group(0)
    assert not JARGON.search(body)


def test_the_decision_reads_in_french_too(client, client_user, refused_own):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/", language="fr")

    assert "Votre crédit est refusé." in body
    assert "Les principales raisons" in body
    assert "augmente le risque" in body
    assert not JARGON.search(body)


def test_what_could_change_a_refusal_speaks_of_amount_and_term_only(
    client, client_user, refused_own
):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/")

    changes = re.search(r'data-testid="decision-changes".*?</section>', body, re.S)
    assert changes is not None
    listed = " ".join(re.findall(r"<li>(.*?)</li>", changes.group(0), re.S)).lower()
    assert listed
    for personal in ("age", "gender", "family", "married", "children"):
        assert not re.search(rf"\b{personal}\b", listed), personal


def test_the_data_sources_are_named(client, client_user, refused_own):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/").lower()
    assert "the application form you filled in" in body
    assert "credit bureau" in body
    assert "our own history with you" in body


def _details(application, language):
    with translation.override(language):
        return [source.detail for source in data_sources(application)[1:]]


def test_a_source_without_a_record_says_none_and_one_record_is_singular(application):
    """ "0 enregistrements" read as a figure, "1 records" as a mistake."""
    assert _details(application, "en") == [
        "no record (no credit in your name is known there)",
        "no record (no earlier application or loan with us)",
    ]
    assert _details(application, "fr") == [
        "aucun enregistrement (aucun crédit à votre nom n’y est connu)",
        "aucun enregistrement (ni demande ni prêt antérieurs chez nous)",
    ]

    Bureau.objects.create(sk_id_bureau=application.pk * 10, application=application)
    PreviousApplication.objects.create(sk_id_prev=application.pk * 10, application=application)

    assert _details(application, "en") == [
        "1 record (credits and their monthly reports)",
        "1 record (earlier applications, instalments, card and loan months)",
    ]
    assert _details(application, "fr") == [
        "1 enregistrement (crédits et leurs relevés mensuels)",
        "1 enregistrement (demandes antérieures, échéances, mois de carte et de prêt)",
    ]


def test_an_override_gives_the_written_reason(client, client_user, scored_own, advisor):
    model = Score.objects.filter(application=scored_own).latest("created_at").decision
    other = Decision.GRANTED if model == Decision.REFUSED else Decision.REFUSED
    credit_decision_record(
        application=scored_own,
        decided_by=advisor,
        outcome=other,
        justification="Guarantor added on 3 March, file reviewed.",
    )
    client.force_login(client_user)
    body = _page(client, "/portal/decision/")

    assert "differs from the assessment of our scoring model" in body
    assert "Guarantor added on 3 March" in body


def test_the_letter_is_printable_and_states_the_right_to_a_review(client, client_user, refused_own):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/letter/")

    assert "css/portal.css" in body  # holds the @media print rules
    assert 'data-testid="letter-outcome"' in body and "Your credit is refused." in body
    assert "right to a human review" in body
    assert str(refused_own.pk) in body
    assert not JARGON.search(body)


def test_the_letter_reads_in_french(client, client_user, refused_own):
    client.force_login(client_user)
    body = _page(client, "/portal/decision/letter/", language="fr")
    assert "Votre crédit est refusé." in body and "réexamen" in body


def test_the_review_link_appears_only_once_the_review_page_exists(client, client_user, refused_own):
    from portal.page_context import review_request_url

    client.force_login(client_user)
    body = _page(client, "/portal/decision/")
    if review_request_url() is None:
        assert 'data-testid="review-request-how"' in body
    else:
        assert f'href="{review_request_url()}"' in body


def test_reading_the_decision_is_audited(client, client_user, refused_own):
    from audit.models import AuditEvent

    client.force_login(client_user)
    _page(client, "/portal/decision/")

    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPLANATION_VIEWED).latest("pk")
    assert event.application_id == refused_own.pk and event.channel == "portal"


@pytest.mark.parametrize("url", PAGES)
def test_client_b_never_sees_client_as_decision(
    client, other_client_user, other_application, refused_own, url
):
    client.force_login(other_client_user)
    body = _page(client, f"{url}?sk_id_curr={refused_own.pk}&application={refused_own.pk}")
    assert "under review" in body
    assert str(refused_own.pk) not in body.replace(f"={refused_own.pk}", "")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor", "risk_staff", "integration"])
def test_staff_are_refused_the_decision_pages(client, request, user_fixture, application, url):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_what_could_change_is_recomputed_as_soon_as_another_model_serves(
    client, client_user, refused_own, challenger_artifact, monkeypatch
):
    """Cached for an hour per decision, score, language and serving model: a model switch
    (or a rollback) must not leave the client reading the previous model's counterfactual."""
    from django.core.cache import cache

    import portal.decision_in_words as decision_in_words
    from scoring.models import CreditDecision
    from scoring.registry import model_version_activate, model_version_register

    decision = CreditDecision.objects.get(application=refused_own)
    serving = Score.objects.get(pk=decision.score_id).model_version
    challenger = model_version_register(artifact_dir=challenger_artifact)
    assert challenger.version != serving.version
    # The test Redis outlives the test database: no entry of an earlier run may answer.
    for version in (serving.version, challenger.version):
        key = decision_in_words.change_cache_key(
            decision=decision, model_version=version, language="en"
        )
        cache.delete(key)
    computed = []
    real = decision_in_words.counterfactual

    def counting(**kwargs):
        result = real(**kwargs)
        computed.append(result["model_version"])
        return result

    monkeypatch.setattr(decision_in_words, "counterfactual", counting)
    client.force_login(client_user)

    _page(client, "/portal/decision/")
    _page(client, "/portal/decision/")
    assert computed == [serving.version]  # the second view read the cache

    model_version_activate(version=challenger.version, emergency_reason="test: model switch")
    _page(client, "/portal/decision/")
    assert computed == [serving.version, challenger.version]

    model_version_activate(version=serving.version, emergency_reason="test: rollback")
    _page(client, "/portal/decision/")
    assert computed == [serving.version, challenger.version]  # its own entry, still fresh
