"""Who may use the client portal, and finding the client's own application.

Every portal page is the signed-in client's own: no URL names a client, the
application is the one linked to the login (`Application.portal_user`), so
there is no id to change. Staff of every kind are refused (403): they have the
dashboard; a client is refused everything outside /portal/
(`accounts.middleware.PortalConfinementMiddleware`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.access import CLIENT_PERMISSION, PUBLIC, AccessRule, is_portal_client
from clients.models import Application

PORTAL = AccessRule(
    key="portal",
    who="clients, each on their own record only (the application linked to their login)",
    permissions=(CLIENT_PERMISSION,),
    scoped=True,
)
# The activation link of an invitation: whoever holds it (signed, single use, 7 days).
ACTIVATION = PUBLIC


def get_own_application(user, *, fields: tuple[str, ...] = ()) -> Application | None:
    """The application linked to `user`'s login (None: none yet); 403 for anyone but a client.

    Read through the project's one scoping rule (`for_user`) as well as the link,
    so that the portal can never show more than the rule allows.
    """
    if not is_portal_client(user):
        raise PermissionDenied
    applications = Application.objects.for_user(user).filter(portal_user=user)
    if fields:
        applications = applications.only(*fields)
    return applications.first()
