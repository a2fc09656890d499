"""The client portal's URLs (namespace `portal`), under /portal/."""

from django.urls import path

from portal import reviews

app_name = "portal"

urlpatterns = [
    path("review/", reviews.review_status, name="review"),
    path("review/new/", reviews.review_request, name="review_request"),
    path("review/<int:review_id>/", reviews.review_detail, name="review_detail"),
]
