"""The scoring actions of a client's page (under /clients/<id>/) and the review queue."""

from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("clients/<int:sk_id_curr>/score", views.score_now, name="score"),
    path("clients/<int:sk_id_curr>/score/status", views.score_status, name="score-status"),
    path("clients/<int:sk_id_curr>/what-if", views.what_if_simulate, name="what-if"),
    path(
        "clients/<int:sk_id_curr>/counterfactual",
        views.counterfactual_suggestion,
        name="counterfactual",
    ),
    path("clients/<int:sk_id_curr>/decision", views.decision_record, name="decision"),
    path("reviews/", views.review_queue, name="reviews"),
]
