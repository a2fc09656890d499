"""Who may use which part of the product: the permission checks every user interface shares.

Roles and their permissions are one table (accounts/roles.py); the checks
below read permissions only, never group names. Which records a user sees
is another rule, `Application.objects.for_user(user)` (clients/models.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views.generic import RedirectView

from accounts.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Any one of these lets a user into the advisor dashboard (the scoping rule then
# decides which records they see). Advisors and supervisors (portfolio), risk
# staff (monitoring: they read client pages too). Not clients: their place is the
# portal (/portal/), which shows their record in words, and the decision only once
# a person has taken it. `clients.view_all_applications` alone widens the scope of
# whoever is let in but lets no one in: integration accounts hold it for the API
# and are machines, with no business in the pages.
DASHBOARD_PERMISSIONS = (
    "clients.view_portfolio",
    "accounts.view_monitoring",
)

# What a client holds; any of the others makes a user staff of some kind, not a client.
CLIENT_PERMISSION = "clients.view_own_application"
STAFF_PERMISSIONS = (
    "clients.view_portfolio",
    "clients.view_all_applications",
    "accounts.view_monitoring",
    "accounts.use_api",
)


def user_has_dashboard_access(user) -> bool:
    """Whether `user` may open the dashboard at all (which records is another matter)."""
    return (
        user.is_authenticated
        and user.is_active
        and any(user.has_perm(permission) for permission in DASHBOARD_PERMISSIONS)
    )


def is_portal_client(user) -> bool:
    """A borrower's login: holds the client permission and nothing of the staff's.

    Such a user lives in /portal/ only (`accounts.middleware.PortalConfinementMiddleware`
    refuses them everything else); a superuser holds every permission and is no client.
    """
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_staff
        and not user.is_superuser
        and user.has_perm(CLIENT_PERMISSION)
        and not any(user.has_perm(permission) for permission in STAFF_PERMISSIONS)
    )


def sees_decision_support(user) -> bool:
    """Staff who may read scores, explanations and the population tools of a client they see.

    Advisors and supervisors (`view_portfolio`), risk staff
    (`view_all_applications`); not a client, who holds `view_own_application` only.
    """
    return user.has_perm("clients.view_portfolio") or user.has_perm("clients.view_all_applications")


# ---------------------------------------------------------------------------
# Access rules: every view and API endpoint declares one
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessRule:
    """Who may use a view, said once where the view is declared and enforced from there.

    A user is let in when the rule is `public`, or when they are signed in
    (and active), hold at least one of `permissions` (none listed: any
    signed-in user) and every one of `requires`. `staff` adds Django's
    `is_staff` flag (the admin site). `refusal` is what an API caller refused
    by the rule reads.
    `scoped` says that the objects the URL names are then narrowed to the
    user's own (`Application.objects.for_user`, or the user's own rows): a
    record outside that scope answers 404, whether it exists or not.

    Function views carry their rule with `@access_rule(RULE)`, which also
    enforces it (anonymous: the login page; signed in without the rule: 403);
    API views declare `access_rule = RULE` (or `access_rules = {"GET": ..., "POST": ...}`)
    and the API's permission class enforces it. `tests/test_url_access.py`
    walks every URL pattern and fails on one that declares no rule.
    """

    key: str
    who: str
    permissions: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    public: bool = False
    staff: bool = False
    scoped: bool = False
    refusal: StrOrPromise = "Your role does not allow this."

    def allows(self, user) -> bool:
        if self.public:
            return True
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if self.staff and not user.is_staff:
            return False
        if self.permissions and not any(user.has_perm(code) for code in self.permissions):
            return False
        return all(user.has_perm(code) for code in self.requires)


PUBLIC = AccessRule(key="public", who="anyone, signed in or not", public=True)
SIGNED_IN = AccessRule(key="signed-in", who="any signed-in user")
# A redirect serves nothing but another URL, which has its own rule.
REDIRECT = AccessRule(
    key="redirect", who="anyone (a redirect to a URL with its own rule)", public=True
)


# Class-based views' as_view() answer an HttpResponseBase (a redirect, a stream...).
View = Callable[..., HttpResponseBase]


def access_rule(rule: AccessRule) -> Callable[[View], View]:
    """Declare and enforce `rule` on a function view (replaces login/permission decorators)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not rule.public and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # An attribute of the function, read by view_access_rules(); mypy knows no such field.
        wrapper.access_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorate


def signed_in_user(request: HttpRequest) -> User:
    """The account behind a request that a rule other than PUBLIC let in.

    Such a rule admits signed-in users only, so this is the account that acts;
    an anonymous visitor reaching it is refused rather than served.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _method_owner(view: Callable[..., Any]) -> object | None:
    """The object whose method `view` is, through any decorators (`__wrapped__`)."""
    seen = 0
    current: object | None = view
    while current is not None and seen < 20:
        owner = getattr(current, "__self__", None)
        if owner is not None:
            return owner
        current = getattr(current, "__wrapped__", None)
        seen += 1
    return None


def view_access_rules(view: Callable[..., Any]) -> dict[str, AccessRule] | None:
    """The rules a resolved URL callback declares, by HTTP method ("*": every method).

    Reads the three ways a rule is declared: `@access_rule` on a function view,
    `access_rule`/`access_rules` on a class-based view (DRF's `as_view()` keeps the
    class as `view.cls`), and the admin site's `access_rule` for the views it wraps.
    None when the view declares nothing (the URL test fails on it).
    """
    rule = getattr(view, "access_rule", None)
    if isinstance(rule, AccessRule):
        return {"*": rule}
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is not None:
        rules = getattr(view_class, "access_rules", None)
        if rules:
            return dict(rules)
        rule = getattr(view_class, "access_rule", None)
        if isinstance(rule, AccessRule):
            return {"*": rule}
    # The admin site wraps its views in `admin_view` (the site's own carry `admin_site`, a
    # model admin's `model_admin`, the others are methods of either), all but its login page.
    owner = _method_owner(view)
    site = (
        getattr(view, "admin_site", None)
        or getattr(getattr(view, "model_admin", None), "admin_site", None)
        or getattr(owner, "admin_site", None)
        or owner
    )
    if getattr(view, "__name__", "") in getattr(site, "public_views", ()):
        return {"*": PUBLIC}
    rule = getattr(site, "access_rule", None)
    if isinstance(rule, AccessRule):
        return {"*": rule}
    # Only now a plain redirect: the admin's `<id>/` redirects are wrapped in `admin_view`
    # (staff only) and keep the `view_class` of their RedirectView.
    if isinstance(view_class, type) and issubclass(view_class, RedirectView):
        return {"*": REDIRECT}
    return None
