"""Reads of the client portal: the client's status, in the words the client reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

import formatting
from clients.models import MODEL_FOR_TABLE, Application
from clients.record_in_words import application_received_on
from ml import schema
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


# ---------------------------------------------------------------------------
# The client's rows of the seven Kaggle tables
# ---------------------------------------------------------------------------


def _rows_of_client(table: str, application: Application) -> QuerySet:
    """The rows of `table` that belong to `application`, by its key (bureau_balance: through
    the client's bureau credits)."""
    # _default_manager: Django's name for "the manager" in code that takes any model.
    rows = MODEL_FOR_TABLE[table]._default_manager
    if table == schema.APPLICATION.name:
        return rows.filter(pk=application.pk)
    if table == schema.BUREAU_BALANCE.name:
        return rows.filter(bureau__application_id=application.pk)
    return rows.filter(application_id=application.pk)


def kaggle_attnames(table: str) -> list[tuple[str, str]]:
    """(Kaggle column, model attribute) of every column of `table`, in Kaggle's order."""
    model = MODEL_FOR_TABLE[table]
    by_column = {field.column: field.attname for field in model._meta.concrete_fields}
    return [
        (column, by_column[column.lower()])
        for column in schema.TABLES_BY_NAME[table].column_names
        if column.lower() in by_column
    ]


# The order rows come out in: by their Kaggle keys, so that two exports compare line by line.
_ROW_ORDER = {
    "application": ("sk_id_curr",),
    "bureau": ("sk_id_bureau",),
    "bureau_balance": ("bureau_id", "months_balance"),
    "previous_application": ("sk_id_prev",),
    "POS_CASH_balance": ("sk_id_prev", "months_balance", "pk"),
    "installments_payments": ("sk_id_prev", "num_instalment_number", "days_instalment", "pk"),
    "credit_card_balance": ("sk_id_prev", "months_balance", "pk"),
}


def client_tables_get(*, application: Application) -> dict[str, list[dict[str, object]]]:
    """Every row of the client in each of the seven Kaggle tables, with Kaggle's column names.

    Exactly the client's rows (GDPR art. 15 and 20): the application, its bureau credits
    and their monthly reports, the earlier applications and their monthly histories.
    """
    tables: dict[str, list[dict[str, object]]] = {}
    for table in MODEL_FOR_TABLE:
        columns = kaggle_attnames(table)
        rows = _rows_of_client(table, application).order_by(*_ROW_ORDER[table])
        tables[table] = [
            {column: row[attname] for column, attname in columns}
            for row in rows.values(*(attname for _column, attname in columns))
        ]
    return tables


def client_table_counts(*, application: Application) -> dict[str, int]:
    """How many rows of each Kaggle table are the client's."""
    return {table: _rows_of_client(table, application).count() for table in MODEL_FOR_TABLE}
