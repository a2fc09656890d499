"""Template context shared by every page: the number of open review requests, for the navbar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import cached_property

from scoring.decisions import open_reviews_for


class OpenReviews:
    """The open review requests a user can act on, counted on first use only.

    Lazy: the COUNT runs only when a template shows it, so the htmx fragments
    (which have no navbar) never pay for it.
    """

    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        return open_reviews_for(self._user).count()


def open_reviews(request: HttpRequest) -> dict[str, object]:
    """`open_reviews` for the users who have the review queue (advisors, supervisors)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("clients.view_portfolio"):
        return {}
    return {"open_reviews": OpenReviews(user)}
