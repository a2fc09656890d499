"""The risk staff's monitoring pages (namespace `monitoring`), under /monitoring/."""

from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    # Score stability, decisions over time, performance and fairness of a window.
    path("", views.dashboard, name="dashboard"),
]
