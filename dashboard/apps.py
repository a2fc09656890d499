from django.apps import AppConfig


class DashboardConfig(AppConfig):
    # The advisor's interface (advisors, supervisors; risk staff and clients read
    # client pages too): its URLs, views, forms, templates (templates/dashboard/).
    name = "dashboard"
    verbose_name = "Advisor dashboard"
