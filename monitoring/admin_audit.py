"""The audit trail in the admin, read-only, for risk staff: who did what, to which client, when.

Events are only ever appended (audit.services.audit_event_record; a database
trigger refuses updates and deletes): the admin lists and shows them, with
filters on the four questions an auditor asks (who, which action, which
client, which day), and offers no add, change or delete. Risk staff read it
with `audit.view_auditevent` (accounts/roles.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from audit.models import AuditEvent


class TextInputFilter(admin.SimpleListFilter):
    """A filter typed in a text box (an exact value), for columns with too many values to list."""

    template = "admin/monitoring/text_input_filter.html"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # The admin shows a filter only when it has choices: one placeholder.
        return [("", "")]

    def choices(self, changelist: Any) -> Iterator[Any]:
        # One "all" choice carrying the other filters, for the form's hidden fields.
        all_choice: dict[str, Any] = dict(next(iter(super().choices(changelist))))
        params = changelist.get_filters_params()
        all_choice["query_parts"] = [
            (key, value)
            for key, values in params.items()
            if key != self.parameter_name
            for value in (values if isinstance(values, list) else [values])
        ]
        yield all_choice


class ActorFilter(TextInputFilter):
    title = _("user name")
    parameter_name = "who"

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = (self.value() or "").strip()
        return queryset.filter(actor_username=value) if value else queryset


class ClientFilter(TextInputFilter):
    title = _("client (SK_ID_CURR)")
    parameter_name = "client"

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = (self.value() or "").strip()
        if not value:
            return queryset
        # A value that is not a client number matches no event (rather than an error page).
        return queryset.filter(application_id=int(value)) if value.isdigit() else queryset.none()


ROLE_LABELS = {
    Role.ADVISOR.value: _("Advisor"),
    Role.SUPERVISOR.value: _("Supervisor"),
    Role.CLIENT.value: _("Client"),
    Role.STAFF.value: _("Risk staff"),
    Role.INTEGRATION.value: _("Integration"),
    "superuser": _("Superuser"),
}
NO_ROLE = "none"


class RoleFilter(admin.SimpleListFilter):
    """The actor's role; events record them comma-separated ("advisor,superuser")."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*ROLE_LABELS.items(), (NO_ROLE, _("No role (system, failed login)"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        if not value:
            return queryset
        if value == NO_ROLE:
            return queryset.filter(actor_role="")
        return queryset.filter(
            Q(actor_role=value)
            | Q(actor_role__startswith=f"{value},")
            | Q(actor_role__endswith=f",{value}")
            | Q(actor_role__contains=f",{value},")
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "actor_username",
        "actor_role",
        "action",
        "application_id",
        "channel",
        "model_version",
        "client_address",
    )
    list_filter = (
        ActorFilter,
        "action",
        ClientFilter,
        ("created_at", admin.DateFieldListFilter),
        "channel",
        RoleFilter,
    )
    date_hierarchy = "created_at"
    search_fields = ("actor_username", "model_version")
    # Counting millions of rows for "N total" on every page is not worth its seconds.
    show_full_result_count = False
    list_per_page = 50
    fields = (
        "created_at",
        "actor_id",
        "actor_username",
        "actor_role",
        "action",
        "application_id",
        "model_version",
        "channel",
        "client_address",
        "detail",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
