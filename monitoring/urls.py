"""The risk staff's monitoring pages (namespace `monitoring`), under /monitoring/."""

from django.urls import path

from monitoring import oversight, shadow, views

app_name = "monitoring"

urlpatterns = [
    # Score stability, decisions over time, performance and fairness of a window.
    path("", views.dashboard, name="dashboard"),
    # The challenger in shadow against the serving model (monitoring/shadow.py).
    path("shadow/", shadow.shadow, name="shadow"),
    path("shadow/<str:version>/", shadow.shadow, name="shadow-version"),
    # The manual-review switch (monitoring/oversight.py).
    path("manual-review/", oversight.manual_review, name="manual-review"),
]
