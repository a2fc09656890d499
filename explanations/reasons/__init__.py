"""Plain-language reasons behind a score, in the language of the reader.

`reasons_for(contributions, feature_values, language=...)` turns a score's SHAP
contributions (log-odds: positive raises the risk of default, negative lowers
it) into a few sentences a non-specialist understands, with the client's own
values formatted for the language:

    "The loan amount is 5.2 times your annual income, which increases the risk."
    "Le montant du crédit représente 5,2 fois votre revenu annuel, ce qui augmente le risque."

How a sentence is chosen:

* The features are grouped by the client fact they come from
  (explanations/facts.py: the three external scores and their average,
  lowest, highest... are one fact; every statistic of the bureau's monthly
  history is one fact); a fact's contribution is the sum of its features'.
  The strongest `top` facts that raise the risk and the strongest `top` that
  lower it are said, each once, in the column of its total; contributions
  below `MIN_CONTRIBUTION` are noise, not reasons.
* Each fact has a sentence of its own (`fact_template`) that states the
  client's values ("The loan amount (450,000) is 5.2 times your annual
  income"); a value the client did not provide says so and what the model
  does then ("Your occupation: not provided (the model then relies on your
  other data)"); a client without any row in a history table gets one fact
  for it ("No credit history is known at the credit bureau").
* A feature alone (`explain_feature`) still has its sentence: a template
  where one says what the value means, else a generic sentence from its
  label and formatted value; they are the building blocks of the facts'.

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
`OMITTED_FROM_REASONS` and every client fact in `OMITTED_FACTS` (the fact
"gender": drawn for staff in the waterfall, never said).
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
