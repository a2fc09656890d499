"""The scoring sections of a client's page: the context their templates need, built in one place.

`dashboard.views.client.client_detail` adds `client_page_context(...)` to its
own context; the fragments that reload one section (dashboard/views/) reuse
the builders below. Staff (advisors, supervisors, risk staff) get the decision, its
explanation by client fact, the client against the population, similar
clients, the what-if form and the decision workflow; the model's global
importance is on the model's page (`model_page_context`), not on every client.
A client looking at their own record gets the final decision recorded by a
person and the plain-language reasons behind it, nothing else: the model's
internals and the simulation tools are for staff.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from accounts.access import sees_decision_support
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application
from dashboard import charts, wording
from dashboard.forms import CreditDecisionForm, WhatIfForm
from explanations import population as population_service
from scoring.explanations import (
    ExplanationUnavailable,
    explanation_for_score,
    fact_importance,
    global_importance,
    score_feature_values,
)
from scoring.governance import manual_review_on
from scoring.models import CreditDecision, ModelVersion, Score
from scoring.population import population_reference
from scoring.selectors import credit_decisions_for, open_review_for, score_state_get

logger = logging.getLogger(__name__)

# Choices of the number of client facts in the waterfall (and of features in the payload's
# `contributions`). The facts given as reasons are always drawn, whatever the choice.
TOP_CHOICES: tuple[int, ...] = (5, 10, 15, 20)
DEFAULT_TOP = 10
GLOBAL_IMPORTANCE_TOP = 15
COMPARABLE_FEATURES = 30
SIMILAR_CLIENTS = 10


def parse_top(value: object) -> int:
    """The number of waterfall factors asked for, one of `TOP_CHOICES` (default otherwise)."""
    try:
        top = int(str(value))
    except (TypeError, ValueError):
        return DEFAULT_TOP
    return top if top in TOP_CHOICES else DEFAULT_TOP


def client_page_context(
    *, user, application: Application, is_own_record: bool, top: int = DEFAULT_TOP
) -> dict[str, Any]:
    """Everything the decision, explanation, what-if and population sections show."""
    if not sees_decision_support(user):
        return _client_portal_context(user=user, application=application) if is_own_record else {}
    state = score_state_get(application=application)
    decisions = credit_decisions_for(application=application)
    context: dict[str, Any] = {
        "decision_support": True,
        "score_state": state,
        "score": state.score,
        "can_request_score": user.has_perm("clients.request_score"),
        "can_record_decision": user.has_perm("clients.record_decision"),
        "credit_decisions": decisions,
        "open_review": open_review_for(application=application),
        "top": top,
        "top_choices": TOP_CHOICES,
        "explanation": None,
    }
    score = state.score
    if score is not None:
        context.update(decision_context(score))
        context.update(explanation_context(score=score, top=top))
        context.update(
            population_context(score=score, explanation=context["explanation"], user=user)
        )
        context["what_if_form"] = WhatIfForm(current=WhatIfForm.current_of(application))
        context["decision_form"] = CreditDecisionForm(
            # Under manual review the model's decision is no one's starting point.
            model_decision="" if manual_review_on() else score.decision,
            recorded_outcome=_recorded_outcome(decisions),
        )
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.EXPLANATION_VIEWED,
            application_id=application.pk,
            model_version=score.model_version.version,
            detail={"score": str(score.pk), "view": "client_page", "top": top},
        )
    elif context["can_record_decision"]:
        context["decision_form"] = CreditDecisionForm(
            model_decision="", recorded_outcome=_recorded_outcome(decisions)
        )
    return context


def _recorded_outcome(decisions: list) -> str:
    """The outcome last recorded ("" if none): the decision form opens on it."""
    return decisions[0].outcome if decisions else ""


def decision_context(score: Score) -> dict[str, Any]:
    """The gauge and the words of the decision card for a finished score."""
    probability, threshold = score.probability, score.threshold
    if probability is None or threshold is None:
        raise ValueError(f"score {score.pk} has no probability yet: it is not finished")
    band = wording.confidence_band(probability, threshold)
    return {
        "gauge": charts.decision_gauge(
            probability=probability,
            threshold=threshold,
            decision=score.decision,
            advisory=manual_review_on(),
        ),
        "confidence_band": band,
        "confidence_label": wording.band_label(band),
        "decision_label": wording.decision_label(score.decision),
    }


def explanation_context(*, score: Score, top: int) -> dict[str, Any]:
    """The waterfall of the top `top` factors and the reasons; empty when none is stored."""
    try:
        payload = explanation_for_score(score=score, language=wording.language(), top=top)
    except ExplanationUnavailable:
        logger.warning("score %s is done but has no explanation", score.pk)
        return {"explanation": None}
    return {"explanation": payload, "waterfall": charts.explanation_waterfall(payload)}


def model_page_context(version: ModelVersion) -> dict[str, Any]:
    """What the model's page shows of `version`: the client facts by their share of the
    model's effect (chart), the features the model leans on most (table), its figures."""
    language = wording.language()
    facts = fact_importance(model_version=version, language=language)
    features = global_importance(
        model_version=version, language=language, top=GLOBAL_IMPORTANCE_TOP
    )
    metrics = version.metrics or {}
    cost = metrics.get("cost") or {}
    return {
        "version": version,
        "importance": charts.global_importance_bars(facts[:GLOBAL_IMPORTANCE_TOP]),
        "fact_count": len(facts),
        "features": features,
        "auc": metrics.get("oof_auc"),
        "refusal_rate": cost.get("refusal_rate"),
        "training_rows": (version.trained_on or {}).get("training_rows") or cost.get("rows"),
    }


