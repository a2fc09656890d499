"""Who takes a new application: the rule that keeps every application in an advisor's portfolio.

An application created by a partner system (the API) goes, in this order, to:

1. the integration account's default advisor (`User.default_advisor`, set in
   the admin site), if that user is active and holds a portfolio
   (clients.view_portfolio);
2. else the active advisor with the fewest applications, ties broken by the
   oldest account (lowest id), so the same state always gives the same
   advisor. Advisors are the users whose view is their portfolio:
   clients.view_portfolio without clients.view_all_applications
   (supervisors see every application whatever its advisor, and take none
   by this rule);
3. else nobody: the caller refuses the application rather than record one
   that no advisor would ever see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from accounts.models import User

VIEW_PORTFOLIO = "clients.view_portfolio"
VIEW_ALL_APPLICATIONS = "clients.view_all_applications"
# with_perm needs one backend named once several are configured (lockout adds its own).
_PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

DEFAULT_ADVISOR = "default_advisor"
LEAST_LOADED = "least_loaded"


@dataclass(frozen=True)
class AdvisorChoice:
    advisor: User
    rule: str  # DEFAULT_ADVISOR or LEAST_LOADED
    # The default advisor passed over (inactive, or without a portfolio), if any.
    passed_over: User | None = None


def _with_perm(permission: str) -> QuerySet[User]:
    return User.objects.with_perm(
        permission, is_active=True, include_superusers=False, backend=_PERMISSION_BACKEND
    )


def advisors() -> QuerySet[User]:
    """Active users who work on a portfolio of their own (not supervisors)."""
    return _with_perm(VIEW_PORTFOLIO).exclude(pk__in=_with_perm(VIEW_ALL_APPLICATIONS).values("pk"))


def advisor_least_loaded() -> User | None:
    """The advisor with the fewest applications (lowest id among equals); None without any."""
    return advisors().annotate(load=Count("portfolio")).order_by("load", "pk").first()


def advisor_for_new_application(*, created_by: User) -> AdvisorChoice | None:
    """The advisor who takes an application `created_by` records, by the rule above."""
    default = created_by.default_advisor
    if default is not None:
        if default.is_active and default.has_perm(VIEW_PORTFOLIO):
            return AdvisorChoice(advisor=default, rule=DEFAULT_ADVISOR)
    least_loaded = advisor_least_loaded()
    if least_loaded is None:
        return None
    return AdvisorChoice(advisor=least_loaded, rule=LEAST_LOADED, passed_over=default)
