"""The decision workflow: advisors record the final decision (reviews: scoring/reviews.py)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import ngettext

from accounts.models import AnyUser, User
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application
from scoring.governance import manual_review_on
from scoring.models import CreditDecision, Decision, ReviewRequest
from scoring.selectors import score_latest_done

# A justification is counted in different words, not characters: "ok", "see file" or a
# line of dots cannot pass as a reason; "Permanent contract signed, payslips seen" can.
MIN_JUSTIFICATION_WORDS = 5
_WORD = re.compile(r"[^\W\d_]{2,}")  # letters only, two at least (any alphabet)


def justification_word_count(text: str) -> int:
    """The number of different words in `text` (two letters or more, case ignored)."""
    return len({word.casefold() for word in _WORD.findall(text or "")})


def justification_rule() -> str:
    """The rule, said before the advisor types and again when it is not met."""
    return ngettext(
        "A decision that differs from the model's needs a justification of at least "
        "%(count)s different word.",
        "A decision that differs from the model's needs a justification of at least "
        "%(count)s different words.",
        MIN_JUSTIFICATION_WORDS,
    ) % {"count": MIN_JUSTIFICATION_WORDS}


@transaction.atomic
def credit_decision_record(
    *, application: Application, decided_by: User, outcome: str, justification: str = ""
) -> CreditDecision:
    """Record the final decision on `application`; an override needs a justification.

    The caller has checked that `decided_by` may decide for this client
    (`clients.record_decision` and the application in their scope).
    """
    if outcome not in Decision.values:
        raise ValidationError({"outcome": f"must be one of {', '.join(Decision.values)}"})
    score = score_latest_done(application=application)
    # Under manual review (scoring/governance.py) the model's decision was shown to no
    # one: the person decides, nothing is overridden, and nothing asks them to say why
    # they differ from an outcome they were not told. The model's advice stays on the score.
    manual = manual_review_on()
    model_decision = score.decision if score and not manual else ""
    is_override = not manual and outcome != model_decision
    justification = justification.strip()
    if is_override and justification_word_count(justification) < MIN_JUSTIFICATION_WORDS:
        raise ValidationError({"justification": justification_rule()})
    decision = CreditDecision.objects.create(
        application=application,
        score=score,
        outcome=outcome,
        model_decision=model_decision,
        is_override=is_override,
        justification=justification,
        decided_by=decided_by,
    )
    # A decision does not close a review request: the advisor answers it in writing
    # (scoring/reviews.py), and the answer carries the decision in force then.
    open_review = (
        ReviewRequest.objects.filter(
            application=application, status__in=ReviewRequest.OPEN_STATUSES
        )
        .values_list("pk", flat=True)
        .first()
    )
    audit_event_record(
        actor=decided_by,
        action=AuditEvent.Action.DECISION_RECORDED,
        application_id=application.pk,
        model_version=score.model_version.version if score else "",
        detail={
            "decision": decision.pk,
            "outcome": outcome,
            "model_decision": model_decision,
            # An override: the person decided otherwise than the model, and wrote why.
            "override": is_override,
            "justification": justification,
            "score": str(score.pk) if score else None,
            "open_review": open_review,
            "manual_review": manual,
        },
    )
    return decision


def open_reviews_for(user: AnyUser) -> QuerySet[ReviewRequest]:
    """Open review requests on the clients `user` may see, the earliest due first."""
    return (
        ReviewRequest.objects.filter(
            status__in=ReviewRequest.OPEN_STATUSES,
            application__in=Application.objects.for_user(user).values("pk"),
        )
        .select_related("application")
        .order_by("due_at", "pk")
    )
