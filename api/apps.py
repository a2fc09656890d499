from django.apps import AppConfig


class ApiConfig(AppConfig):
    # The partners' interface: the REST API (machines with a token, no pages).
    name = "api"
    verbose_name = "REST API"
