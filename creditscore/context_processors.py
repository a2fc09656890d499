"""Template context every page shares (settings: TEMPLATES context_processors)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from scoring.governance import manual_review_on


def manual_review(request: HttpRequest) -> dict[str, object]:
    """`manual_review`: whether the model is advisory only now (AI Act art. 14).

    Every page shows the banner while it is on (partials/manual_review_banner.html),
    and the pages that would show a model decision show that a person decides instead.
    Read when a template first asks (one primary-key lookup), for signed-in users: the
    pages anyone sees before signing in show no model output at all.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"manual_review": False}
    return {"manual_review": SimpleLazyObject(manual_review_on)}
