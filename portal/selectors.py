"""Reads of the client portal: the client's status, in the words the client reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

import formatting
from clients.models import Application
from clients.record_in_words import application_received_on
from scoring.models import CreditDecision, Decision


@dataclass(frozen=True)
class ClientStatus:
    received_on: str
    amount: str
    text: str
    next_step: str
    decision: CreditDecision | None


def final_decision_get(*, application: Application) -> CreditDecision | None:
    """The latest decision a person recorded on `application` (None: none yet).

    The only decision a client is ever shown: a score the model computed is not a
    decision until a person took it (GDPR art. 22).
    """
    return (
        CreditDecision.objects.filter(application=application)
        .select_related("decided_by", "score__model_version")
        .order_by("-created_at")
        .first()
    )


def decided_on(decision: CreditDecision) -> dt.date:
    return decision.created_at.date()


def client_status_get(*, application: Application) -> ClientStatus:
    decision = final_decision_get(application=application)
    received_on = application_received_on(application)
    if decision is None:
        text = _("Under review")
        next_step = _(
            "An advisor is studying your application. You will find the decision here as soon "
            "as it is taken, with its reasons."
        )
    else:
        when = formatting.date(decided_on(decision))
        if decision.outcome == Decision.GRANTED:
            text = _("Granted on %(date)s") % {"date": when}
        else:
            text = _("Refused on %(date)s") % {"date": when}
        next_step = _("The decision page explains the reasons and what could change the outcome.")
    return ClientStatus(
        received_on=formatting.date(received_on),
        amount=formatting.money(application.amt_credit) if application.amt_credit else "",
        text=text,
        next_step=next_step,
        decision=decision,
    )
