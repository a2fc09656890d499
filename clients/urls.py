from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("<int:sk_id_curr>/", views.client_detail, name="detail"),
]
