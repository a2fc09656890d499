"""The advisor dashboard's URLs (namespace `dashboard`), mounted at the site's root.

The paths are the ones bookmarks, the README and the tests know:
/clients/, /clients/<id>/ and its actions, /reviews/ and /reviews/<id>/ with its actions;
/model/ is the active model's page.
"""

from django.urls import path

from dashboard.views import (
    client,
    decision,
    explanation,
    invitation,
    model,
    portfolio,
    reviews,
    scoring,
    what_if,
)

app_name = "dashboard"

urlpatterns = [
    path("clients/", portfolio.portfolio, name="portfolio"),
    path("clients/<int:sk_id_curr>/", client.client_detail, name="client"),
    path("clients/<int:sk_id_curr>/score", scoring.score_now, name="score"),
    path("clients/<int:sk_id_curr>/score/status", scoring.score_status, name="score-status"),
    path("clients/<int:sk_id_curr>/what-if", what_if.what_if_simulate, name="what-if"),
    path(
        "clients/<int:sk_id_curr>/counterfactual",
        what_if.counterfactual_suggestion,
        name="counterfactual",
    ),
    path("clients/<int:sk_id_curr>/decision", decision.decision_record, name="decision"),
    path("clients/<int:sk_id_curr>/invite", invitation.client_invite, name="invite"),
    path(
        "clients/<int:sk_id_curr>/explanation",
        explanation.explanation_factors,
        name="explanation",
    ),
    path(
        "clients/<int:sk_id_curr>/charts/distribution",
        explanation.distribution_chart,
        name="distribution",
    ),
    path(
        "clients/<int:sk_id_curr>/charts/bivariate",
        explanation.bivariate_chart,
        name="bivariate",
    ),
    path("reviews/", reviews.review_queue, name="reviews"),
    path("reviews/<int:review_id>/", reviews.review_detail, name="review"),
    path("reviews/<int:review_id>/take-up", reviews.review_take_up, name="review-take-up"),
    path("reviews/<int:review_id>/correct", reviews.review_correct, name="review-correct"),
    path("reviews/<int:review_id>/answer", reviews.review_answer_send, name="review-answer"),
    path("model/", model.model_overview, name="model"),
]
