"""The admin site: who may enter it is an access rule like every other page's."""

from __future__ import annotations

from django.contrib import admin

from accounts.access import AccessRule
from accounts.second_factor import second_factor_step

ADMIN_SITE = AccessRule(
    key="admin",
    who=(
        "staff accounts (is_staff) that confirmed their login with a one-time code; "
        "each page then asks for its model permission"
    ),
    staff=True,
)


class AdminSite(admin.AdminSite):
    """Django's admin site, declaring its access rule (read by `accounts.access.view_access_rules`).

    Every admin view but the login page goes through `admin_view`, which sends
    anyone who is not active staff to the login page; the login page is public.
    A staff account must also have confirmed this login with its one-time code
    (django-otp): `SecondFactorMiddleware` sends it to the code page (or to enrol
    a device) first, and `has_permission` refuses it meanwhile, whatever the
    middleware order.
    """

    access_rule = ADMIN_SITE
    public_views = ("login",)

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and second_factor_step(request) is None
