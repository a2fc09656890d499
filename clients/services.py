"""Writes on client records (HackSoft style: keyword-only, one transaction each)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application
from clients.selectors.advisors import advisor_for_new_application
from ml import schema


@transaction.atomic
def applications_assign_advisor(*, advisor: User, application_ids: Iterable[int] | QuerySet) -> int:
    """Put the given applications in `advisor`'s portfolio; returns how many were updated.

    `application_ids` may be a queryset of ids (even sliced): it then stays a
    subquery, so a portfolio of 100,000 clients is one UPDATE.

    Refused for a user who could not see a portfolio: the clients would vanish
    from every advisor's screen.
    """
    if not advisor.has_perm("clients.view_portfolio"):
        raise ValidationError(
            {"advisor": f"{advisor.username} has no portfolio (permission clients.view_portfolio)."}
        )
    if not isinstance(application_ids, QuerySet):
        application_ids = list(application_ids)
    return Application.objects.filter(pk__in=application_ids).update(
        advisor=advisor, updated_at=timezone.now()
    )


class ApplicationExists(Exception):
    """An application with this SK_ID_CURR is already recorded."""


def _kaggle_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Kaggle names (AMT_CREDIT) -> model field names (amt_credit); unknown names refused."""
    known = {column.name: column.field_name for column in schema.APPLICATION.columns}
    unknown = sorted(name for name in fields if name not in known)
    if unknown:
        raise ValidationError(
            {name: "not a column of the Kaggle application table" for name in unknown}
        )
    return {known[name]: value for name, value in fields.items()}


def _field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict]:
    """{KAGGLE_NAME: {"before": old, "after": new}} for the fields whose value changes.

    Keys of `after` are model field names; a missing `before` value is None
    (a new record). NaN equals NaN here: an empty value left empty is no change.
    """
    names = {column.field_name: column.name for column in schema.APPLICATION.columns}
    changes = {}
    for field_name, new in after.items():
        old = before.get(field_name)
        unchanged = old == new or (old != old and new != new)  # both NaN
        if not unchanged:
            changes[names.get(field_name, field_name)] = {"before": old, "after": new}
    return changes


@transaction.atomic
def application_create(
    *, fields: Mapping[str, Any], advisor: User | None = None, actor: User | None = None
) -> Application:
    """Record a new application from its Kaggle fields (SK_ID_CURR required).

    Raises `ApplicationExists` when SK_ID_CURR is taken: a partner system
    re-sending an application must say it means an update. Audited
    (`application.created`, by `actor`) with the fields given.
    """
    values = _kaggle_values(fields)
    sk_id_curr = values.pop("sk_id_curr", None)
    if sk_id_curr is None:
        raise ValidationError({"SK_ID_CURR": "required to create an application"})
    application, created = Application.objects.get_or_create(
        sk_id_curr=sk_id_curr, defaults={**values, "advisor": advisor}
    )
    if not created:
        raise ApplicationExists(f"application {sk_id_curr} already exists")
    audit_event_record(
        action=AuditEvent.Action.APPLICATION_CREATED,
        actor=actor,
        application_id=application.pk,
        detail={"changes": _field_changes({}, values)},
    )
    return application


class NoAdvisor(Exception):
    """No advisor can take a new application (none active, no default advisor)."""


@transaction.atomic
def application_create_assigned(
    *, fields: Mapping[str, Any], created_by: User, channel: str
) -> Application:
    """Record an application a partner system sends, in an advisor's portfolio, and audit it.

    The advisor is chosen by `clients.selectors.advisors.advisor_for_new_application`
    (the account's default advisor, else the least-loaded advisor); with no
    advisor at all, `NoAdvisor` and nothing is recorded. Raises
    `ApplicationExists` as `application_create` does.
    """
    choice = advisor_for_new_application(created_by=created_by)
    if choice is None:
        raise NoAdvisor("no active advisor, and no default advisor for " + created_by.username)
    application = application_create(fields=fields, actor=created_by)
    applications_assign_advisor(advisor=choice.advisor, application_ids=[application.pk])
    application.refresh_from_db()
    detail = {"advisor": choice.advisor.username, "rule": choice.rule, "channel": channel}
    if choice.passed_over is not None:
        detail["default_advisor_passed_over"] = choice.passed_over.username
    audit_event_record(
        actor=created_by,
        action=AuditEvent.Action.APPLICATION_ASSIGNED,
        application_id=application.pk,
        detail=detail,
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    fields: Mapping[str, Any],
    replace: bool = False,
    actor: User | None = None,
) -> Application:
    """Change an application's Kaggle fields.

    `replace=True` (an HTTP PUT) sets every field not given to NULL, except
    TARGET, which only imports write; otherwise only the given fields change.
    Audited (`application.updated`, by `actor`) with each changed field's
    value before and after.
    """
    values = _kaggle_values(fields)
    given = values.pop("sk_id_curr", application.pk)
    if given != application.pk:
        raise ValidationError({"SK_ID_CURR": f"is {application.pk} for this application"})
    if replace:
        values = {
            column.field_name: values.get(column.field_name)
            for column in schema.APPLICATION.columns
            if column.name not in ("SK_ID_CURR", "TARGET")
        }
    before = {name: getattr(application, name) for name in values}
    for name, value in values.items():
        setattr(application, name, value)
    application.save(update_fields=[*values, "updated_at"])
    audit_event_record(
        action=AuditEvent.Action.APPLICATION_UPDATED,
        actor=actor,
        application_id=application.pk,
        detail={"changes": _field_changes(before, values), "replace": replace},
    )
    return application
