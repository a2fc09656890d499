"""A recorded final decision for the demo client, so that a new user sees the whole portal.

A refusal is the more instructive case: the portal then shows the principal reasons,
what counted in the client's favour, what amount or term could change the outcome and
the right to a human review. The demo client's record is one the model refuses when
the advisor's portfolio has one (the link moves there while nothing was recorded on
the first record, by the advisor or the client); the demo advisor records the refusal,
following the model. With no refused client at all the refusal overrides the model,
with a written reason. Kept once made: a later run finds a decision and adds none.
"""

from __future__ import annotations

from accounts.models import User
from clients.models import Application
from scoring.decisions import credit_decision_record
from scoring.models import CreditDecision, Decision, ReviewRequest, Score

OVERRIDE_REASON = (
    "Les mensualités de ce crédit, ajoutées à celles des crédits en cours déclarés au "
    "bureau, dépasseraient le tiers des revenus déclarés."
)


def _model_refuses(application: Application) -> bool:
    return Score.objects.filter(
        application=application, is_current=True, decision=Decision.REFUSED
    ).exists()


def _untouched(application: Application) -> bool:
    """Nothing was recorded on it yet: no decision, no review request."""
    return not (
        CreditDecision.objects.filter(application=application).exists()
        or ReviewRequest.objects.filter(application=application).exists()
    )


def demo_client_decision_ensure(*, client: User, advisor: User) -> int | None:
    """The demo client's record id, with a recorded refusal (None: the client has no record)."""
    record = Application.objects.filter(portal_user=client).first()
    if record is None:
        return None
    if CreditDecision.objects.filter(application=record).exists():
        return record.pk
    if not _model_refuses(record) and _untouched(record):
        refused = (
            Application.objects.filter(
                advisor=advisor,
                portal_user__isnull=True,
                scores__is_current=True,
                scores__decision=Decision.REFUSED,
            )
            .order_by("sk_id_curr")
            .first()
        )
        if refused is not None and _untouched(refused):
            record.portal_user = None
            record.save(update_fields=["portal_user", "updated_at"])
            refused.portal_user = client
            refused.save(update_fields=["portal_user", "updated_at"])
            record = refused
    credit_decision_record(
        application=record,
        decided_by=advisor,
        outcome=Decision.REFUSED,
        justification="" if _model_refuses(record) else OVERRIDE_REASON,
    )
    return record.pk
