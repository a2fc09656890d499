from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import ngettext

from accounts.models import ApiToken, User
from accounts.services import api_token_revoke
from accounts.signals import api_tokens_revoked_by_staff


@admin.register(User)
class CreditscoreUserAdmin(UserAdmin):
    # Integration accounts: whose portfolio their API-created applications join.
    fieldsets = (*(UserAdmin.fieldsets or ()), ("API", {"fields": ("default_advisor",)}))
    raw_id_fields = ("default_advisor",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by prefix: the key itself is not in the database, only its digest.

    Tokens are issued to integration accounts by the API (POST /api/v1/auth/token)
    or `make demo`; here they are read and revoked.
    """

    list_display = ("prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("prefix", "user__username")
    fields = ("prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Read-only: revoking is the action below.
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["delete"])
    def revoke(self, request, queryset) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token)
            # The admin site's own history (the audit trail sits beside accounts, not below).
            self.log_change(request, token, "Revoked.")
        if tokens:
            # Into the audit trail too (audit/receivers.py): a way in was closed, by whom.
            api_tokens_revoked_by_staff.send(sender=type(self), request=request, tokens=tokens)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