def population_context(*, score: Score, explanation: dict | None, user=None) -> dict[str, Any]:
    """The distribution of one feature, a scatter of two, and the nearest clients.

    The features offered are the model's most important ones; the distribution
    shown first is the one of the factor that weighed most on this client,
    the scatter's axes the two most important numeric features.
    """
    version = score.model_version
    features = comparable_features(version)
    if not features:
        return {"population": None}
    values = score_feature_values(score)
    offered = {row["feature"] for row in features}
    first = next(
        (
            row["feature"]
            for row in (explanation or {}).get("contributions", [])
            if row["feature"] in offered
        ),
        features[0]["feature"],
    )
    numeric = [row for row in features if row["kind"] == population_service.NUMERIC]
    context: dict[str, Any] = {
        "population": {
            "features": features,
            "numeric_features": numeric,
            "feature": first,
            "x": numeric[0]["feature"] if len(numeric) > 1 else None,
            "y": numeric[1]["feature"] if len(numeric) > 1 else None,
        }
    }
    context["distribution"] = distribution_chart(version=version, feature=first, values=values)
    if len(numeric) > 1:
        context["scatter"] = scatter_chart(
            version=version, x=numeric[0]["feature"], y=numeric[1]["feature"], values=values
        )
    context["similar"] = similar_clients_rows(
        version=version, values=values, application_id=score.application_id, user=user
    )
    return context


def comparable_features(version: ModelVersion) -> list[dict[str, Any]]:
    """The features a client's page offers to set against the population (the page itself,
    its distribution and scatter fragments): the model's most important, in the page's
    language."""
    return population_service.comparable_features(
        reference=population_reference(version),
        top=COMPARABLE_FEATURES,
        language=wording.language(),
    )


def distribution_chart(*, version: ModelVersion, feature: str, values: dict[str, Any]):
    distribution = population_service.feature_distribution(
        reference=population_reference(version),
        feature=feature,
        client_value=values.get(feature),
        language=wording.language(),
    )
    return charts.population_distribution(distribution)


def scatter_chart(*, version: ModelVersion, x: str, y: str, values: dict[str, Any]):
    pairs = population_service.bivariate(
        reference=population_reference(version),
        x=x,
        y=y,
        client_values=values,
        language=wording.language(),
    )
    return charts.population_scatter(pairs)


def similar_clients_rows(
    *, version: ModelVersion, values: dict[str, Any], application_id: int, user=None
) -> dict[str, Any]:
    """The `SIMILAR_CLIENTS` nearest reference clients (never the client's own training row),
    named only when `user` may see them."""
    lang = wording.language()
    reference = population_reference(version)
    neighbours = population_service.similar_clients(
        reference=reference,
        features_row=pd.Series(values, dtype=object),
        k=SIMILAR_CLIENTS,
        exclude_id=application_id,
    )
    compared = population_service.similarity_features(reference=reference, language=lang)
    defaulted = sum(row["outcome"] for row in neighbours)
    # The neighbours come from the training sample, every portfolio's: a past client's
    # identifier is shown only to a reader who may open that client; for anyone else the
    # row is "past client n" with its outcome and values, nothing to look them up by.
    ids = [row["id"] for row in neighbours]
    visible = (
        set(Application.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
        if user is not None
        else set()
    )
    neighbours = [
        {**row, "id": row["id"] if row["id"] in visible else None, "rank": rank}
        for rank, row in enumerate(neighbours, start=1)
    ]
    return {
        "rows": neighbours,
        "features": compared,
        "defaulted": defaulted,
        "count": len(neighbours),
    }


def _client_portal_context(*, user, application: Application) -> dict[str, Any]:
    """What a client sees of their own application: the decision a person recorded, and why.

    Before an advisor records a decision the client reads that it is under
    review: the model's output alone is not a decision (GDPR art. 22).
    """
    decision = (
        CreditDecision.objects.filter(application=application)
        .select_related("score")
        .order_by("-created_at")
        .first()
    )
    context: dict[str, Any] = {
        "decision_support": False,
        "client_decision": decision,
        "client_reasons": None,
    }
    if decision is None:
        return context
    context["client_decision_label"] = wording.decision_label(decision.outcome)
    score = decision.score
    if score is not None and score.status == Score.Status.DONE:
        try:
            payload = explanation_for_score(score=score, language=wording.language(), top=0)
            context["client_reasons"] = payload["reasons"]
        except ExplanationUnavailable:
            pass
    audit_event_record(
        actor=user,
        action=(
            AuditEvent.Action.EXPLANATION_VIEWED
            if context["client_reasons"]
            else AuditEvent.Action.SCORE_VIEWED
        ),
        application_id=application.pk,
        detail={"view": "client_portal", "decision": decision.pk},
    )
    return context
