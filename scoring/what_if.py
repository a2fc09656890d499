"""What-if: re-scoring an application with other loan terms, saving nothing.

The loan terms that may change, their bounds and conventions (the term is
credit / instalment) are in scoring/loan_terms.py; the smallest change that
would turn a refusal into a grant is scoring/counterfactual.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from clients.models import Application
from explanations.feature_labels import label, normalise_language
from ml import schema
from ml.artifact import to_json_safe
from ml.predict import Explanation as ModelExplanation
from scoring.loan_terms import (
    LoanTerms,
    application_tables,
    apply_changes,
    loan_terms_after,
    scenario_features,
    validate_changes,
)
from scoring.registry import active_scoring_model


def what_if(
    *,
    application: Application,
    changes: Mapping[str, object],
    language: str = "en",
    top: int = 10,
) -> dict[str, Any]:
    """The application re-scored with `changes` by the active model, nothing saved.

    `changes`: {field: value} among `CHANGEABLE_FIELDS` (case-insensitive);
    raises `InvalidChange` naming the field refused. "before" is computed from
    the stored data the same way (same model call), so the two compare like
    for like. `factors` lists the `top` features whose contribution changed
    most (log-odds, positive raises the risk; `points_change` is the same in
    percentage points of probability, approximate).
    """
    language = normalise_language(language)
    version, model = active_scoring_model()
    tables = application_tables(application)
    current = LoanTerms.of(tables[schema.APPLICATION.name].iloc[0])
    accepted = validate_changes(current=current, changes=changes, language=language)
    after = apply_changes(current, accepted)
    features = scenario_features(model, tables, [after])
    prediction = model.predict(features)
    explanation = model.explain(features)
    probability = prediction.probability
    return {
        "application_id": application.pk,
        "model_version": version.version,
        "threshold": model.threshold,
        "language": language,
        "changes": accepted,
        "inputs": {"before": current.as_dict(), "after": after.as_dict()},
        "before": {"probability": float(probability[0]), "decision": str(prediction.decision[0])},
        "after": {"probability": float(probability[1]), "decision": str(prediction.decision[1])},
        "delta": float(probability[1] - probability[0]),
        "decision_changed": bool(prediction.decision[0] != prediction.decision[1]),
        "factors": _changed_factors(
            explanation,
            delta=float(probability[1] - probability[0]),
            language=language,
            top=top,
        ),
    }


def _changed_factors(
    explanation: ModelExplanation, *, delta: float, language: str, top: int
) -> list[dict[str, Any]]:
    contributions = explanation.contributions.to_numpy()
    change = contributions[1] - contributions[0]
    # Percentage points of probability per unit of log-odds along this change: the change
    # of probability shared out in proportion to the contributions' changes (they add up to
    # the change of the raw score), as the explanation's waterfall does. Approximate.
    total = float(change.sum())
    per_unit = 100 * delta / total if abs(total) > 1e-9 else None
    values = explanation.feature_values
    order = np.argsort(-np.abs(change), kind="stable")
    factors = []
    for position in order[: max(0, int(top))]:
        if change[position] == 0.0:
            break
        feature = explanation.contributions.columns[position]
        factors.append(
            {
                "feature": feature,
                "label": label(feature, language),
                "value_before": to_json_safe(values.iat[0, position]),
                "value_after": to_json_safe(values.iat[1, position]),
                "contribution_before": float(contributions[0, position]),
                "contribution_after": float(contributions[1, position]),
                "contribution_change": float(change[position]),
                "points_change": (None if per_unit is None else float(change[position]) * per_unit),
            }
        )
    return factors


def scenarios_evaluate(
    *, application: Application, scenarios: Sequence[Mapping[str, object]]
) -> list[dict[str, Any]]:
    """Probability and decision of each scenario (a `changes` dict), one batched model call.

    For curves (probability against the amount, say) and for checking a
    counterfactual. Raises `InvalidChange` for an invalid scenario.
    """
    _, model = active_scoring_model()
    tables = application_tables(application)
    current = LoanTerms.of(tables[schema.APPLICATION.name].iloc[0])
    terms = [loan_terms_after(current=current, changes=changes) for changes in scenarios]
    prediction = model.predict(scenario_features(model, tables, terms))
    return [
        {
            "changes": dict(changes),
            "inputs": scenario_terms.as_dict(),
            "probability": float(prediction.probability[i + 1]),
            "decision": str(prediction.decision[i + 1]),
        }
        for i, (changes, scenario_terms) in enumerate(zip(scenarios, terms, strict=True))
    ]
