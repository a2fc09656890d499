from django.apps import AppConfig


class CreditscoreConfig(AppConfig):
    # The project package is an app too: its management commands (create_demo_users)
    # sit at the top, beside the demo, because they reach into every app below.
    name = "creditscore"
    verbose_name = "creditscore (project)"
