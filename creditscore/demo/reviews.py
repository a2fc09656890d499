"""A review request waiting in the demo advisor's queue, so that a new user sees one.

It comes from a client of the advisor's portfolio other than the demo client (who
has no login): the demo client stays free to send their own request and follow it
(one open request at a time). Kept once made: a later run finds it and adds none.
"""

from __future__ import annotations

from clients.models import Application
from scoring.models import ReviewRequest
from scoring.reviews import INCOME, review_request_create

DEMO_MESSAGE = (
    "Bonjour, mon revenu annuel a augmenté depuis ma demande : j'ai changé de poste en "
    "mars. Pouvez-vous revoir la décision avec mes trois derniers bulletins de salaire ?"
)


def demo_review_request_ensure(*, advisor) -> int | None:
    """The id of an open request in `advisor`'s queue, made if there is none (None: no client)."""
    queue = ReviewRequest.objects.filter(
        application__advisor=advisor, status__in=ReviewRequest.OPEN_STATUSES
    )
    existing = queue.values_list("pk", flat=True).first()
    if existing is not None:
        return existing
    application = (
        Application.objects.filter(advisor=advisor, portal_user__isnull=True)
        .exclude(amt_income_total__isnull=True)
        .order_by("sk_id_curr")
        .first()
    )
    if application is None:
        return None
    claimed_income = round((application.amt_income_total or 0) * 1.4, -3) or 42_000
    review = review_request_create(
        application=application,
        requested_by=None,
        message=DEMO_MESSAGE,
        claimed={INCOME: claimed_income},
        language="fr",
    )
    return review.pk
