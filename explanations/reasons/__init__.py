"""Plain-language reasons behind a score, in the language of the reader.

`reasons_for(contributions, feature_values, language=...)` turns a score's SHAP
contributions (log-odds: positive raises the risk of default, negative lowers
it) into a few sentences a non-specialist understands, with the client's own
values formatted for the language:

    "The loan amount is 5.2 times your annual income, which increases the risk."
    "Le montant du crédit représente 5,2 fois votre revenu annuel, ce qui augmente le risque."

How a sentence is chosen:

* Features are taken by decreasing |contribution|, the strongest `top` that
  raise the risk and the strongest `top` that lower it; contributions below
  `MIN_CONTRIBUTION` are noise, not reasons.
* A feature with a template says what the value means ("You have been in
  your current job for 2 years and 3 months"); every other feature gets a
  generic but readable sentence from its label and formatted value
  ("Outstanding debt (total, bureau credits): 312,500 — this increases the
  risk."). Missing values are said as such: a client without any row in a
  history table gets "No credit history is known at the credit bureau"
  rather than one sentence per empty aggregate.
* Features that tell the same story (the average, lowest and highest of the
  external scores; the history of one table when it is empty) share a topic,
  and a topic is said once per direction.

The sentences are English gettext messages; their translations live in
`locale/*/LC_MESSAGES/django.po` (a new language is a new catalogue). The
machinery is in `core`; the templates, one module per section of the file:
`credit`, `household`, `employment`, `external_scores`, `bureau`,
`previous_applications`, `repayment` (instalments and point-of-sale loans)
and `cards`.

Gender (CODE_GENDER) is never given as a reason. Models trained since issue 9
do not use it at all (`ml.policy.EXCLUDED_ATTRIBUTES`: gender and family
status are not model inputs), so it has no contribution to tell; a model
version trained before may still carry it, and telling an applicant that
their gender raised (or lowered) their risk would be discriminatory and is
not something a lender may rely on (EU Directive 2004/113/EC, equal
treatment in access to services, applies to credit pricing). For such a
version it is left out of the sentences, and the next factor takes its
place; it stays, labelled, in the advisor's raw `contributions` of
`scoring.explanations.explanation_for_score`, so the score remains fully
accountable and auditable. The same rule applies to every feature in
`OMITTED_FROM_REASONS`.
"""

from __future__ import annotations

# The sections register their templates when imported.
from explanations.reasons import (  # noqa: F401
    bureau,
    cards,
    credit,
    employment,
    external_scores,
    household,
    previous_applications,
    repayment,
)
from explanations.reasons.core import (
    MIN_CONTRIBUTION,
    OMITTED_FROM_REASONS,
    REASONS_PER_DIRECTION,
    Fact,
    Say,
    explain_feature,
    format_value,
    reasons_for,
    template,
    templated_features,
)

__all__ = [
    "MIN_CONTRIBUTION",
    "OMITTED_FROM_REASONS",
    "REASONS_PER_DIRECTION",
    "Fact",
    "Say",
    "explain_feature",
    "format_value",
    "reasons_for",
    "template",
    "templated_features",
]
