from django.apps import AppConfig


class PortalConfig(AppConfig):
    # The client's (borrower's) interface: their record, the decision and its reasons,
    # a review request. An empty shell for now: the portal issue fills it.
    name = "portal"
    verbose_name = "Client portal"
