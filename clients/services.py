"""Writes on client records (HackSoft style: keyword-only, one transaction each)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from clients.models import Application


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
