from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class CreditscoreUserAdmin(UserAdmin):
    # Integration accounts: whose portfolio their API-created applications join.
    fieldsets = (*UserAdmin.fieldsets, ("API", {"fields": ("default_advisor",)}))
    raw_id_fields = ("default_advisor",)
