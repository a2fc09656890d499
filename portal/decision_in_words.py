"""The final decision on a client's application, as the client reads it.

Only a decision a person recorded (`CreditDecision`) is ever said: before
one exists the portal says "under review" and shows nothing of the model
(GDPR art. 22: the decision may not rest on the model alone). Once one exists:

* the decision, who took it (their role, never their login) and when, and
  whether it followed the model's assessment; an override's written reason;
* the principal reasons, at most four (US adverse-action notices name at most
  four), each a sentence stating the client's own value and which way it
  counted (`explanations.reasons`, one sentence per client fact of
  `explanations.facts`), then what counted in the client's favour;
* what could change the outcome (`scoring.counterfactual`: only the amount,
  the term and so the down payment, what a person can change; never age,
  gender or family status);
* which data were used and where they come from, the model's version and date.

No probability, threshold, log-odds or SHAP value is said: those are the
model's internals, for staff (CJEU C-203/22: the explanation says which of
the person's data counted and how a change would have changed the result).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from redis.exceptions import RedisError

import formatting
from clients.models import Application
from clients.record_in_words import (
    APPLICATION_FORM,
    CREDIT_BUREAU,
    OUR_HISTORY,
    SOURCE_OF_TABLE,
    application_received_on,
    source_label,
)
from explanations.reasons import reasons_for
from ml.artifact import ArtifactError
from portal.selectors import client_table_counts, final_decision_get
from scoring.counterfactual import counterfactual
from scoring.models import CreditDecision, Decision, Explanation
from scoring.registry import NoActiveModel, active_model_version

logger = logging.getLogger(__name__)

# At most four principal reasons, as adverse-action notices name them.
PRINCIPAL_REASONS = 4
# The counterfactual scores a grid of loans: kept a while for the same decision, score, model
# and language (change_cache_key).
CHANGE_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class DataSource:
    key: str
    label: str
    detail: str


@dataclass(frozen=True)
class DecisionInWords:
    decision: CreditDecision
    granted: bool
    outcome: str
    decided_on: str
    decided_by: str
    followed_model: str
    justification: str
    against: list[str] = field(default_factory=list)
    in_favour: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    sources: list[DataSource] = field(default_factory=list)
    model: str = ""


@dataclass(frozen=True)
class UnderReview:
    received_on: str
    next_steps: list[str]


def decider_role(user) -> str:
    """Who took the decision, by role: the client is told a role, never a login."""
    if user is None:
        return _("A member of our credit staff")
    if user.has_perm("clients.view_all_applications") and user.has_perm("clients.view_portfolio"):
        return _("A credit supervisor")
    if user.has_perm("clients.view_portfolio"):
        return _("Your advisor")
    return _("A member of our credit staff")


def _followed_model(decision: CreditDecision) -> str:
    if not decision.model_decision:
        return _("A person took this decision without an assessment by our scoring model.")
    if decision.is_override:
        return _(
            "A person took this decision after studying your file: it differs from the "
            "assessment of our scoring model."
        )
    return _(
        "A person took this decision after studying your file and the assessment of our "
        "scoring model, and agreed with it."
    )


def _reasons(decision: CreditDecision, language: str) -> tuple[list[str], list[str]]:
    """(against, in favour): the principal reasons of the decision's own score."""
    if decision.score_id is None:
        return [], []
    explanation = Explanation.objects.filter(score_id=decision.score_id).first()
    if explanation is None:
        return [], []
    said = reasons_for(
        explanation.contributions,
        explanation.feature_values,
        language=language,
        top=PRINCIPAL_REASONS,
    )
    # A contribution that raises the risk of not repaying counts against the application.
    return said["raising"], said["lowering"]


def change_cache_key(*, decision: CreditDecision, model_version: str, language: str) -> str:
    """Where the sentences of what could change `decision` are cached.

    The counterfactual scores the application with the model serving now: keyed by that
    model's version, a switch of model (or a rollback) is seen at once instead of up to
    CHANGE_CACHE_SECONDS later. The decision's score is in the key as well, so that the
    entry always names the score whose reasons the same page gives.
    """
    score = decision.score_id or "-"
    return f"portal:change:{decision.pk}:{score}:{model_version}:{language}"


