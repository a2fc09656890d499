"""Explanation and population fragments of a client's page (under /clients/<id>/)."""

from django.urls import path

from explanations import views

app_name = "explanations"

urlpatterns = [
    path("clients/<int:sk_id_curr>/explanation", views.explanation_factors, name="explanation"),
    path(
        "clients/<int:sk_id_curr>/charts/distribution",
        views.distribution_chart,
        name="distribution",
    ),
    path("clients/<int:sk_id_curr>/charts/bivariate", views.bivariate_chart, name="bivariate"),
]
