"""What every portal page shows around its content: the navigation and the client's status."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.models import Application


@dataclass(frozen=True)
class NavItem:
    key: str
    url: str
    label: str | Promise
    description: str | Promise


# (key, URL name, label, what the page is for) in menu order. A page whose URL does not
# exist (yet) is left out. The review's entry leads to where the client's request stands
# (`portal:review`), which offers the form (`portal:review_request`) when none is open.
NAV = (
    ("home", "portal:home", _("My space"), ""),
    (
        "application",
        "portal:application",
        _("My application"),
        _("What we hold about your application and your credit history, in plain words."),
    ),
    (
        "decision",
        "portal:decision",
        _("My decision"),
        _("The decision on your application, why it was taken and what could change it."),
    ),
    (
        "data",
        "portal:data",
        _("Download my data"),
        _("A copy of everything we hold about you, as JSON or as CSV files."),
    ),
    (
        "review",
        "portal:review",
        _("Ask for a human review"),
        _("Ask a person to look at the decision again, and tell us if a fact is wrong."),
    ),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def review_request_url() -> str | None:
    """The page where a client asks for a human review, once the portal has it (else None)."""
    return _url("portal:review_request")


def portal_nav() -> list[NavItem]:
    items = []
    for key, name, label, description in NAV:
        url = _url(name)
        if url is not None:
            items.append(NavItem(key=key, url=url, label=label, description=description))
    return items


def portal_page_context(
    request: HttpRequest, *, active_nav: str, application: Application | None, **extra: object
) -> dict[str, object]:
    return {
        "active_nav": active_nav,
        "application": application,
        "portal_nav": portal_nav(),
        "review_request_url": review_request_url(),
        **extra,
    }