def _changes(decision: CreditDecision, application: Application, language: str) -> list[str]:
    """What could change a refusal: the amount and term only (scoring.counterfactual)."""
    if decision.outcome != Decision.REFUSED:
        return []
    try:
        serving = active_model_version().version
    except NoActiveModel as error:
        logger.warning("no counterfactual for decision %s: %s", decision.pk, error)
        return []
    key = change_cache_key(decision=decision, model_version=serving, language=language)
    try:
        cached = cache.get(key)
    except RedisError:
        cached = None
    if cached is not None:
        return cached
    try:
        result = counterfactual(application=application, language=language)
    except (NoActiveModel, ArtifactError) as error:
        logger.warning("no counterfactual for decision %s: %s", decision.pk, error)
        return []
    # Kept under the version that computed it, should the model have changed meanwhile.
    key = change_cache_key(
        decision=decision, model_version=result["model_version"], language=language
    )
    with translation.override(language):
        if result["status"] == "found":
            sentences = [result["reason"]]
            sentences += [alternative["reason"] for alternative in result["alternatives"]]
            sentences.append(
                _(
                    "These are the model's assessments of other loans: a new application with "
                    "such terms would again be decided by a person."
                )
            )
        elif result["status"] == "already_granted":
            sentences = [
                _(
                    "Our scoring model's assessment of your application as it stands is now "
                    "favourable: ask for a human review to have it decided again."
                )
            ]
        else:
            sentences = [result["reason"]]
    try:
        cache.set(key, sentences, CHANGE_CACHE_SECONDS)
    except RedisError:
        pass
    return sentences


def _bureau_records(count: int) -> str:
    if count == 0:  # "0 records": say what that means
        return _("no record (no credit in your name is known there)")
    return ngettext(
        "%(count)s record (credits and their monthly reports)",
        "%(count)s records (credits and their monthly reports)",
        count,
    ) % {"count": formatting.number(count, 0)}


def _our_records(count: int) -> str:
    if count == 0:
        return _("no record (no earlier application or loan with us)")
    return ngettext(
        "%(count)s record (earlier applications, instalments, card and loan months)",
        "%(count)s records (earlier applications, instalments, card and loan months)",
        count,
    ) % {"count": formatting.number(count, 0)}


def data_sources(application: Application) -> list[DataSource]:
    """The data the decision rests on, by where they come from, with how much of each."""
    counts = client_table_counts(application=application)
    by_source: dict[str, int] = {APPLICATION_FORM: 0, CREDIT_BUREAU: 0, OUR_HISTORY: 0}
    for table, count in counts.items():
        if table != "application":
            by_source[SOURCE_OF_TABLE[table]] += count
    received = formatting.date(application_received_on(application))
    return [
        DataSource(
            key=APPLICATION_FORM,
            label=source_label(APPLICATION_FORM),
            detail=_("your application, received on %(date)s") % {"date": received},
        ),
        DataSource(
            key=CREDIT_BUREAU,
            label=source_label(CREDIT_BUREAU),
            detail=_bureau_records(by_source[CREDIT_BUREAU]),
        ),
        DataSource(
            key=OUR_HISTORY,
            label=source_label(OUR_HISTORY),
            detail=_our_records(by_source[OUR_HISTORY]),
        ),
    ]


def _model(decision: CreditDecision) -> str:
    if decision.score is None:
        return ""
    version = decision.score.model_version
    return _("Scoring model version %(version)s, in use since %(date)s.") % {
        "version": version.version,
        "date": formatting.date((version.activated_at or version.created_at).date()),
    }


def decision_in_words(*, application: Application) -> DecisionInWords | UnderReview:
    """The client's decision in the active language, or "under review" before a person decided."""
    language = formatting.active_language()
    decision = final_decision_get(application=application)
    if decision is None:
        return UnderReview(
            received_on=formatting.date(application_received_on(application)),
            next_steps=[
                _("An advisor studies your application and the data listed under My application."),
                _(
                    "A person takes the decision: our scoring model helps them, it never "
                    "decides alone."
                ),
                _(
                    "You will find the decision here, with its principal reasons and what could "
                    "change it, and you can then ask for a human review."
                ),
            ],
        )
    granted = decision.outcome == Decision.GRANTED
    against, in_favour = _reasons(decision, language)
    return DecisionInWords(
        decision=decision,
        granted=granted,
        outcome=_("Your credit is granted.") if granted else _("Your credit is refused."),
        decided_on=formatting.date(decision.created_at.date()),
        decided_by=decider_role(decision.decided_by),
        followed_model=_followed_model(decision),
        justification=decision.justification if decision.is_override else "",
        against=against,
        in_favour=in_favour,
        changes=_changes(decision, application, language),
        sources=data_sources(application),
        model=_model(decision),
    )
