"""The risk staff's monitoring pages (namespace `monitoring`), under /monitoring/."""

from django.urls import path

from monitoring import overrides, oversight, shadow, views

app_name = "monitoring"

urlpatterns = [
    # Score stability, decisions over time, performance and fairness of a window.
    path("", views.dashboard, name="dashboard"),
    # The challenger in shadow against the serving model (?version=: an earlier one).
    path("shadow/", shadow.shadow, name="shadow"),
    # The manual-review switch (monitoring/oversight.py).
    path("manual-review/", oversight.manual_review, name="manual-review"),
    # Who overrides the model, which way, why, and with what result (monitoring/overrides.py).
    path("overrides/", overrides.overrides, name="overrides"),
]
