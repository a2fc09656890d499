"""The admin site: who may enter it is an access rule like every other page's."""

from __future__ import annotations

from django.contrib import admin

from accounts.access import AccessRule

ADMIN_SITE = AccessRule(
    key="admin",
    who="staff accounts (is_staff); each page then asks for its model permission",
    staff=True,
)


class AdminSite(admin.AdminSite):
    """Django's admin site, declaring its access rule (read by `accounts.access.view_access_rules`).

    Every admin view but the login page goes through `admin_view`, which sends
    anyone who is not active staff to the login page; the login page is public.
    """

    access_rule = ADMIN_SITE
    public_views = ("login",)
