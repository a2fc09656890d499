"""The client portal's URLs (namespace `portal`), under /portal/.

No URL names a client: every page is the signed-in client's own record
(portal/access.py); a review request's id is looked up among the client's own.
Who may use each: portal/access.py's rules, listed in the README.
"""

from django.urls import path

from portal import reviews, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("application/", views.application_page, name="application"),
    path("decision/", views.decision_page, name="decision"),
    path("decision/letter/", views.decision_letter, name="decision_letter"),
    path("data/", views.data_page, name="data"),
    path("data/export.json", views.export_json, name="export_json"),
    path("data/export.zip", views.export_csv, name="export_csv"),
    path("review/", reviews.review_status, name="review"),
    path("review/new/", reviews.review_request, name="review_request"),
    path("review/<int:review_id>/", reviews.review_detail, name="review_detail"),
    # The invitation's activation link (public: the signed token is the key).
    path("activate/<str:token>/", views.activate, name="activate"),
]
